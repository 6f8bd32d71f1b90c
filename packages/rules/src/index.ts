export * from './ast.ts';
export * from './evaluate.ts';
export * from './fields.ts';
export { isValidMonth, parseRule } from './parser.ts';
export * from './starter-rules.ts';
