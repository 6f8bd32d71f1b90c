import { EyeOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Modal } from 'antd';
import { useState } from 'react';
import { dash } from '../labels.ts';
import { registryService } from '../service.ts';

/**
 * 查看: the whole ID number and phone of one member, for users allowed to see them. Every click is
 * written to the audit log on the server, and the dialog says so.
 */
export function RevealButton({ personId, name }: { personId: string; name: string | null }) {
  const [open, setOpen] = useState(false);
  const reveal = useMutation({ mutationFn: () => registryService.reveal(personId) });
  return (
    <>
      <Button
        size="small"
        type="link"
        icon={<EyeOutlined />}
        loading={reveal.isPending}
        aria-label={`查看 ${name ?? ''} 的完整证件号码和电话`}
        onClick={(event) => {
          event.stopPropagation();
          reveal.mutate(undefined, { onSuccess: () => setOpen(true) });
        }}
        style={{ paddingInline: 4 }}
      >
        查看
      </Button>
      <Modal
        title={`${name ?? '成员'}的完整信息`}
        open={open}
        onCancel={() => {
          setOpen(false);
          reveal.reset();
        }}
        footer={null}
        destroyOnHidden
      >
        <Descriptions
          column={1}
          size="small"
          bordered
          items={[
            {
              key: 'id',
              label: '证件号码',
              children: <span className="code-text">{reveal.data?.idNumber ?? dash}</span>,
            },
            {
              key: 'phone',
              label: '联系电话',
              children: <span className="code-text">{reveal.data?.phone ?? dash}</span>,
            },
          ]}
        />
        <Alert
          style={{ marginTop: 16 }}
          type="warning"
          showIcon
          message="本次查看已记入审计日志（查看人、时间、地址）。个人信息仅用于帮扶工作，请勿截图或外传。"
        />
      </Modal>
    </>
  );
}
