import { Type } from 'typebox';

const RoleRef = Type.Object({ code: Type.String(), name: Type.String() });
const SessionStateSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('second_factor_required'),
  Type.Literal('password_change_required'),
  Type.Literal('totp_enrolment_required'),
]);

export const MeSchema = Type.Object({
  user: Type.Object({
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
    regionFullName: Type.String(),
    regionLevel: Type.String(),
    department: Type.Union([Type.String(), Type.Null()]),
    roles: Type.Array(RoleRef),
    permissions: Type.Array(Type.String()),
    totpEnabled: Type.Boolean(),
    lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    previousLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    previousLoginIp: Type.Union([Type.String(), Type.Null()]),
  }),
  state: SessionStateSchema,
  csrfToken: Type.String(),
  idleTimeoutMinutes: Type.Integer(),
});

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});

export const TotpCodeBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 10 }) });

export const ChangePasswordBody = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Type.String({ minLength: 1, maxLength: 200 }),
});

export const TotpEnrolmentSchema = Type.Object({ secret: Type.String(), otpauthUrl: Type.String() });

export const UserSummarySchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  regionCode: Type.String(),
  regionFullName: Type.String(),
  department: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(RoleRef),
  disabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  totpEnabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export const UserListQuery = Type.Object({
  regionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
});

export const UserListSchema = Type.Object({ items: Type.Array(UserSummarySchema), total: Type.Integer() });

export const UserIdParams = Type.Object({ id: Type.String({ pattern: '^\\d{1,18}$' }) });

export const CreateUserBody = Type.Object({
  username: Type.String({ pattern: '^[A-Za-z0-9_.@-]{3,64}$' }),
  displayName: Type.String({ minLength: 1, maxLength: 50 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  regionCode: Type.String({ pattern: '^\\d{12}$' }),
  roles: Type.Array(Type.String(), { minItems: 1, maxItems: 8 }),
  department: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
  phone: Type.Optional(Type.Union([Type.String({ pattern: '^1\\d{10}$' }), Type.Null()])),
});

export const ResetPasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 200 }) });

export const RoleListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      levels: Type.Array(Type.String()),
      permissions: Type.Array(Type.String()),
    }),
  ),
});
