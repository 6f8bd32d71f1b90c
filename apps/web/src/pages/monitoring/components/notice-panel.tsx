import { Button, Card, Flex, Form, Input, List, Typography } from 'antd';
import { useState } from 'react';
import { describeError } from '../../../api/client.ts';
import { type CaseDetail, useAddObjection, useRecordNotice, useResolveObjection } from '../service.ts';

/** 公示: its dates and place, and the objections received while it runs with how each was handled. */
export function NoticePanel({ detail, editable }: { detail: CaseDetail; editable: boolean }) {
  const record = useRecordNotice(detail.id);
  const addObjection = useAddObjection(detail.id);
  const resolve = useResolveObjection(detail.id);
  const [resolutions, setResolutions] = useState<Record<string, string>>({});
  const error = record.error ?? addObjection.error ?? resolve.error;
  return (
    <Card size="small" title="公示">
      <Flex vertical gap={12}>
        {detail.notice ? (
          <Typography.Text>
            {detail.notice.startsOn} 至 {detail.notice.endsOn}，{detail.notice.place}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">尚未登记公示</Typography.Text>
        )}
        {error && <Typography.Text type="danger">{describeError(error)}</Typography.Text>}
        {editable && (
          <Form
            layout="vertical"
            initialValues={detail.notice ?? { place: '村务公开栏' }}
            onFinish={(values: { startsOn: string; endsOn: string; place: string }) => record.mutate(values)}
          >
            <Flex gap={8}>
              <Form.Item
                label="开始日期"
                name="startsOn"
                style={{ flex: 1 }}
                rules={[{ required: true, message: '请填写' }]}
              >
                <Input type="date" />
              </Form.Item>
              <Form.Item
                label="结束日期"
                name="endsOn"
                style={{ flex: 1 }}
                rules={[{ required: true, message: '请填写' }]}
              >
                <Input type="date" />
              </Form.Item>
            </Flex>
            <Form.Item label="公示地点" name="place" rules={[{ required: true, message: '请填写公示地点' }]}>
              <Input />
            </Form.Item>
            <Button htmlType="submit" loading={record.isPending} block>
              保存公示信息
            </Button>
          </Form>
        )}
        <Typography.Text strong>异议（{detail.objections.length}）</Typography.Text>
        <List
          size="small"
          dataSource={detail.objections}
          locale={{ emptyText: '未收到异议' }}
          renderItem={(objection) => (
            <List.Item style={{ paddingInline: 0 }}>
              <Flex vertical gap={4} style={{ width: '100%' }}>
                <Typography.Text>
                  {objection.receivedOn} {objection.objector ?? '匿名'}：{objection.content}
                </Typography.Text>
                {objection.resolution ? (
                  <Typography.Text type="success">处理结果：{objection.resolution}</Typography.Text>
                ) : editable ? (
                  <Flex gap={8}>
                    <Input
                      placeholder="处理结果"
                      value={resolutions[objection.id] ?? ''}
                      onChange={(event) =>
                        setResolutions({ ...resolutions, [objection.id]: event.target.value })
                      }
                    />
                    <Button
                      onClick={() =>
                        resolve.mutate({
                          objectionId: objection.id,
                          resolution: resolutions[objection.id] ?? '',
                        })
                      }
                    >
                      登记
                    </Button>
                  </Flex>
                ) : (
                  <Typography.Text type="warning">待处理</Typography.Text>
                )}
              </Flex>
            </List.Item>
          )}
        />
        {editable && (
          <Form
            layout="vertical"
            onFinish={(values: { receivedOn: string; objector?: string; content: string }) =>
              addObjection.mutate(values)
            }
          >
            <Flex gap={8}>
              <Form.Item
                label="收到日期"
                name="receivedOn"
                style={{ flex: 1 }}
                rules={[{ required: true, message: '请填写' }]}
              >
                <Input type="date" />
              </Form.Item>
              <Form.Item label="提出人" name="objector" style={{ flex: 1 }}>
                <Input placeholder="可不填" />
              </Form.Item>
            </Flex>
            <Form.Item
              label="异议内容"
              name="content"
              rules={[{ required: true, message: '请填写异议内容' }]}
            >
              <Input.TextArea rows={2} />
            </Form.Item>
            <Button htmlType="submit" loading={addObjection.isPending} block>
              登记异议
            </Button>
          </Form>
        )}
      </Flex>
    </Card>
  );
}
