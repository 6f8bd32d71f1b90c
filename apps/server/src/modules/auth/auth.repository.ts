import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { Database, NewUser, UserRow } from '../../db/database.ts';
import { withRegionScope } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';

export interface UserWithRoles extends UserRow {
  roles: Array<{ code: string; name: string }>;
  regionFullName: string;
  regionName: string;
  regionLevel: string;
}

export interface SessionWithUser {
  tokenHash: string;
  csrfToken: string;
  secondFactorPending: boolean;
  lastSeenAt: Date;
  expiresAt: Date;
  user: UserWithRoles;
  permissions: string[];
}

type Executor = Kysely<Database>;

export class AuthRepository {
  constructor(private readonly db: DB) {}

  private selectUsers(executor: Executor = this.db) {
    return executor
      .selectFrom('users as u')
      .innerJoin('regions as region', 'region.code', 'u.regionCode')
      .selectAll('u')
      .select([
        'region.fullName as regionFullName',
        'region.name as regionName',
        'region.level as regionLevel',
      ])
      .select(
        sql<Array<{ code: string; name: string }>>`coalesce((
          SELECT json_agg(json_build_object('code', role.code, 'name', role.name) ORDER BY role.sort_order)
          FROM user_roles JOIN roles role ON role.code = user_roles.role_code
          WHERE user_roles.user_id = u.id), '[]'::json)`.as('roles'),
      );
  }

  /** For sign-in only: not scoped, the caller is not known yet. */
  async findByUsername(username: string): Promise<UserWithRoles | undefined> {
    return this.selectUsers().where('u.username', '=', username).executeTakeFirst();
  }

  async findById(options: { id: string; scope: RegionRange }): Promise<UserWithRoles | undefined> {
    if (!/^\d+$/.test(options.id)) return undefined;
    return withRegionScope(this.selectUsers(), options.scope, 'u.regionCode')
      .where('u.id', '=', options.id)
      .executeTakeFirst();
  }

  private searchQuery(options: { scope: RegionRange; regionScope?: RegionRange; text?: string }) {
    let query = withRegionScope(this.selectUsers(), options.scope, 'u.regionCode');
    if (options.regionScope) query = withRegionScope(query, options.regionScope, 'u.regionCode');
    if (options.text) {
      const pattern = `%${options.text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      query = query.where((eb) =>
        eb.or([eb('u.username', 'like', pattern), eb('u.displayName', 'like', pattern)]),
      );
    }
    return query;
  }

  async search(options: {
    scope: RegionRange;
    regionScope?: RegionRange;
    text?: string;
    offset: number;
    limit: number;
  }): Promise<{ items: UserWithRoles[]; total: number }> {
    const [items, totalRow] = await Promise.all([
      this.searchQuery(options)
        .orderBy('u.regionCode')
        .orderBy('u.id')
        .offset(options.offset)
        .limit(options.limit)
        .execute(),
      this.db
        .selectFrom(this.searchQuery(options).as('matching'))
        .select(sql<number>`count(*)::int`.as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: totalRow.total };
  }

  async insertUser(executor: Executor, user: NewUser, roles: string[]): Promise<string> {
    const { id } = await executor.insertInto('users').values(user).returning('id').executeTakeFirstOrThrow();
    if (roles.length > 0) {
      await executor
        .insertInto('userRoles')
        .values(roles.map((roleCode) => ({ userId: id, roleCode })))
        .execute();
    }
    await executor
      .insertInto('passwordHistory')
      .values({ userId: id, passwordHash: user.passwordHash })
      .execute();
    return id;
  }

  async updateUser(
    executor: Executor,
    id: string,
    changes: Partial<Omit<UserRow, 'id' | 'createdAt'>>,
  ): Promise<void> {
    await executor
      .updateTable('users')
      .set({ ...changes, updatedAt: new Date() })
      .where('id', '=', id)
      .execute();
  }

  /** Counts a failed sign-in atomically; returns the new count. */
  async incrementFailedLogins(id: string): Promise<number> {
    const row = await this.db
      .updateTable('users')
      .set((eb) => ({ failedLoginCount: eb('failedLoginCount', '+', 1) }))
      .where('id', '=', id)
      .returning('failedLoginCount')
      .executeTakeFirstOrThrow();
    return row.failedLoginCount;
  }

  async recentPasswordHashes(userId: string, depth: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('passwordHistory')
      .select('passwordHash')
      .where('userId', '=', userId)
      .orderBy('id', 'desc')
      .limit(depth)
      .execute();
    return rows.map((row) => row.passwordHash);
  }

  async addPasswordHistory(executor: Executor, userId: string, passwordHash: string): Promise<void> {
    await executor.insertInto('passwordHistory').values({ userId, passwordHash }).execute();
  }

  async listRoles() {
    return this.db
      .selectFrom('roles as role')
      .select(['role.code', 'role.name', 'role.levels'])
      .select(
        sql<string[]>`coalesce((SELECT array_agg(permission ORDER BY permission) FROM role_permissions
          WHERE role_code = role.code), '{}')`.as('permissions'),
      )
      .orderBy('role.sortOrder')
      .execute();
  }

  async listPermissions(roleCodes: string[]): Promise<string[]> {
    if (roleCodes.length === 0) return [];
    const rows = await this.db
      .selectFrom('rolePermissions')
      .select('permission')
      .distinct()
      .where('roleCode', 'in', roleCodes)
      .execute();
    return rows.map((row) => row.permission);
  }

  async insertSession(
    session: Database['sessions'] extends infer T
      ? Omit<T, 'createdAt' | 'lastSeenAt'> & { expiresAt: Date }
      : never,
  ) {
    await this.db.insertInto('sessions').values(session).execute();
  }

  async findSession(tokenHash: string): Promise<SessionWithUser | undefined> {
    const session = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
    if (!session) return undefined;
    const user = await this.selectUsers().where('u.id', '=', session.userId).executeTakeFirst();
    if (!user) return undefined;
    const permissions = await this.listPermissions(user.roles.map((role) => role.code));
    return { ...session, user, permissions };
  }

  async touchSession(tokenHash: string, now: Date): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ lastSeenAt: now })
      .where('tokenHash', '=', tokenHash)
      .execute();
  }

  async updateSession(tokenHash: string, changes: { secondFactorPending?: boolean }): Promise<void> {
    await this.db.updateTable('sessions').set(changes).where('tokenHash', '=', tokenHash).execute();
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('tokenHash', '=', tokenHash).execute();
  }

  /** Ends every session of a user but, optionally, the current one (after a password change or reset). */
  async deleteUserSessions(executor: Executor, userId: string, keepTokenHash?: string): Promise<void> {
    let query = executor.deleteFrom('sessions').where('userId', '=', userId);
    if (keepTokenHash) query = query.where('tokenHash', '!=', keepTokenHash);
    await query.execute();
  }

  async deleteExpiredSessions(idleCutoff: Date, now: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expiresAt', '<', now), eb('lastSeenAt', '<', idleCutoff)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
