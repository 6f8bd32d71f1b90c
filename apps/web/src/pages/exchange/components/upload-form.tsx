import { InboxOutlined } from '@ant-design/icons';
import { Button, Flex, Form, InputNumber, Switch, Typography, Upload } from 'antd';
import { useState } from 'react';

export interface UploadFormValues {
  file: File;
  dryRun: boolean;
  year: number;
}

interface UploadFormProps {
  busy: boolean;
  onStart: (values: UploadFormValues) => void;
}

const thisYear = new Date().getFullYear();

/** Pick the national export (xlsx or csv), the statistics year of its incomes, and whether to only try. */
export function UploadForm({ busy, onStart }: UploadFormProps) {
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(true);
  const [year, setYear] = useState<number>(thisYear);

  return (
    <Form layout="vertical" disabled={busy} onFinish={() => file && onStart({ file, dryRun, year })}>
      <Form.Item label="国家系统导出文件（监测对象信息）" required>
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          multiple={false}
          fileList={file ? [{ uid: 'file', name: file.name, status: 'done', size: file.size }] : []}
          beforeUpload={(picked) => {
            setFile(picked);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">点击或拖入文件</p>
          <p className="ant-upload-hint">
            支持从国家系统直接下载的 .xlsx 和 .csv（UTF-8 或 GBK/GB18030），无需手工整理；单个文件不超过 500
            MB
          </p>
        </Upload.Dragger>
      </Form.Item>
      <Flex wrap gap={24}>
        <Form.Item label="统计年度" tooltip="文件中收入、支出各列所属的年度">
          <InputNumber min={2000} max={2100} value={year} onChange={(value) => value && setYear(value)} />
        </Form.Item>
        <Form.Item label="试导入" tooltip="只校验并报告将发生的变化，不写入台账">
          <Flex align="center" gap={8}>
            <Switch checked={dryRun} onChange={setDryRun} aria-label="试导入" />
            <Typography.Text type="secondary">
              {dryRun ? '只校验，不写入' : '校验通过后写入台账'}
            </Typography.Text>
          </Flex>
        </Form.Item>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        文件是所覆盖县的完整快照：新增的户和人员写入台账，变化的字段留下变更记录，文件中没有的户和人员标记为“缺失”（不删除）。
        任何一行有错误（村无法识别、证件号码格式错误、一户多个户主等），整个文件都不会导入。
      </Typography.Paragraph>
      <Button type="primary" htmlType="submit" disabled={!file || busy} loading={busy}>
        {dryRun ? '开始试导入' : '开始导入'}
      </Button>
    </Form>
  );
}
