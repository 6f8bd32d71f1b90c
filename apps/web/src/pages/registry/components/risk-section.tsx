import { Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { dash, formatMonth, yesNo } from '../labels.ts';
import type { HouseholdDetail } from '../service.ts';
import { CategoryTag } from './household-tags.tsx';

/** 风险与帮扶措施: the monitoring facts, the risk types in order, and measures by category. */
export function RiskSection({ household }: { household: HouseholdDetail }) {
  return (
    <Flex vertical gap={12}>
      <Card size="small" title="监测与风险">
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            {
              key: 'category',
              label: '监测对象类别',
              children: <CategoryTag category={household.monitoringCategory} />,
            },
            { key: 'identifiedAt', label: '识别监测时间', children: formatMonth(household.identifiedAt) },
            { key: 'eliminated', label: '风险是否已消除', children: yesNo(household.riskEliminated) },
            { key: 'method', label: '风险消除方式', children: household.eliminationMethod?.label ?? dash },
            { key: 'eliminatedAt', label: '消除监测时间', children: formatMonth(household.eliminatedAt) },
            {
              key: 'risks',
              label: '致贫/返贫风险',
              children:
                household.risks.length === 0
                  ? dash
                  : household.risks.map((risk) => (
                      <Tag key={risk.position} color="volcano" style={{ marginBottom: 2 }}>
                        {risk.position}. {risk.riskType.label}
                      </Tag>
                    )),
            },
            { key: 'note', label: '其他备注', span: 'filled', children: household.otherNote ?? dash },
          ]}
        />
      </Card>
      <Card size="small" title="帮扶措施">
        <Descriptions
          size="small"
          bordered
          column={1}
          items={[
            {
              key: 'development',
              label: '实施开发式帮扶措施情况',
              children: household.developmentAssistance ?? dash,
            },
            ...household.measures.map((measure) => ({
              key: measure.category.code,
              label: measure.category.label,
              children: measure.values.map((value) => (
                <Tag key={value} color="green" style={{ marginBottom: 2 }}>
                  {value}
                </Tag>
              )),
            })),
            {
              key: 'publicJobNote',
              label: '公益性岗位帮扶其他备注',
              children: household.publicJobAssistanceNote ?? dash,
            },
          ]}
        />
        {household.measures.length === 0 && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            暂无帮扶措施记录。
          </Typography.Paragraph>
        )}
      </Card>
    </Flex>
  );
}
