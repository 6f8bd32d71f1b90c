import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { accessErrors } from '../access/access.errors.ts';
import { clientContext, requirePrincipal, sessionCookieName } from '../access/index.ts';
import type { SessionState } from '../access/principal.ts';
import { toMe } from './auth.mapper.ts';
import { ChangePasswordBody, LoginBody, MeSchema, TotpCodeBody, TotpEnrolmentSchema } from './auth.schema.ts';

const everyState: SessionState[] = [
  'second_factor_required',
  'password_change_required',
  'totp_enrolment_required',
];

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The caller as the web app needs it, re-read after a step that changes the session. */
  async function describe(request: FastifyRequest, token = request.cookies[sessionCookieName]) {
    const principal = token ? await app.auth.resolveSession(token) : null;
    if (!principal) throw accessErrors.unauthenticated();
    const { user, idleTimeoutMinutes } = await app.auth.describeSelf(principal);
    return toMe(principal, user, idleTimeoutMinutes);
  }

  function setSessionCookie(reply: FastifyReply, token: string) {
    reply.setCookie(sessionCookieName, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: 'auto',
    });
  }

  app.post('/login', {
    schema: { tags: ['auth'], summary: '登录', body: LoginBody, response: { 200: MeSchema } },
    config: { access: { public: true }, rateLimit: { max: 20, timeWindow: '1 minute' } },
    handler: async (request, reply) => {
      const { token } = await app.auth.login(
        request.body.username,
        request.body.password,
        clientContext(request),
      );
      setSessionCookie(reply, token);
      return describe(request, token);
    },
  });

  app.get('/me', {
    schema: { tags: ['auth'], summary: '当前用户与会话状态', response: { 200: MeSchema } },
    config: { access: { regionBound: false, allowStates: everyState } },
    handler: async (request) => describe(request),
  });

  app.post('/totp/verify', {
    schema: {
      tags: ['auth'],
      summary: '登录第二步：动态验证码',
      body: TotpCodeBody,
      response: { 200: MeSchema },
    },
    config: {
      access: { regionBound: false, allowStates: ['second_factor_required'] },
      rateLimit: { max: 10, timeWindow: '1 minute' },
    },
    handler: async (request) => {
      await app.auth.verifySecondFactor(requirePrincipal(request), request.body.code, clientContext(request));
      return describe(request);
    },
  });

  app.post('/logout', {
    schema: { tags: ['auth'], summary: '退出登录', response: { 204: Type.Null() } },
    config: { access: { regionBound: false, allowStates: everyState } },
    handler: async (request, reply) => {
      await app.auth.logout(requirePrincipal(request), clientContext(request));
      reply.clearCookie(sessionCookieName, { path: '/' });
      return reply.status(204).send(null);
    },
  });

  app.post('/password', {
    schema: { tags: ['auth'], summary: '修改密码', body: ChangePasswordBody, response: { 200: MeSchema } },
    config: {
      access: { regionBound: false, allowStates: ['password_change_required', 'totp_enrolment_required'] },
      rateLimit: { max: 10, timeWindow: '1 minute' },
    },
    handler: async (request) => {
      await app.auth.changePassword(requirePrincipal(request), request.body, clientContext(request));
      return describe(request);
    },
  });

  app.post('/totp/enrolment', {
    schema: { tags: ['auth'], summary: '生成双因素认证密钥', response: { 200: TotpEnrolmentSchema } },
    config: { access: { regionBound: false, allowStates: ['totp_enrolment_required'] } },
    handler: async (request) => app.auth.startTotpEnrolment(requirePrincipal(request)),
  });

  app.post('/totp/enrolment/confirm', {
    schema: {
      tags: ['auth'],
      summary: '确认启用双因素认证',
      body: TotpCodeBody,
      response: { 200: MeSchema },
    },
    config: { access: { regionBound: false, allowStates: ['totp_enrolment_required'] } },
    handler: async (request) => {
      await app.auth.confirmTotpEnrolment(
        requirePrincipal(request),
        request.body.code,
        clientContext(request),
      );
      return describe(request);
    },
  });

  app.post('/totp/disable', {
    schema: { tags: ['auth'], summary: '停用双因素认证', body: TotpCodeBody, response: { 200: MeSchema } },
    config: { access: { regionBound: false } },
    handler: async (request) => {
      await app.auth.disableTotp(requirePrincipal(request), request.body.code, clientContext(request));
      return describe(request);
    },
  });
};
