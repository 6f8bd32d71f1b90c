import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify as verifyTotpCode } from 'otplib';
import type { DB } from '../../db/connection.ts';
import type { RegionLevel } from '../../db/database.ts';
import type { Principal, SessionState } from '../access/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { regionRange } from '../regions/region-code.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { authErrors } from './auth.errors.ts';
import { AuthRepository, type UserWithRoles } from './auth.repository.ts';
import { checkPasswordPolicy, passwordHistoryDepth } from './password-policy.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.ts';

export const adminRoles = ['system_admin', 'province_admin'];

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export interface SignInResult {
  token: string;
  principal: Principal;
}

export function hashToken(token: string): string {
  return createHash('sm3').update(token).digest('hex');
}

export class AuthService {
  private readonly repository: AuthRepository;

  constructor(
    private readonly db: DB,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
  ) {
    this.repository = new AuthRepository(db);
  }

  async login(username: string, password: string, context: RequestContext): Promise<SignInResult> {
    const user = await this.repository.findByUsername(username);
    const auditBase = { action: 'auth.login', ip: context.ip, targetType: 'user', actorUsername: username };
    if (!user) {
      await burnPasswordCheck(password);
      await this.audit.record({ ...auditBase, outcome: 'failure', detail: { reason: 'unknown_user' } });
      throw authErrors.invalidCredentials();
    }
    const actor = { userId: user.id, username: user.username, regionCode: user.regionCode };
    if (user.disabled) {
      await this.audit.record({
        ...auditBase,
        actor,
        targetId: user.id,
        outcome: 'denied',
        detail: { reason: 'disabled' },
      });
      throw authErrors.disabled();
    }
    const now = new Date();
    if (user.lockedUntil && user.lockedUntil > now) {
      await this.audit.record({
        ...auditBase,
        actor,
        targetId: user.id,
        outcome: 'denied',
        detail: { reason: 'locked' },
      });
      throw authErrors.locked(Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 60_000));
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      const threshold = await this.settings.get('auth.lockoutThreshold');
      const failures = await this.repository.incrementFailedLogins(user.id);
      await this.audit.record({
        ...auditBase,
        actor,
        targetId: user.id,
        outcome: 'failure',
        detail: { reason: 'wrong_password', failures },
      });
      if (failures >= threshold) {
        const minutes = await this.settings.get('auth.lockoutMinutes');
        await this.db.transaction().execute(async (trx) => {
          await this.repository.updateUser(trx, user.id, {
            lockedUntil: new Date(now.getTime() + minutes * 60_000),
            failedLoginCount: 0,
          });
          await this.audit.record(
            {
              action: 'auth.lockout',
              actor,
              ip: context.ip,
              targetType: 'user',
              targetId: user.id,
              outcome: 'success',
              detail: { failures, minutes },
            },
            trx,
          );
        });
        throw authErrors.locked(minutes);
      }
      throw authErrors.invalidCredentials(threshold - failures);
    }

    await this.repository.updateUser(this.db, user.id, {
      failedLoginCount: 0,
      lockedUntil: null,
      previousLoginAt: user.lastLoginAt,
      previousLoginIp: user.lastLoginIp,
      lastLoginAt: now,
      lastLoginIp: context.ip,
    });
    const token = randomBytes(32).toString('base64url');
    const lifetimeHours = await this.settings.get('auth.sessionLifetimeHours');
    await this.repository.insertSession({
      tokenHash: hashToken(token),
      userId: user.id,
      csrfToken: randomBytes(24).toString('base64url'),
      secondFactorPending: user.totpEnabled,
      ip: context.ip,
      userAgent: context.userAgent?.slice(0, 300) ?? null,
      expiresAt: new Date(now.getTime() + lifetimeHours * 3600_000),
    });
    await this.audit.record({
      ...auditBase,
      actor,
      targetId: user.id,
      outcome: 'success',
      detail: { secondFactor: user.totpEnabled },
    });
    const principal = await this.resolveSession(token);
    if (!principal) throw new Error('session vanished right after sign-in');
    return { token, principal };
  }

  /**
   * The principal behind a session cookie, or null when the session is unknown, idle too long or past
   * its absolute lifetime (such a session is deleted). Refreshes the idle clock.
   */
  async resolveSession(token: string, now = new Date()): Promise<Principal | null> {
    const tokenHash = hashToken(token);
    const session = await this.repository.findSession(tokenHash);
    if (!session) return null;
    const idleMinutes = await this.settings.get('auth.idleTimeoutMinutes');
    const idleFor = now.getTime() - session.lastSeenAt.getTime();
    if (session.expiresAt <= now || idleFor > idleMinutes * 60_000 || session.user.disabled) {
      await this.repository.deleteSession(tokenHash);
      return null;
    }
    // Write the idle clock at most every 15 s: one UPDATE per request would dominate light requests.
    if (idleFor > 15_000) await this.repository.touchSession(tokenHash, now);
    return this.toPrincipal(session.user, session.permissions, {
      tokenHash,
      csrfToken: session.csrfToken,
      state: await this.sessionState(session.user, session.secondFactorPending),
    });
  }

  private async sessionState(user: UserWithRoles, secondFactorPending: boolean): Promise<SessionState> {
    if (secondFactorPending) return 'second_factor_required';
    if (user.mustChangePassword) return 'password_change_required';
    if (
      !user.totpEnabled &&
      user.roles.some((role) => adminRoles.includes(role.code)) &&
      (await this.settings.get('auth.requireAdminTotp'))
    ) {
      return 'totp_enrolment_required';
    }
    return 'active';
  }

  private toPrincipal(
    user: UserWithRoles,
    permissions: string[],
    session: { tokenHash: string; csrfToken: string; state: SessionState },
  ): Principal {
    const regionCode = user.regionCode;
    const regionLevel = user.regionLevel as RegionLevel;
    return {
      userId: user.id,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles.map((role) => role.code),
      permissions: new Set(permissions),
      regionCode,
      regionLevel,
      department: user.department,
      scope: regionRange(regionCode, regionLevel),
      sessionTokenHash: session.tokenHash,
      csrfToken: session.csrfToken,
      state: session.state,
    };
  }

  async verifySecondFactor(principal: Principal, code: string, context: RequestContext): Promise<void> {
    const user = await this.getSelf(principal);
    const valid = user.totpSecret && user.totpEnabled ? await checkTotp(user.totpSecret, code) : false;
    await this.audit.record({
      action: 'auth.second_factor',
      actor: principal,
      ip: context.ip,
      targetType: 'user',
      targetId: principal.userId,
      outcome: valid ? 'success' : 'failure',
    });
    if (!valid) throw authErrors.invalidTotp();
    await this.repository.updateSession(principal.sessionTokenHash, { secondFactorPending: false });
  }

  async logout(principal: Principal, context: RequestContext): Promise<void> {
    await this.repository.deleteSession(principal.sessionTokenHash);
    await this.audit.record({ action: 'auth.logout', actor: principal, ip: context.ip, outcome: 'success' });
  }

  async changePassword(
    principal: Principal,
    input: { currentPassword: string; newPassword: string },
    context: RequestContext,
  ): Promise<void> {
    const user = await this.getSelf(principal);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      await this.audit.record({
        action: 'auth.change_password',
        actor: principal,
        ip: context.ip,
        outcome: 'failure',
        detail: { reason: 'wrong_current_password' },
      });
      throw authErrors.invalidCredentials();
    }
    const passwordHash = await this.checkNewPassword(user.id, user.username, input.newPassword);
    await this.db.transaction().execute(async (trx) => {
      await this.repository.updateUser(trx, user.id, {
        passwordHash,
        mustChangePassword: false,
        passwordChangedAt: new Date(),
      });
      await this.repository.addPasswordHistory(trx, user.id, passwordHash);
      await this.repository.deleteUserSessions(trx, user.id, principal.sessionTokenHash);
      await this.audit.record(
        {
          action: 'auth.change_password',
          actor: principal,
          ip: context.ip,
          targetType: 'user',
          targetId: user.id,
          outcome: 'success',
        },
        trx,
      );
    });
  }

  /** Validates the policy and the history; returns the new hash. */
  async checkNewPassword(userId: string | null, username: string, password: string): Promise<string> {
    const violations = checkPasswordPolicy(password, username);
    if (userId && violations.length === 0) {
      for (const earlier of await this.repository.recentPasswordHashes(userId, passwordHistoryDepth)) {
        if (await verifyPassword(earlier, password)) {
          violations.push(`不能与最近 ${passwordHistoryDepth} 次使用过的密码相同`);
          break;
        }
      }
    }
    if (violations.length > 0) throw authErrors.weakPassword(violations);
    return hashPassword(password);
  }

  async startTotpEnrolment(principal: Principal): Promise<{ secret: string; otpauthUrl: string }> {
    const user = await this.getSelf(principal);
    if (user.totpEnabled) throw authErrors.totpAlreadyEnabled();
    const secret = generateSecret();
    await this.repository.updateUser(this.db, user.id, { totpSecret: secret });
    return { secret, otpauthUrl: generateURI({ issuer: '守望', label: user.username, secret }) };
  }

  async confirmTotpEnrolment(principal: Principal, code: string, context: RequestContext): Promise<void> {
    const user = await this.getSelf(principal);
    if (user.totpEnabled) throw authErrors.totpAlreadyEnabled();
    if (!user.totpSecret) throw authErrors.totpNotEnrolled();
    const valid = await checkTotp(user.totpSecret, code);
    await this.audit.record({
      action: 'auth.totp_enable',
      actor: principal,
      ip: context.ip,
      targetType: 'user',
      targetId: user.id,
      outcome: valid ? 'success' : 'failure',
    });
    if (!valid) throw authErrors.invalidTotp();
    await this.repository.updateUser(this.db, user.id, { totpEnabled: true });
  }

  async disableTotp(principal: Principal, code: string, context: RequestContext): Promise<void> {
    const user = await this.getSelf(principal);
    if (
      principal.roles.some((role) => adminRoles.includes(role)) &&
      (await this.settings.get('auth.requireAdminTotp'))
    ) {
      throw authErrors.totpRequiredForAdmins();
    }
    const valid = user.totpEnabled && user.totpSecret ? await checkTotp(user.totpSecret, code) : false;
    await this.audit.record({
      action: 'auth.totp_disable',
      actor: principal,
      ip: context.ip,
      targetType: 'user',
      targetId: user.id,
      outcome: valid ? 'success' : 'failure',
    });
    if (!valid) throw authErrors.invalidTotp();
    await this.repository.updateUser(this.db, user.id, { totpEnabled: false, totpSecret: null });
  }

  async describeSelf(principal: Principal) {
    const user = await this.getSelf(principal);
    return { user, idleTimeoutMinutes: await this.settings.get('auth.idleTimeoutMinutes') };
  }

  private async getSelf(principal: Principal): Promise<UserWithRoles> {
    const user = await this.repository.findById({ id: principal.userId, scope: principal.scope });
    if (!user) throw authErrors.userNotFound();
    return user;
  }

  async deleteExpiredSessions(now = new Date()): Promise<number> {
    const idleMinutes = await this.settings.get('auth.idleTimeoutMinutes');
    return this.repository.deleteExpiredSessions(new Date(now.getTime() - idleMinutes * 60_000), now);
  }
}

async function checkTotp(secret: string, code: string): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const result = await verifyTotpCode({ secret, token: code, epochTolerance: 30 });
  return result.valid;
}
