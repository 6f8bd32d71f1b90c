import { Alert, App } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { menu } from '../../locales/zh-CN/index.ts';
import { AccountPageFrame } from './components/account-page-frame.tsx';
import { ChangePasswordForm } from './components/change-password-form.tsx';
import { type Me, safeRedirectPath, useMeOrThrow } from './service.ts';

/** 修改密码; forced after the first sign-in or a reset by an administrator. */
export function ChangePasswordPage() {
  const me = useMeOrThrow();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { message } = App.useApp();
  const forced = me.state === 'password_change_required';

  // A new state that still needs a step is routed by the session gate; otherwise go on.
  const onChanged = (next: Me) => {
    message.success('密码已修改');
    if (forced && next.state === 'active')
      navigate(safeRedirectPath(searchParams.get('redirect')), { replace: true });
  };

  return (
    <AccountPageFrame title={menu.changePassword} forced={forced}>
      {forced && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 24 }}
          message="首次登录或密码已重置，请修改密码"
          description="修改密码后才能继续使用系统。"
        />
      )}
      <ChangePasswordForm username={me.user.username} onChanged={onChanged} />
    </AccountPageFrame>
  );
}
