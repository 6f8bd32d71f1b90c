import { Button, Result } from 'antd';
import { lazy, Suspense } from 'react';
import { Navigate, useLocation } from 'react-router';
import { describeError } from '../api/client.ts';
import { PageSpinner } from '../components/page-spinner/index.tsx';
import { SessionWatermark } from '../components/session-watermark/index.tsx';
import { nextStepPath, useMeQuery, withRedirect } from '../pages/auth/service.ts';
import { accountStepPaths } from '../routes.tsx';
import { StepLayout } from './step-layout.tsx';

// ProLayout is the heaviest dependency; it loads after the session is known.
const BasicLayout = lazy(() =>
  import('./basic-layout.tsx').then((module) => ({ default: module.BasicLayout })),
);

/**
 * Every signed-in page passes here: no session → login; a session with a forced step (second factor,
 * password change, TOTP enrolment) → that step; otherwise the main layout.
 */
export function SessionGate() {
  const location = useLocation();
  const { data: me, isPending, error, refetch } = useMeQuery();

  if (isPending) return <PageSpinner />;
  if (error) {
    return (
      <div className="full-page-center">
        <Result
          status="warning"
          title="暂时无法连接服务器"
          subTitle={describeError(error)}
          extra={
            <Button type="primary" onClick={() => refetch()}>
              重试
            </Button>
          }
        />
      </div>
    );
  }
  // Where the user was heading, carried through login and forced steps.
  const redirect = accountStepPaths.includes(location.pathname)
    ? new URLSearchParams(location.search).get('redirect')
    : `${location.pathname}${location.search}`;

  if (!me) return <Navigate to={withRedirect('/login', redirect)} replace />;

  const stepPath = nextStepPath(me.state);
  if (stepPath && stepPath !== location.pathname) {
    return <Navigate to={withRedirect(stepPath, redirect)} replace />;
  }

  return (
    <SessionWatermark username={me.user.username}>
      {stepPath && accountStepPaths.includes(stepPath) ? (
        <StepLayout />
      ) : (
        <Suspense fallback={<PageSpinner />}>
          <BasicLayout />
        </Suspense>
      )}
    </SessionWatermark>
  );
}
