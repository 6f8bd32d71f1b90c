import { Type } from 'typebox';

export const RegionCodeParams = Type.Object({ code: Type.String({ pattern: '^\\d{12}$' }) });

export const RegionSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Union([
    Type.Literal('province'),
    Type.Literal('city'),
    Type.Literal('county'),
    Type.Literal('township'),
    Type.Literal('village'),
  ]),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  fullName: Type.String(),
  childCount: Type.Integer(),
});

export const RegionListSchema = Type.Object({ items: Type.Array(RegionSchema) });

export const RegionPathSchema = Type.Object({
  items: Type.Array(Type.Omit(RegionSchema, ['childCount'])),
});

export const RegionSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 50 }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});
