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
