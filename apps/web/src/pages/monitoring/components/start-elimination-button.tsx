import { Button, Popconfirm } from 'antd';
import { useNavigate } from 'react-router';
import { useOpenElimination } from '../service.ts';

/** On a monitored household's page: start risk elimination (the server checks the labour rule). */
export function StartEliminationButton({ householdId }: { householdId: string }) {
  const navigate = useNavigate();
  const open = useOpenElimination();
  return (
    <Popconfirm
      title="启动风险消除"
      description="将按入户核实、信息比对、评议、公示、乡镇审核、县级审定办理"
      okText="启动"
      cancelText="取消"
      onConfirm={() =>
        open.mutate(householdId, { onSuccess: (created) => navigate(`/monitoring/cases/${created.id}`) })
      }
    >
      <Button loading={open.isPending}>启动风险消除</Button>
    </Popconfirm>
  );
}
