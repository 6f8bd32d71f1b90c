export * from './code-tables.ts';
export * from './id-number.ts';
export * from './national-columns.ts';
export * from './masking.ts';
