import { AppError } from '../../plugins/errors.ts';

export const settingsErrors = {
  unknownKey: (key: string) => new AppError('settings.unknown_key', 400, `没有名为 ${key} 的参数`),
  invalidValue: (key: string, expected: string) =>
    new AppError('settings.invalid_value', 400, `参数 ${key} 的值不正确：应为${expected}`),
};
