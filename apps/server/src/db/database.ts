import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Table types, camelCased by Kysely's CamelCasePlugin (columns are snake_case in SQL). */
export interface Database {
  regions: RegionTable;
  roles: RoleTable;
  rolePermissions: RolePermissionTable;
  users: UserTable;
  userRoles: UserRoleTable;
  passwordHistory: PasswordHistoryTable;
  sessions: SessionTable;
  settings: SettingTable;
  auditLog: AuditLogTable;
  auditChainHead: AuditChainHeadTable;
  households: HouseholdTable;
  persons: PersonTable;
  householdIncomes: HouseholdIncomeTable;
  householdRisks: HouseholdRiskTable;
  householdMeasures: HouseholdMeasureTable;
  fieldHistory: FieldHistoryTable;
  importBatches: ImportBatchTable;
  importRowErrors: ImportRowErrorTable;
  analyticsCube: AnalyticsCubeTable;
  analyticsRefreshes: AnalyticsRefreshTable;
  monitoringLeads: MonitoringLeadTable;
  monitoringLeadReports: MonitoringLeadReportTable;
  monitoringCases: MonitoringCaseTable;
  monitoringTransitions: MonitoringTransitionTable;
  monitoringNotices: MonitoringNoticeTable;
  monitoringObjections: MonitoringObjectionTable;
  monitoringAttachments: MonitoringAttachmentTable;
  monitoringKeys: MonitoringKeyTable;
  monitoringUsedChallenges: MonitoringUsedChallengeTable;
  workingCalendar: WorkingCalendarTable;
  rateLimitBuckets: RateLimitBucketTable;
  qualityRules: QualityRuleTable;
  qualityRuleVersions: QualityRuleVersionTable;
  qualityRuns: QualityRunTable;
  qualityFindings: QualityFindingTable;
  qualityExemptions: QualityExemptionTable;
  savedStatistics: SavedStatisticTable;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type RegionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

export interface RegionTable {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  /** Names from the province down, joined without separator, as printed on forms. */
  fullName: string;
}

export interface RoleTable {
  code: string;
  name: string;
  /** Region levels a user with this role may be placed at. */
  levels: string[];
  sortOrder: number;
}

export interface RolePermissionTable {
  roleCode: string;
  permission: string;
}

export interface UserTable {
  id: Generated<string>;
  username: string;
  displayName: string;
  passwordHash: string;
  regionCode: string;
  /** Sector department of a department user, e.g. 民政. */
  department: string | null;
  phone: string | null;
  mustChangePassword: ColumnType<boolean, boolean | undefined, boolean>;
  failedLoginCount: ColumnType<number, number | undefined, number>;
  lockedUntil: Date | null;
  totpSecret: string | null;
  totpEnabled: ColumnType<boolean, boolean | undefined, boolean>;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  lastLoginAt: Date | null;
  lastLoginIp: string | null;
  previousLoginAt: Date | null;
  previousLoginIp: string | null;
  passwordChangedAt: Timestamp;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;

export interface UserRoleTable {
  userId: string;
  roleCode: string;
}

export interface PasswordHistoryTable {
  id: Generated<string>;
  userId: string;
  passwordHash: string;
  createdAt: CreatedAt;
}

export interface SessionTable {
  /** SM3 hash of the cookie token; the token itself is never stored. */
  tokenHash: string;
  userId: string;
  csrfToken: string;
  /** True between a correct password and a correct TOTP code. */
  secondFactorPending: boolean;
  ip: string | null;
  userAgent: string | null;
  createdAt: CreatedAt;
  lastSeenAt: Timestamp;
  expiresAt: Date;
}

export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updatedAt: Timestamp;
  updatedBy: string | null;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditLogTable {
  id: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorUsername: string | null;
  /** Region of the actor, so the log can be scoped like every other region-bound table. */
  regionCode: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  detail: ColumnType<Record<string, unknown>, string, never>;
  prevHash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  id: number;
  lastId: string | null;
  lastHash: string;
  /** After retention drops old partitions, the chain is verified from here. */
  anchorId: string | null;
  anchorPrevHash: string;
}

/** numeric columns come back from pg as strings (exact decimals). */
type Decimal = ColumnType<string | null, string | number | null | undefined, string | number | null>;

export interface HouseholdTable {
  id: Generated<string>;
  regionCode: string;
  householdNo: string;
  householdType: string | null;
  monitoringCategory: string | null;
  /** YYYYMM as exported; kept as text so that malformed values stay visible to the quality rules. */
  identifiedAt: string | null;
  riskEliminated: boolean | null;
  eliminationMethod: string | null;
  eliminatedAt: string | null;
  otherNote: string | null;
  policyEnjoyed: boolean | null;
  householdPhone: string | null;
  noLabourSafetyNet: boolean | null;
  arableLand: Decimal;
  forestLand: Decimal;
  returnedFarmland: Decimal;
  orchardLand: Decimal;
  pastureLand: Decimal;
  waterSurface: Decimal;
  distanceToRoad: Decimal;
  roadHardened: boolean | null;
  housingArea: Decimal;
  dangerousHouse: boolean | null;
  hasElectricity: boolean | null;
  hasSanitaryToilet: boolean | null;
  safeDrinkingWater: boolean | null;
  childDropout: boolean | null;
  uninsuredMember: boolean | null;
  developmentAssistance: string | null;
  publicJobAssistanceNote: string | null;
  collectorName: string | null;
  collectorPhone: string | null;
  status: ColumnType<'active' | 'absent', 'active' | 'absent' | undefined, 'active' | 'absent'>;
  lastBatchId: string | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export type PersonStatus = 'active' | 'deceased' | 'moved_out' | 'absent';

export interface PersonTable {
  id: Generated<string>;
  householdId: string;
  regionCode: string;
  personNo: string | null;
  name: string | null;
  idNumber: string | null;
  idType: string | null;
  relation: string | null;
  gender: string | null;
  birthDate: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  ethnicity: string | null;
  phone: string | null;
  workLocation: string | null;
  employmentChannel: string | null;
  education: string | null;
  schooling: string | null;
  nonAttendanceReason: string | null;
  health: string | null;
  laborSkill: string | null;
  publicJob: string | null;
  publicJobMonths: number | null;
  residentMedicalInsurance: boolean | null;
  employeeMedicalInsurance: boolean | null;
  criticalIllnessInsurance: boolean | null;
  medicalAid: boolean | null;
  residentPension: boolean | null;
  employeePension: boolean | null;
  dibao: string | null;
  tekun: string | null;
  tekunAllowance: Decimal;
  status: ColumnType<PersonStatus, PersonStatus | undefined, PersonStatus>;
  lastBatchId: string | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface HouseholdIncomeTable {
  householdId: string;
  year: number;
  regionCode: string;
  netIncomePerPerson: Decimal;
  wageIncome: Decimal;
  businessIncome: Decimal;
  propertyIncome: Decimal;
  transferIncome: Decimal;
  businessExpense: Decimal;
  eligibleMedicalCost: Decimal;
  postChildDropout: boolean | null;
  postHousingDamaged: boolean | null;
  postUninsuredMember: boolean | null;
  postWaterDamaged: boolean | null;
  postWageIncome: Decimal;
  postPropertyIncome: Decimal;
  postTransferIncome: Decimal;
  postBusinessIncome: Decimal;
  postBusinessExpense: Decimal;
  postNetIncome: Decimal;
  postNetIncomePerPerson: Decimal;
  postInsuranceClaims: Decimal;
  postEligibleMedicalCost: Decimal;
  updatedAt: Timestamp;
}

export interface HouseholdRiskTable {
  householdId: string;
  position: number;
  riskType: string;
}

export interface HouseholdMeasureTable {
  householdId: string;
  category: string;
  value: string;
}

export interface FieldHistoryTable {
  id: Generated<string>;
  householdId: string;
  personId: string | null;
  regionCode: string;
  entity: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  source: string;
  batchId: string | null;
  userId: string | null;
  changedAt: CreatedAt;
}

export type ImportBatchStatus = 'running' | 'succeeded' | 'failed';

export interface ImportBatchTable {
  id: Generated<string>;
  kind: string;
  fileName: string;
  fileSha256: string | null;
  fileSize: string | null;
  statisticsYear: number | null;
  dryRun: ColumnType<boolean, boolean | undefined, boolean>;
  status: ImportBatchStatus;
  phase: string | null;
  rowsRead: ColumnType<string, string | number | undefined, string | number>;
  userId: string | null;
  actorUsername: string | null;
  regionCode: string;
  summary: ColumnType<Record<string, unknown>, string | undefined, string>;
  error: string | null;
  startedAt: CreatedAt;
  finishedAt: Date | null;
}

export interface ImportRowErrorTable {
  batchId: string;
  rowNumber: number;
  columnName: string | null;
  value: string | null;
  reason: string;
}

export interface AnalyticsCubeTable {
  statisticsYear: number;
  regionLevel: RegionLevel;
  regionCode: string;
  liftedStatus: string;
  monitoredStatus: string;
  monitoringCategory: string;
  dimension: string;
  period: string;
  value: string;
  households: ColumnType<string, string | number, string | number>;
  persons: ColumnType<string, string | number, string | number>;
}

export interface AnalyticsRefreshTable {
  id: Generated<string>;
  startedAt: Date;
  finishedAt: CreatedAt;
  trigger: string;
  referenceDates: ColumnType<Record<string, string>, string, string>;
  cubeRows: ColumnType<string, string | number, string | number>;
  milliseconds: number;
}

export type LeadChannel = 'self_report' | 'cadre_visit' | 'department_alert';
export type LeadStatus = 'open' | 'case_opened' | 'dismissed';
export type DismissalKind = 'duplicate' | 'not_in_difficulty' | 'wrong_village' | 'other';
type JsonColumn = ColumnType<Record<string, unknown>, string | undefined, string>;

export interface MonitoringLeadTable {
  id: Generated<string>;
  regionCode: string;
  channel: LeadChannel;
  status: ColumnType<LeadStatus, LeadStatus | undefined, LeadStatus>;
  mergeKey: string;
  householdId: string | null;
  name: string | null;
  idNumber: string | null;
  phone: string | null;
  difficultyTypes: ColumnType<string[], string[] | undefined, string[]>;
  description: string | null;
  reportCount: ColumnType<number, number | undefined, number>;
  dismissalReason: string | null;
  dismissalKind: DismissalKind | null;
  dismissedBy: string | null;
  dismissedByUsername: string | null;
  dismissedAt: Date | null;
  caseId: string | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface MonitoringLeadReportTable {
  id: Generated<string>;
  leadId: string;
  regionCode: string;
  channel: LeadChannel;
  name: string | null;
  phone: string | null;
  difficultyTypes: ColumnType<string[], string[] | undefined, string[]>;
  description: string | null;
  consent: ColumnType<boolean, boolean | undefined, boolean>;
  sourceDetail: JsonColumn;
  userId: string | null;
  ip: string | null;
  receivedAt: CreatedAt;
}

export interface MonitoringCaseTable {
  id: Generated<string>;
  kind: 'identification' | 'elimination';
  regionCode: string;
  /** Null until verification records the household of a person not in the registry. */
  householdId: string | null;
  /** The ID number of the lead, for a case that starts without a household. */
  idNumber: string | null;
  leadId: string | null;
  state: string;
  version: ColumnType<number, number | undefined, number>;
  stepStartedAt: Timestamp;
  stepDueAt: Date | null;
  chainDueAt: Date | null;
  proposedCategory: string | null;
  proposedRisks: ColumnType<string[], string[] | undefined, string[]>;
  proposedMeasures: ColumnType<string[], string[] | undefined, string[]>;
  eliminationMethod: string | null;
  stepData: JsonColumn;
  outcome: 'approved' | 'rejected' | null;
  outcomeReason: string | null;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
  closedAt: Date | null;
}

export interface MonitoringTransitionTable {
  id: Generated<string>;
  caseId: string;
  regionCode: string;
  fromState: string | null;
  toState: string;
  action: 'open' | 'pass' | 'reject' | 'return';
  reason: string | null;
  data: JsonColumn;
  userId: string | null;
  actorUsername: string | null;
  actorRole: string | null;
  occurredAt: CreatedAt;
}

export interface MonitoringNoticeTable {
  caseId: string;
  regionCode: string;
  startsOn: ColumnType<string, string, string>;
  endsOn: ColumnType<string, string, string>;
  place: string;
  userId: string | null;
  createdAt: CreatedAt;
}

export interface MonitoringObjectionTable {
  id: Generated<string>;
  caseId: string;
  regionCode: string;
  receivedOn: ColumnType<string, string, string>;
  objector: string | null;
  content: string;
  resolution: string | null;
  resolvedAt: Date | null;
  userId: string | null;
  createdAt: CreatedAt;
}

export interface MonitoringAttachmentTable {
  id: Generated<string>;
  caseId: string;
  regionCode: string;
  kind: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  content: Buffer;
  userId: string | null;
  uploadedAt: CreatedAt;
}

export interface MonitoringKeyTable {
  name: string;
  secret: Buffer;
  createdAt: CreatedAt;
}

export interface MonitoringUsedChallengeTable {
  nonce: string;
  expiresAt: Date;
}

export type QualityRuleScope = 'person' | 'household';
export type QualityRuleKind = 'expression' | 'aggregate';

export interface QualityRuleTable {
  code: string;
  name: string;
  category: string;
  scope: QualityRuleScope;
  severity: 'error' | 'warning';
  kind: ColumnType<QualityRuleKind, QualityRuleKind | undefined, QualityRuleKind>;
  whenText: string | null;
  note: string | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  builtin: ColumnType<boolean, boolean | undefined, boolean>;
  version: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  updatedBy: string | null;
  updatedAt: Timestamp;
}

export interface QualityRuleVersionTable {
  id: Generated<string>;
  ruleCode: string;
  version: number;
  change: 'create' | 'update' | 'enable' | 'disable';
  name: string;
  category: string;
  severity: string;
  previousWhenText: string | null;
  whenText: string | null;
  enabled: boolean;
  changedBy: string | null;
  changedAt: CreatedAt;
}

export type QualityRunTrigger = 'cli' | 'ui' | 'schedule' | 'import' | 'recheck';
export type QualityRunStatus = 'running' | 'succeeded' | 'failed';

export interface QualityRunTable {
  id: Generated<string>;
  trigger: QualityRunTrigger;
  status: QualityRunStatus;
  phase: string | null;
  progress: ColumnType<number, number | undefined, number>;
  regionCode: string;
  householdCount: number | null;
  startedBy: string | null;
  startedAt: CreatedAt;
  finishedAt: Date | null;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  ruleCount: ColumnType<number, number | undefined, number>;
  counts: ColumnType<Record<string, unknown>, string | undefined, string>;
  error: string | null;
  /** A full run's rules and region range, and when it merged (null for re-checks and failed runs). */
  coveredRuleCodes: ColumnType<string[] | null, string[] | undefined, string[]>;
  coveredLo: ColumnType<string | null, string | undefined, string>;
  coveredHi: ColumnType<string | null, string | undefined, string>;
  mergedAt: ColumnType<Date | null, Date | undefined, Date>;
}

export type QualityFindingStatus = 'open' | 'fixed' | 'exempted';

export interface QualityFindingTable {
  id: Generated<string>;
  ruleCode: string;
  householdId: string;
  personId: string | null;
  regionCode: string;
  status: QualityFindingStatus;
  firstSeenRun: string;
  firstSeenAt: Date;
  lastSeenRun: string;
  lastSeenAt: Date;
  fixedRun: string | null;
  fixedAt: Date | null;
  exemptUntil: Date | null;
}

export type QualityExemptionStatus = 'requested' | 'approved' | 'rejected' | 'expired';

export interface QualityExemptionTable {
  id: Generated<string>;
  findingId: string;
  regionCode: string;
  reason: string;
  status: QualityExemptionStatus;
  expiresAt: Date;
  requestedBy: string | null;
  requestedByName: string;
  requestedAt: CreatedAt;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
}

export interface SavedStatisticTable {
  id: Generated<string>;
  userId: string;
  name: string;
  expression: string;
  scope: 'person' | 'household';
  note: string | null;
  createdAt: CreatedAt;
}

export interface WorkingCalendarTable {
  day: ColumnType<string, string, string>;
  kind: 'holiday' | 'workday';
  name: string;
  updatedAt: Timestamp;
}

export interface RateLimitBucketTable {
  route: string;
  clientKey: string;
  windowStart: Date;
  hits: number;
  expiresAt: Date;
}
