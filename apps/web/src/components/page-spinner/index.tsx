import { Spin } from 'antd';

export function PageSpinner() {
  return (
    <div className="full-page-center">
      <Spin size="large" />
    </div>
  );
}
