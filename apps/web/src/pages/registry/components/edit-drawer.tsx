import { Alert, App, Button, Drawer, Form, type FormInstance, Grid, Row, Space } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { ApiError, describeError } from '../../../api/client.ts';
import type { RecordUpdate } from '../service.ts';

export type FormValues = Record<string, unknown>;

/** Blank, undefined and null are one "empty"; text is compared trimmed, lists by their items. */
function comparable(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

function submitted(value: unknown): unknown {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  return value;
}

/** The fields whose value differs from what the form was opened with. */
export function changedFields(initial: FormValues, current: FormValues, keepWhenBlank: string[]): FormValues {
  const changes: FormValues = {};
  for (const [field, value] of Object.entries(current)) {
    if (keepWhenBlank.includes(field) && comparable(value) === '') continue;
    if (comparable(value) !== comparable(initial[field])) changes[field] = submitted(value);
  }
  return changes;
}

interface EditDrawerProps {
  title: string;
  open: boolean;
  onClose: () => void;
  form: FormInstance<FormValues>;
  name: string;
  initialValues: FormValues;
  /** The version the form edits; a newer one reloads the form. */
  updatedAt: string;
  /** Fields where blank means "keep" (ID number and phones, shown masked). */
  keepWhenBlank?: string[];
  save: (update: RecordUpdate) => Promise<unknown>;
  saving: boolean;
  onReload: () => void;
  /** Shown under the form, e.g. the quality rules the draft would be flagged by. */
  below?: ReactNode;
  children: ReactNode;
}

/**
 * The frame of both edit forms: sends only the changed fields with the loaded `updatedAt`, shows the
 * server's field errors beside their inputs, and explains a conflicting edit with a way to reload.
 */
export function EditDrawer({
  title,
  open,
  onClose,
  form,
  name,
  initialValues,
  updatedAt,
  keepWhenBlank = [],
  save,
  saving,
  onReload,
  below,
  children,
}: EditDrawerProps) {
  const { message } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  // A conflict concerns the version it was found on; a reload brings a new version and clears it.
  const [conflictFound, setConflictFound] = useState<{ message: string; updatedAt: string } | null>(null);
  const conflict = conflictFound?.updatedAt === updatedAt ? conflictFound.message : null;
  const setConflict = (message: string | null) =>
    setConflictFound(message === null ? null : { message, updatedAt });
  const [failure, setFailure] = useState<string | null>(null);

  // A new version (after a reload) starts the form again from its values.
  const shownVersion = useRef(updatedAt);
  useEffect(() => {
    if (shownVersion.current === updatedAt) return;
    shownVersion.current = updatedAt;
    form.resetFields();
  });

  const close = () => {
    setConflict(null);
    setFailure(null);
    // Opening the form again starts from the record, not from what was typed and abandoned.
    form.resetFields();
    onClose();
  };

  const onFinish = async (values: FormValues) => {
    setFailure(null);
    const changes = changedFields(initialValues, values, keepWhenBlank);
    if (Object.keys(changes).length === 0) {
      message.info('没有修改任何内容');
      close();
      return;
    }
    try {
      await save({ updatedAt, ...changes });
      message.success('已保存，修改已记入变更记录');
      close();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'registry.invalid_fields') {
        const fields = (error.details?.fields ?? {}) as Record<string, string>;
        form.setFields(
          Object.entries(fields).map(([field, problem]) => ({ name: field, errors: [problem] })),
        );
        setFailure(error.message);
      } else if (error instanceof ApiError && error.code === 'registry.stale_record') {
        setConflict(error.message);
      } else {
        setFailure(describeError(error));
      }
    }
  };

  return (
    <Drawer
      title={title}
      open={open}
      onClose={close}
      width={wide ? 680 : '100%'}
      destroyOnHidden
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={close}>取消</Button>
          <Button type="primary" loading={saving} disabled={conflict !== null} onClick={() => form.submit()}>
            保存
          </Button>
        </Space>
      }
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={conflict}
          action={
            <Button size="small" onClick={onReload}>
              重新载入
            </Button>
          }
        />
      )}
      {failure && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={failure} />}
      <Form<FormValues>
        form={form}
        name={name}
        layout="vertical"
        initialValues={initialValues}
        onFinish={onFinish}
        scrollToFirstError
      >
        <Row gutter={16}>{children}</Row>
      </Form>
      {below}
    </Drawer>
  );
}
