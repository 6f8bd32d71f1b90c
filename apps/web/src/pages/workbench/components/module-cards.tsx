import { Card, Col, Row, Typography } from 'antd';
import { Link } from 'react-router';
import type { AppRoute } from '../../../routes.tsx';

/** One card per module the user may open. */
export function ModuleCards({ modules }: { modules: AppRoute[] }) {
  if (modules.length === 0) {
    return <Typography.Text type="secondary">当前账号暂未开通业务模块，请联系管理员。</Typography.Text>;
  }
  return (
    <Row gutter={[16, 16]}>
      {modules.map((module) => (
        <Col key={module.path} xs={24} sm={12} xl={8}>
          <Link to={module.path} aria-label={module.name}>
            <Card hoverable size="small">
              <Card.Meta
                avatar={<span style={{ fontSize: 24, color: '#1677ff' }}>{module.icon}</span>}
                title={module.name}
                description={module.description}
              />
            </Card>
          </Link>
        </Col>
      ))}
    </Row>
  );
}
