import type { DB } from '../../db/connection.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { isWithinRange, regionRange } from '../regions/region-code.ts';
import type { RegionsService } from '../regions/regions.service.ts';
import { authErrors } from './auth.errors.ts';
import { AuthRepository, type UserWithRoles } from './auth.repository.ts';
import type { AuthService } from './auth.service.ts';

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  regionCode: string;
  roles: string[];
  department?: string | null;
  phone?: string | null;
  /** Demo and first-admin accounts skip the forced change at first sign-in. */
  mustChangePassword?: boolean;
}

/** Roles only a system administrator may grant. */
const restrictedRoles = ['system_admin', 'province_admin'];

/** Administration of accounts: every read and write is limited to the caller's region scope. */
export class UsersService {
  private readonly repository: AuthRepository;

  constructor(
    private readonly db: DB,
    private readonly auth: AuthService,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {
    this.repository = new AuthRepository(db);
  }

  async search(
    principal: Principal,
    options: { regionCode?: string; text?: string; page: number; pageSize: number },
  ) {
    const region = options.regionCode
      ? await this.regions.getOrThrow(principal, options.regionCode)
      : undefined;
    return this.repository.search({
      scope: principal.scope,
      regionScope: region ? regionRange(region.code, region.level) : undefined,
      text: options.text,
      offset: (options.page - 1) * options.pageSize,
      limit: options.pageSize,
    });
  }

  async getOrThrow(principal: Principal, id: string): Promise<UserWithRoles> {
    const user = await this.repository.findById({ id, scope: principal.scope });
    if (!user) throw authErrors.userNotFound();
    return user;
  }

  async listRoles() {
    return this.repository.listRoles();
  }

  /** The roles this caller may give to an account (administrator roles only by a system administrator). */
  async listGrantableRoles(principal: Principal) {
    const roles = await this.repository.listRoles();
    if (principal.roles.includes('system_admin')) return roles;
    return roles.filter((role) => !restrictedRoles.includes(role.code));
  }

  async create(
    principal: Principal,
    input: CreateUserInput,
    ip: string | null = null,
  ): Promise<UserWithRoles> {
    const region = await this.regions.getOrThrow(principal, input.regionCode);
    const roles = await this.repository.listRoles();
    if (input.roles.length === 0) throw authErrors.unknownRole('（空）');
    for (const code of input.roles) {
      const role = roles.find((candidate) => candidate.code === code);
      if (!role) throw authErrors.unknownRole(code);
      if (!role.levels.includes(region.level)) throw authErrors.roleLevelMismatch(role.name, region.fullName);
      if (restrictedRoles.includes(code) && !principal.roles.includes('system_admin')) {
        throw authErrors.roleNotGrantable(role.name);
      }
    }
    if (await this.repository.findByUsername(input.username)) throw authErrors.usernameTaken(input.username);
    const passwordHash = await this.auth.checkNewPassword(null, input.username, input.password);
    const id = await this.db.transaction().execute(async (trx) => {
      const newId = await this.repository.insertUser(
        trx,
        {
          username: input.username,
          displayName: input.displayName,
          passwordHash,
          regionCode: region.code,
          department: input.department ?? null,
          phone: input.phone ?? null,
          mustChangePassword: input.mustChangePassword ?? true,
        },
        input.roles,
      );
      await this.audit.record(
        {
          action: 'users.create',
          actor: principal,
          ip,
          targetType: 'user',
          targetId: newId,
          regionCode: region.code,
          outcome: 'success',
          detail: { username: input.username, roles: input.roles, regionCode: region.code },
        },
        trx,
      );
      return newId;
    });
    return this.getOrThrow(principal, id);
  }

  async resetPassword(principal: Principal, id: string, password: string, ip: string | null = null) {
    const user = await this.getOrThrow(principal, id);
    const passwordHash = await this.auth.checkNewPassword(user.id, user.username, password);
    await this.db.transaction().execute(async (trx) => {
      await this.repository.updateUser(trx, user.id, {
        passwordHash,
        mustChangePassword: true,
        failedLoginCount: 0,
        lockedUntil: null,
        passwordChangedAt: new Date(),
      });
      await this.repository.addPasswordHistory(trx, user.id, passwordHash);
      await this.repository.deleteUserSessions(trx, user.id);
      await this.audit.record(
        {
          action: 'users.reset_password',
          actor: principal,
          ip,
          targetType: 'user',
          targetId: user.id,
          regionCode: user.regionCode,
          outcome: 'success',
        },
        trx,
      );
    });
    return this.getOrThrow(principal, id);
  }

  async unlock(principal: Principal, id: string, ip: string | null = null) {
    const user = await this.getOrThrow(principal, id);
    await this.db.transaction().execute(async (trx) => {
      await this.repository.updateUser(trx, user.id, { failedLoginCount: 0, lockedUntil: null });
      await this.audit.record(
        {
          action: 'users.unlock',
          actor: principal,
          ip,
          targetType: 'user',
          targetId: user.id,
          regionCode: user.regionCode,
          outcome: 'success',
        },
        trx,
      );
    });
    return this.getOrThrow(principal, id);
  }

  async setDisabled(principal: Principal, id: string, disabled: boolean, ip: string | null = null) {
    const user = await this.getOrThrow(principal, id);
    await this.db.transaction().execute(async (trx) => {
      await this.repository.updateUser(trx, user.id, { disabled });
      if (disabled) await this.repository.deleteUserSessions(trx, user.id);
      await this.audit.record(
        {
          action: disabled ? 'users.disable' : 'users.enable',
          actor: principal,
          ip,
          targetType: 'user',
          targetId: user.id,
          regionCode: user.regionCode,
          outcome: 'success',
        },
        trx,
      );
    });
    return this.getOrThrow(principal, id);
  }

  /** For the CLI: find a user by name within the caller's scope. */
  async getByUsernameOrThrow(principal: Principal, username: string): Promise<UserWithRoles> {
    const user = await this.repository.findByUsername(username);
    if (!user || !isWithinRange(user.regionCode, principal.scope)) throw authErrors.userNotFound();
    return user;
  }
}
