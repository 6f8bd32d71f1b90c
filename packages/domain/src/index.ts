export * from './code-tables.ts';
export * from './field-checks.ts';
export * from './id-number.ts';
export * from './masking.ts';
export * from './national-columns.ts';
