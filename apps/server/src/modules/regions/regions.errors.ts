import { AppError } from '../../plugins/errors.ts';

export const regionErrors = {
  notFound: (code: string) =>
    new AppError('regions.not_found', 404, `区划 ${code} 不存在或不在您的管辖范围内`),
  invalidCode: (code: string) => new AppError('regions.invalid_code', 400, `区划代码 ${code} 不是 12 位数字`),
  unknownProvince: (code: string) =>
    new AppError('regions.unknown_province', 400, `区划数据中没有省级代码 ${code}`),
};
