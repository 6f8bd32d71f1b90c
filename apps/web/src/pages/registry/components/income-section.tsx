import { Card, Descriptions, Empty, Flex } from 'antd';
import { formatNumber, yesNo } from '../labels.ts';
import type { Income } from '../service.ts';

const yuan = (value: number | null) => formatNumber(value, ' 元');

/** 收入情况: one card per statistics year, newest first, with the after-elimination figures. */
export function IncomeSection({ incomes }: { incomes: Income[] }) {
  if (incomes.length === 0) return <Empty description="暂无收入记录" />;
  return (
    <Flex vertical gap={12}>
      {incomes.map((income) => {
        const hasPost = [
          income.postNetIncome,
          income.postNetIncomePerPerson,
          income.postWageIncome,
          income.postBusinessIncome,
          income.postPropertyIncome,
          income.postTransferIncome,
          income.postBusinessExpense,
          income.postInsuranceClaims,
          income.postEligibleMedicalCost,
          income.postChildDropout,
          income.postHousingDamaged,
          income.postUninsuredMember,
          income.postWaterDamaged,
        ].some((value) => value !== null);
        return (
          <Card key={income.year} size="small" title={`${income.year} 年度`}>
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, sm: 2, lg: 3 }}
              items={[
                { key: 'net', label: '人均纯收入', children: yuan(income.netIncomePerPerson) },
                { key: 'wage', label: '工资性收入', children: yuan(income.wageIncome) },
                { key: 'business', label: '生产经营性收入', children: yuan(income.businessIncome) },
                { key: 'property', label: '财产性收入', children: yuan(income.propertyIncome) },
                { key: 'transfer', label: '转移性收入', children: yuan(income.transferIncome) },
                { key: 'expense', label: '生产经营性支出', children: yuan(income.businessExpense) },
                { key: 'medical', label: '合规自付支出', children: yuan(income.eligibleMedicalCost) },
              ]}
            />
            {hasPost && (
              <Descriptions
                style={{ marginTop: 12 }}
                title="风险消除后"
                size="small"
                bordered
                column={{ xs: 1, sm: 2, lg: 3 }}
                items={[
                  { key: 'netPer', label: '家庭人均纯收入', children: yuan(income.postNetIncomePerPerson) },
                  { key: 'net', label: '家庭纯收入', children: yuan(income.postNetIncome) },
                  { key: 'wage', label: '工资性收入', children: yuan(income.postWageIncome) },
                  { key: 'business', label: '生产经营性收入', children: yuan(income.postBusinessIncome) },
                  { key: 'property', label: '财产性收入', children: yuan(income.postPropertyIncome) },
                  { key: 'transfer', label: '转移性收入', children: yuan(income.postTransferIncome) },
                  { key: 'expense', label: '生产经营性支出', children: yuan(income.postBusinessExpense) },
                  { key: 'claims', label: '理赔收入', children: yuan(income.postInsuranceClaims) },
                  { key: 'medical', label: '合规自付支出', children: yuan(income.postEligibleMedicalCost) },
                  {
                    key: 'dropout',
                    label: '义务教育阶段适龄儿童少年失学辍学',
                    children: yesNo(income.postChildDropout),
                  },
                  { key: 'housing', label: '住房损毁', children: yesNo(income.postHousingDamaged) },
                  {
                    key: 'uninsured',
                    label: '有家庭成员未参加基本医疗保险',
                    children: yesNo(income.postUninsuredMember),
                  },
                  { key: 'water', label: '饮水设施损毁', children: yesNo(income.postWaterDamaged) },
                ]}
              />
            )}
          </Card>
        );
      })}
    </Flex>
  );
}
