import { Navigate, useSearchParams } from 'react-router';
import { PageSpinner } from '../../components/page-spinner/index.tsx';
import { AuthFrame } from './components/auth-frame.tsx';
import { LoginForm } from './components/login-form.tsx';
import { SecondFactorForm } from './components/second-factor-form.tsx';
import { nextStepPath, safeRedirectPath, useMeQuery, withRedirect } from './service.ts';

/**
 * 登录. Signing in stores the answer as the session; this page then follows its state to the second
 * factor step, a forced account step, or the page the user wanted.
 */
export function LoginPage() {
  const [searchParams] = useSearchParams();
  const redirect = safeRedirectPath(searchParams.get('redirect'));
  const { data: me, isPending } = useMeQuery();

  if (isPending) return <PageSpinner />;
  if (me && me.state !== 'second_factor_required') {
    const stepPath = nextStepPath(me.state);
    return <Navigate to={stepPath ? withRedirect(stepPath, redirect) : redirect} replace />;
  }
  return (
    <AuthFrame>
      {me ? (
        <SecondFactorForm displayName={me.user.displayName} />
      ) : (
        <LoginForm expired={searchParams.get('expired') === '1'} />
      )}
    </AuthFrame>
  );
}
