import { Spin } from 'antd';
import { Suspense } from 'react';
import { buildAccess } from '../access.ts';
import { useMeOrThrow } from '../pages/auth/service.ts';
import { ForbiddenPage } from '../pages/exception/403.tsx';
import { type AppRoute, isAllowed } from '../routes.tsx';

/** Renders a route's page, or 403 when the user lacks its access flag. */
export function AccessGuard({ route }: { route: AppRoute }) {
  const me = useMeOrThrow();
  if (!isAllowed(route, buildAccess(me.user))) return <ForbiddenPage />;
  const Page = route.component;
  if (!Page) return null;
  return (
    <Suspense fallback={<Spin style={{ display: 'block', margin: '96px auto' }} />}>
      <Page />
    </Suspense>
  );
}
