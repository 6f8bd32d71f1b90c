import type { Migration } from 'kysely';
import * as createFoundation from './20261123T1000-create-foundation.ts';
import * as seedRoles from './20261123T1001-seed-roles.ts';
import * as addLoginHistory from './20261123T1002-add-login-history.ts';
import * as createRegistry from './20261123T1100-create-registry.ts';
import * as registryPermissions from './20261123T1101-registry-permissions.ts';
import * as registrySearchIndexes from './20261123T1200-registry-search-indexes.ts';
import * as createAnalytics from './20261123T2100-create-analytics.ts';
import * as createMonitoring from './20261124T1100-create-monitoring.ts';
import * as monitoringPermissions from './20261124T1101-monitoring-permissions.ts';
import * as createQuality from './20261124T1200-create-quality.ts';
import * as qualityPermissions from './20261124T1201-quality-permissions.ts';
import * as householdsAbsentIndex from './20261125T0600-households-absent-index.ts';
import * as createSavedStatistics from './20261125T0601-create-saved-statistics.ts';
import * as monitoringLeadsDismissal from './20261125T0602-monitoring-leads-dismissal.ts';
import * as workingCalendar from './20261125T0603-working-calendar.ts';
import * as rateLimitBuckets from './20261125T0604-rate-limit-buckets.ts';
import * as qualityRunCoverage from './20261125T0605-quality-run-coverage.ts';
import * as qualityRunsCoveringIndex from './20261125T0606-quality-runs-covering-index.ts';
import * as customStatisticSelections from './20261125T0607-custom-statistic-selections.ts';
import * as householdImportDigests from './20261125T0700-household-import-digests.ts';

/**
 * Every migration, by name. Listed statically (not read from the folder) so that they load the same
 * under tsx, vitest and any bundler; a test checks that no file in this folder is missing here.
 */
export const migrations: Record<string, Migration> = {
  '20261123T1000-create-foundation': createFoundation,
  '20261123T1001-seed-roles': seedRoles,
  '20261123T1002-add-login-history': addLoginHistory,
  '20261123T1100-create-registry': createRegistry,
  '20261123T1101-registry-permissions': registryPermissions,
  '20261123T1200-registry-search-indexes': registrySearchIndexes,
  '20261123T2100-create-analytics': createAnalytics,
  '20261124T1100-create-monitoring': createMonitoring,
  '20261124T1101-monitoring-permissions': monitoringPermissions,
  '20261124T1200-create-quality': createQuality,
  '20261124T1201-quality-permissions': qualityPermissions,
  '20261125T0600-households-absent-index': householdsAbsentIndex,
  '20261125T0601-create-saved-statistics': createSavedStatistics,
  '20261125T0602-monitoring-leads-dismissal': monitoringLeadsDismissal,
  '20261125T0603-working-calendar': workingCalendar,
  '20261125T0604-rate-limit-buckets': rateLimitBuckets,
  '20261125T0605-quality-run-coverage': qualityRunCoverage,
  '20261125T0606-quality-runs-covering-index': qualityRunsCoveringIndex,
  '20261125T0607-custom-statistic-selections': customStatisticSelections,
  '20261125T0700-household-import-digests': householdImportDigests,
};
