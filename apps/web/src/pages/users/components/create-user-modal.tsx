import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { ApiError, describeError } from '../../../api/client.ts';
import { RegionPicker } from '../../../components/region-picker/index.tsx';
import { regionLevelLabels } from '../../../locales/zh-CN/index.ts';
import { violationsFromDetails } from '../../auth/password-policy.ts';
import { type CreateUserInput, useRolesQuery, userService, useUserMutation } from '../service.ts';
import { PasswordField } from './password-field.tsx';

interface CreateUserValues extends CreateUserInput {}

/** 新建用户; the roles offered are those meant for the chosen region's level. */
export function CreateUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<CreateUserValues>();
  const { message } = App.useApp();
  const [regionLevel, setRegionLevel] = useState<string | undefined>();
  const roles = useRolesQuery();
  const create = useUserMutation(userService.create, true);

  const roleOptions = (roles.data ?? [])
    .filter((role) => regionLevel && role.levels.includes(regionLevel))
    .map((role) => ({ value: role.code, label: role.name }));

  const close = () => {
    form.resetFields();
    setRegionLevel(undefined);
    create.reset();
    onClose();
  };

  const onFinish = (values: CreateUserValues) =>
    create.mutate(
      {
        ...values,
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        department: values.department?.trim() || undefined,
        phone: values.phone?.trim() || undefined,
      },
      {
        onSuccess: (user) => {
          message.success(`已创建用户 ${user.displayName}（${user.username}）`);
          close();
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'auth.weak_password') {
            const violations = violationsFromDetails(error.details);
            form.setFields([{ name: 'password', errors: violations.length ? violations : [error.message] }]);
          }
        },
      },
    );

  const passwordError = create.error instanceof ApiError && create.error.code === 'auth.weak_password';

  return (
    <Modal
      title="新建用户"
      open={open}
      onCancel={close}
      onOk={() => form.submit()}
      okText="创建"
      confirmLoading={create.isPending}
      destroyOnHidden
      width={560}
    >
      {create.error && !passwordError && (
        <Alert type="error" showIcon message={describeError(create.error)} style={{ marginBottom: 16 }} />
      )}
      <Form<CreateUserValues> form={form} layout="vertical" onFinish={onFinish} name="create-user">
        <Form.Item
          label="用户名"
          name="username"
          rules={[
            { required: true, whitespace: true, message: '请输入用户名' },
            { pattern: /^\S+$/, message: '用户名不能包含空格' },
            { max: 64, message: '用户名最长 64 个字符' },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label="姓名"
          name="displayName"
          rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="所属区划" name="regionCode" rules={[{ required: true, message: '请选择所属区划' }]}>
          <RegionPicker
            onChange={(_code, region) => {
              setRegionLevel(region?.level);
              const allowed = new Set(
                (roles.data ?? [])
                  .filter((role) => region && role.levels.includes(region.level))
                  .map((role) => role.code),
              );
              const chosen: string[] = form.getFieldValue('roles') ?? [];
              form.setFieldValue(
                'roles',
                chosen.filter((code) => allowed.has(code)),
              );
            }}
          />
        </Form.Item>
        <Form.Item
          label="角色"
          name="roles"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个角色' }]}
          extra={regionLevel ? `可选${regionLevelLabels[regionLevel] ?? ''}级角色` : undefined}
        >
          <Select
            mode="multiple"
            options={roleOptions}
            loading={roles.isPending}
            disabled={!regionLevel}
            placeholder={regionLevel ? '选择角色' : '请先选择所属区划'}
          />
        </Form.Item>
        <Form.Item label="部门" name="department">
          <Input placeholder="如：乡村振兴局（选填）" />
        </Form.Item>
        <Form.Item
          label="手机号"
          name="phone"
          rules={[{ pattern: /^[0-9+\-\s]{5,20}$/, message: '请输入正确的电话号码' }]}
        >
          <Input inputMode="tel" placeholder="选填" />
        </Form.Item>
        <PasswordField label="初始密码" getUsername={() => form.getFieldValue('username') ?? ''} />
      </Form>
    </Modal>
  );
}
