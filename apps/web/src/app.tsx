import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider } from 'antd';
// The ES build: `antd/locale/zh_CN` is CommonJS and its default export arrives wrapped under Rolldown.
import zhCN from 'antd/es/locale/zh_CN';
import { lazy, Suspense, useEffect } from 'react';
import { createBrowserRouter, type RouteObject, RouterProvider } from 'react-router';
import { registerNotifier } from './api/client.ts';
import { createQueryClient } from './api/query-client.ts';
import { PageSpinner } from './components/page-spinner/index.tsx';
import { AccessGuard } from './layouts/access-guard.tsx';
import { SessionGate } from './layouts/session-gate.tsx';
import { NotFoundPage } from './pages/exception/404.tsx';
import { appRoutes, flattenRoutes } from './routes.tsx';

const LoginPage = lazy(() =>
  import('./pages/auth/index.tsx').then((module) => ({ default: module.LoginPage })),
);

const SelfReportPage = lazy(() =>
  import('./pages/monitoring/self-report.tsx').then((module) => ({ default: module.SelfReportPage })),
);

const queryClient = createQueryClient();

const signedInRoutes: RouteObject[] = flattenRoutes(appRoutes)
  .filter((route) => route.component)
  .map((route) => ({ path: route.path, element: <AccessGuard route={route} /> }));

const router = createBrowserRouter([
  {
    path: '/login',
    element: (
      <Suspense fallback={<PageSpinner />}>
        <LoginPage />
      </Suspense>
    ),
  },
  // The farmers' page behind the village QR code: no sign-in, outside the signed-in layout.
  {
    path: '/report/:token',
    element: (
      <Suspense fallback={<PageSpinner />}>
        <SelfReportPage />
      </Suspense>
    ),
  },
  { element: <SessionGate />, children: [...signedInRoutes, { path: '*', element: <NotFoundPage /> }] },
]);

/** Hands the themed message API to the API client, the one place errors are shown. */
function NotifierRegistration() {
  const { message } = AntdApp.useApp();
  useEffect(() => {
    registerNotifier(message);
    return () => registerNotifier(null);
  }, [message]);
  return null;
}

export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      button={{ autoInsertSpace: false }}
      theme={{ token: { colorPrimary: '#1677ff' } }}
    >
      <AntdApp>
        <NotifierRegistration />
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntdApp>
    </ConfigProvider>
  );
}
