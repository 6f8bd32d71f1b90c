import { Descriptions } from 'antd';
import { formatNumber, yesNo } from '../labels.ts';
import type { HouseholdDetail } from '../service.ts';

const mu = (value: number | null) => formatNumber(value, ' 亩');

/** 住房与生产生活条件. */
export function LivingSection({ household }: { household: HouseholdDetail }) {
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, sm: 2, lg: 3 }}
      items={[
        { key: 'housingArea', label: '住房面积', children: formatNumber(household.housingArea, ' ㎡') },
        { key: 'dangerousHouse', label: '是否危房户', children: yesNo(household.dangerousHouse) },
        { key: 'electricity', label: '是否通生活用电', children: yesNo(household.hasElectricity) },
        { key: 'toilet', label: '是否有卫生厕所', children: yesNo(household.hasSanitaryToilet) },
        { key: 'water', label: '是否解决安全饮用水', children: yesNo(household.safeDrinkingWater) },
        { key: 'road', label: '入户道路是否硬化', children: yesNo(household.roadHardened) },
        {
          key: 'distance',
          label: '与村主干路距离',
          children: formatNumber(household.distanceToRoad, ' 公里'),
        },
        { key: 'arable', label: '耕地面积', children: mu(household.arableLand) },
        { key: 'forest', label: '林地面积', children: mu(household.forestLand) },
        { key: 'returned', label: '退耕还林面积', children: mu(household.returnedFarmland) },
        { key: 'orchard', label: '林果面积', children: mu(household.orchardLand) },
        { key: 'pasture', label: '牧草地面积', children: mu(household.pastureLand) },
        { key: 'waterSurface', label: '水面面积', children: mu(household.waterSurface) },
        {
          key: 'dropout',
          label: '义务教育阶段适龄儿童少年失学辍学',
          children: yesNo(household.childDropout),
        },
        {
          key: 'uninsured',
          label: '有家庭成员未参加基本医疗保险',
          children: yesNo(household.uninsuredMember),
        },
        { key: 'safetyNet', label: '整户无劳动能力兜底保障户', children: yesNo(household.noLabourSafetyNet) },
      ]}
    />
  );
}
