import { Alert, App } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { menu } from '../../locales/zh-CN/index.ts';
import { AccountPageFrame } from './components/account-page-frame.tsx';
import { TotpDisable } from './components/totp-disable.tsx';
import { TotpEnrolment } from './components/totp-enrolment.tsx';
import { type Me, safeRedirectPath, useMeOrThrow } from './service.ts';

/** 双因素认证: enrol with an authenticator app, or turn it off. Forced for administrators. */
export function TotpPage() {
  const me = useMeOrThrow();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { message } = App.useApp();
  const forced = me.state === 'totp_enrolment_required';

  const onEnabled = (next: Me) => {
    message.success('双因素认证已启用');
    if (forced && next.state === 'active')
      navigate(safeRedirectPath(searchParams.get('redirect')), { replace: true });
  };

  return (
    <AccountPageFrame title={menu.totp} forced={forced}>
      {forced && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 24 }}
          message="管理员须启用双因素认证"
          description="您的账号具有管理权限，请先绑定身份验证器，之后才能继续使用系统。"
        />
      )}
      {me.user.totpEnabled ? (
        <TotpDisable onDisabled={() => message.success('双因素认证已停用')} />
      ) : (
        <TotpEnrolment onEnabled={onEnabled} />
      )}
    </AccountPageFrame>
  );
}
