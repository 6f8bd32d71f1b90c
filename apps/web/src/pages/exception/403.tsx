import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';

export function ForbiddenPage() {
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle="您的账号没有访问此页面的权限。如需开通，请联系本级或上级管理员。"
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          返回工作台
        </Button>
      }
    />
  );
}
