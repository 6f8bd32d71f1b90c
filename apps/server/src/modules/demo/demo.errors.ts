import { AppError } from '../../plugins/errors.ts';

export const demoErrors = {
  invalidOption: (option: string, expected: string) =>
    new AppError('demo.invalid_option', 400, `${option} 须为 ${expected}`),
  noVillages: (region: string) =>
    new AppError('demo.no_villages', 404, `区划 ${region} 下没有村级区划，请先加载区划数据`),
  regionNotFound: (region: string) =>
    new AppError('demo.region_not_found', 404, `区划 ${region} 不存在或不属于本省`),
  importUnavailable: () => new AppError('demo.import_unavailable', 503, '导入模块未启用，无法写入登记库'),
};
