import { AppError } from '../../plugins/errors.ts';

/** File-level problems refuse the whole file before anything is staged; row problems are not errors here. */
export const exchangeErrors = {
  batchNotFound: (id: string) =>
    new AppError('exchange.batch_not_found', 404, `导入批次 ${id} 不存在或无权访问`),
  errorsNotShared: (importingRegion: string) =>
    new AppError(
      'exchange.errors_not_shared',
      403,
      `该批次由${importingRegion}导入，错误明细含其他地区的数据，仅导入单位可以下载`,
    ),
  unsupportedFile: (fileName: string) =>
    new AppError(
      'exchange.unsupported_file',
      400,
      `不支持的文件类型：${fileName}（请上传 .xlsx 或 .csv 文件）`,
    ),
  unreadable: (fileName: string, reason: string) =>
    new AppError('exchange.unreadable_file', 400, `无法读取文件 ${fileName}：${reason}`),
  truncated: (fileName: string, where: string) =>
    new AppError('exchange.truncated_file', 400, `文件 ${fileName} 不完整（可能被截断或损坏）：${where}`),
  headerNotFound: (fileName: string) =>
    new AppError(
      'exchange.header_not_found',
      400,
      `文件 ${fileName} 的前 20 行中没有找到国家系统导出的表头（应包含 县、乡、村、户编号、证件号码 等列）`,
    ),
  missingColumns: (fileName: string, headers: string[], headerRowNumber: number) =>
    new AppError(
      'exchange.missing_columns',
      400,
      `文件 ${fileName} 缺少必需的列：${headers.join('、')}（表头在第 ${headerRowNumber} 行）`,
      { missingColumns: headers, headerRowNumber },
    ),
  emptyFile: (fileName: string) =>
    new AppError('exchange.empty_file', 400, `文件 ${fileName} 表头以下没有数据行`),
  invalidYear: (year: number) =>
    new AppError('exchange.invalid_year', 400, `统计年度 ${year} 不正确（应为 2000 至 2100 之间的年份）`),
  uploadMissing: () => new AppError('exchange.upload_missing', 400, '请选择要导入的文件'),
  uploadTooLarge: (limitMegabytes: number) =>
    new AppError('exchange.upload_too_large', 413, `文件超过 ${limitMegabytes} MB 上限`),
  interrupted: () => new AppError('exchange.interrupted', 500, '导入进程意外中断，本批次未写入任何数据'),
};
