import { CheckCircleFilled, CloseCircleFilled, QuestionCircleFilled } from '@ant-design/icons';
import { Alert, Card, Flex, Typography } from 'antd';
import type { CaseDetail } from '../service.ts';

/** 风险消除条件: what the registry says about each criterion, and what the verifying cadre attested. */
export function CriteriaPanel({ criteria }: { criteria: NonNullable<CaseDetail['criteria']> }) {
  return (
    <Card size="small" title="风险消除条件">
      <Flex vertical gap={10}>
        {criteria.withoutLabour && (
          <Alert
            type="warning"
            showIcon
            message="家庭成员均无劳动能力：暂不标注风险消除，继续落实兜底保障措施"
          />
        )}
        {criteria.items.map((item) => (
          <Flex key={item.key} gap={8} align="flex-start">
            {item.holds ? (
              <CheckCircleFilled style={{ color: '#52c41a', marginTop: 4 }} />
            ) : item.fromData === false ? (
              <CloseCircleFilled style={{ color: '#ff4d4f', marginTop: 4 }} />
            ) : (
              <QuestionCircleFilled style={{ color: '#faad14', marginTop: 4 }} />
            )}
            <Flex vertical>
              <Typography.Text>{item.label}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                {item.evidence}
                {item.needsAttestation ? (item.attested ? '；核实人已确认' : '；需核实人确认') : ''}
              </Typography.Text>
            </Flex>
          </Flex>
        ))}
      </Flex>
    </Card>
  );
}
