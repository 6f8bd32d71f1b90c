import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BulbOutlined,
  CheckCircleOutlined,
  CloudUploadOutlined,
  ContactsOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  FilterOutlined,
  FormOutlined,
  HistoryOutlined,
  HomeOutlined,
  NodeIndexOutlined,
  OrderedListOutlined,
  PlayCircleOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  SolutionOutlined,
  SwapOutlined,
  TableOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import type { Access, AccessFlag } from './access.ts';
import { menu } from './locales/zh-CN/index.ts';

export interface AppRoute {
  path: string;
  name: string;
  icon?: ReactNode;
  /** The access flag a user needs; pages without one are open to every signed-in user. */
  access?: AccessFlag;
  hideInMenu?: boolean;
  /** One line for the module card on the workbench. */
  description?: string;
  component?: LazyExoticComponent<ComponentType>;
  children?: AppRoute[];
}

const WorkbenchPage = lazy(() =>
  import('./pages/workbench/index.tsx').then((module) => ({ default: module.WorkbenchPage })),
);
const UsersPage = lazy(() =>
  import('./pages/users/index.tsx').then((module) => ({ default: module.UsersPage })),
);
const AuditPage = lazy(() =>
  import('./pages/audit/index.tsx').then((module) => ({ default: module.AuditPage })),
);
const RegionsPage = lazy(() =>
  import('./pages/regions/index.tsx').then((module) => ({ default: module.RegionsPage })),
);
const ChangePasswordPage = lazy(() =>
  import('./pages/auth/change-password.tsx').then((module) => ({ default: module.ChangePasswordPage })),
);
const TotpPage = lazy(() => import('./pages/auth/totp.tsx').then((module) => ({ default: module.TotpPage })));
const HouseholdListPage = lazy(() =>
  import('./pages/registry/index.tsx').then((module) => ({ default: module.HouseholdListPage })),
);
const HouseholdDetailPage = lazy(() =>
  import('./pages/registry/household-detail.tsx').then((module) => ({ default: module.HouseholdDetailPage })),
);
const PersonListPage = lazy(() =>
  import('./pages/registry/persons.tsx').then((module) => ({ default: module.PersonListPage })),
);

const AnalyticsReportsPage = lazy(() =>
  import('./pages/analytics/index.tsx').then((module) => ({ default: module.AnalyticsReportsPage })),
);
const CustomStatisticsPage = lazy(() =>
  import('./pages/analytics/custom.tsx').then((module) => ({ default: module.CustomStatisticsPage })),
);
// ECharts comes only with this page: its own lazy chunk, never in the entry.
const AnalyticsDashboardPage = lazy(() =>
  import('./pages/analytics/dashboard.tsx').then((module) => ({ default: module.AnalyticsDashboardPage })),
);
const LeadsPage = lazy(() =>
  import('./pages/monitoring/leads.tsx').then((module) => ({ default: module.LeadsPage })),
);
const VisitPage = lazy(() =>
  import('./pages/monitoring/visit.tsx').then((module) => ({ default: module.VisitPage })),
);
const CasesPage = lazy(() =>
  import('./pages/monitoring/cases.tsx').then((module) => ({ default: module.CasesPage })),
);
const CaseDetailPage = lazy(() =>
  import('./pages/monitoring/case-detail.tsx').then((module) => ({ default: module.CaseDetailPage })),
);

const ImportPage = lazy(() =>
  import('./pages/exchange/index.tsx').then((module) => ({ default: module.ImportPage })),
);
const ImportBatchesPage = lazy(() =>
  import('./pages/exchange/batches.tsx').then((module) => ({ default: module.ImportBatchesPage })),
);
const ImportBatchPage = lazy(() =>
  import('./pages/exchange/batch-detail.tsx').then((module) => ({ default: module.ImportBatchPage })),
);

const RuleListPage = lazy(() =>
  import('./pages/quality/rules.tsx').then((module) => ({ default: module.RuleListPage })),
);
const RunsPage = lazy(() =>
  import('./pages/quality/runs.tsx').then((module) => ({ default: module.RunsPage })),
);
const FindingsOverviewPage = lazy(() =>
  import('./pages/quality/findings.tsx').then((module) => ({ default: module.FindingsOverviewPage })),
);
const FindingListPage = lazy(() =>
  import('./pages/quality/finding-list.tsx').then((module) => ({ default: module.FindingListPage })),
);
const RankingsPage = lazy(() =>
  import('./pages/quality/rankings.tsx').then((module) => ({ default: module.RankingsPage })),
);
const ExemptionsPage = lazy(() =>
  import('./pages/quality/exemptions.tsx').then((module) => ({ default: module.ExemptionsPage })),
);

/** Every signed-in page, its menu entry and the access flag it needs — in one place. */
export const appRoutes: AppRoute[] = [
  { path: '/', name: menu.workbench, icon: <HomeOutlined />, component: WorkbenchPage },
  // registry routes
  {
    path: '/registry',
    name: menu.registry,
    icon: <SolutionOutlined />,
    children: [
      {
        path: '/registry/households',
        name: menu.households,
        icon: <ContactsOutlined />,
        access: 'canReadHouseholds',
        description: '按区划、户类型、监测类别、风险查找农户，查看家庭成员、收入与帮扶措施',
        component: HouseholdListPage,
      },
      {
        path: '/registry/households/:id',
        name: menu.householdDetail,
        access: 'canReadHouseholds',
        hideInMenu: true,
        component: HouseholdDetailPage,
      },
      {
        path: '/registry/persons',
        name: menu.persons,
        icon: <UserOutlined />,
        access: 'canReadHouseholds',
        description: '按年龄、健康、劳动技能、在校情况查找家庭成员',
        component: PersonListPage,
      },
    ],
  },
  // monitoring routes
  {
    path: '/monitoring',
    name: menu.monitoring,
    icon: <AlertOutlined />,
    children: [
      {
        path: '/monitoring/leads',
        name: menu.leads,
        icon: <BulbOutlined />,
        access: 'canReadMonitoring',
        description: '农户自主申报、干部走访和部门预警发现的线索，启动识别',
        component: LeadsPage,
      },
      {
        path: '/monitoring/visit',
        name: menu.visit,
        icon: <FormOutlined />,
        access: 'canReportLeads',
        description: '入户走访发现困难农户，登记为线索',
        component: VisitPage,
      },
      {
        path: '/monitoring/cases',
        name: menu.cases,
        icon: <NodeIndexOutlined />,
        access: 'canReadMonitoring',
        description: '识别纳入与风险消除案件，按环节办理',
        component: CasesPage,
      },
      {
        path: '/monitoring/cases/:id',
        name: menu.caseDetail,
        access: 'canReadMonitoring',
        hideInMenu: true,
        component: CaseDetailPage,
      },
    ],
  },
  // exchange routes
  {
    path: '/exchange',
    name: menu.exchange,
    icon: <SwapOutlined />,
    children: [
      {
        path: '/exchange/import',
        name: menu.dataImport,
        icon: <CloudUploadOutlined />,
        access: 'canRunImports',
        description: '上传国家系统导出的监测对象信息，校验后同步到台账',
        component: ImportPage,
      },
      {
        path: '/exchange/batches',
        name: menu.importBatches,
        icon: <HistoryOutlined />,
        access: 'canReadImports',
        description: '查看每次导入的结果、变化数量和错误明细',
        component: ImportBatchesPage,
      },
      {
        path: '/exchange/batches/:id',
        name: menu.importBatch,
        access: 'canReadImports',
        hideInMenu: true,
        component: ImportBatchPage,
      },
    ],
  },
  // analytics routes
  {
    path: '/analytics',
    name: menu.analytics,
    icon: <BarChartOutlined />,
    children: [
      {
        path: '/analytics/dashboard',
        name: menu.analyticsDashboard,
        icon: <DashboardOutlined />,
        access: 'canReadAnalytics',
        description: '核心指标、逐月新识别与消除趋势、人口结构、下级区划对比与数据质量排名，可全屏展示',
        component: AnalyticsDashboardPage,
      },
      {
        path: '/analytics/reports',
        name: menu.analyticsReports,
        icon: <TableOutlined />,
        access: 'canReadAnalytics',
        description: '按区划逐级查看人口、年龄、健康、劳动力、监测与消除等标准报表，导出 Excel',
        component: AnalyticsReportsPage,
      },
      {
        path: '/analytics/custom',
        name: menu.analyticsCustom,
        icon: <FilterOutlined />,
        access: 'canReadAnalytics',
        description: '用规则语言的条件筛选人员或农户，按区划统计户数、人数，查看并导出脱敏人员名单',
        component: CustomStatisticsPage,
      },
    ],
  },
  // quality routes
  {
    path: '/quality',
    name: menu.quality,
    icon: <SafetyCertificateOutlined />,
    children: [
      {
        path: '/quality/findings',
        name: menu.qualityFindings,
        icon: <FileSearchOutlined />,
        access: 'canReadQuality',
        description: '按规则、按区划查看数据质量问题及整改情况，逐级下钻到村，导出 Excel',
        component: FindingsOverviewPage,
      },
      {
        path: '/quality/findings/list',
        name: menu.qualityFindingList,
        access: 'canReadQuality',
        hideInMenu: true,
        component: FindingListPage,
      },
      {
        path: '/quality/rankings',
        name: menu.qualityRankings,
        icon: <TrophyOutlined />,
        access: 'canReadQuality',
        description: '按问题户占比和整改进度对下级区划排名',
        component: RankingsPage,
      },
      {
        path: '/quality/exemptions',
        name: menu.qualityExemptions,
        icon: <CheckCircleOutlined />,
        access: 'canApproveExemptions',
        description: '审批基层提出的数据质量问题豁免申请',
        component: ExemptionsPage,
      },
      {
        path: '/quality/runs',
        name: menu.qualityRuns,
        icon: <PlayCircleOutlined />,
        access: 'canReadQuality',
        description: '按启用的规则检查台账数据，查看每次检查的进度和结果',
        component: RunsPage,
      },
      {
        path: '/quality/rules',
        name: menu.qualityRules,
        icon: <OrderedListOutlined />,
        access: 'canReadQuality',
        description: '查看、新建和修改数据质量规则，试算影响范围，查看修改历史',
        component: RuleListPage,
      },
    ],
  },
  {
    path: '/system',
    name: menu.system,
    icon: <SettingOutlined />,
    children: [
      {
        path: '/system/users',
        name: menu.users,
        icon: <TeamOutlined />,
        access: 'canReadUsers',
        description: '查看和维护本辖区的系统账号、角色与状态',
        component: UsersPage,
      },
      {
        path: '/system/audit',
        name: menu.audit,
        icon: <AuditOutlined />,
        access: 'canReadAudit',
        description: '查询操作记录，导出并校验日志完整性',
        component: AuditPage,
      },
      {
        path: '/system/regions',
        name: menu.regions,
        icon: <ApartmentOutlined />,
        access: 'canReadRegions',
        description: '逐级浏览和搜索本辖区的行政区划',
        component: RegionsPage,
      },
    ],
  },
  { path: '/account/password', name: menu.changePassword, hideInMenu: true, component: ChangePasswordPage },
  { path: '/account/totp', name: menu.totp, hideInMenu: true, component: TotpPage },
];

/** Paths a session that still has a forced step to take may open. */
export const accountStepPaths = ['/account/password', '/account/totp'];

export function flattenRoutes(routes: AppRoute[]): AppRoute[] {
  return routes.flatMap((route) => [route, ...flattenRoutes(route.children ?? [])]);
}

export function isAllowed(route: AppRoute, access: Access): boolean {
  return route.access === undefined || access[route.access];
}

/** The menu tree the user may see: forbidden pages and groups left empty are dropped. */
export function filterMenuRoutes(routes: AppRoute[], access: Access): AppRoute[] {
  return routes.flatMap((route) => {
    if (route.hideInMenu || !isAllowed(route, access)) return [];
    if (!route.children) return [route];
    const children = filterMenuRoutes(route.children, access);
    return children.length > 0 ? [{ ...route, children }] : [];
  });
}

/** Module pages (with a description) the user may open, for the workbench cards. */
export function modulesFor(access: Access): AppRoute[] {
  return flattenRoutes(appRoutes).filter((route) => route.description && isAllowed(route, access));
}
