import type { CodeTableName } from '@shouwang/domain';
import type { FieldDefinition } from './fields.ts';

/** Where a node starts in the rule text (1-based line and column) and how many characters it spans. */
export interface Span {
  line: number;
  column: number;
  length: number;
}

export type RuleScope = 'person' | 'household';

export type ValueType =
  | { kind: 'text' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'month' }
  | { kind: 'code'; table: CodeTableName }
  | { kind: 'set'; table: CodeTableName | 'text' };

/** A constant after compile-time mapping: code-table labels are already codes, 是/否 are booleans. */
export type Scalar = string | number | boolean;

export type CompareOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/';
export type FunctionName =
  | 'blank'
  | 'length'
  | 'upper'
  | 'substr'
  | 'startsWith'
  | 'matches'
  | 'validDate'
  | 'validMonth'
  | 'monthsBetween'
  | 'idCheckOk'
  | 'idBirthDate'
  | 'idSex'
  | 'abs';

/**
 * Whose field a reference reads: the rule's own person (or, inside any/all/count, the member being
 * looked at), the household's head (unknown unless exactly one head), or household-level data.
 */
export type Subject = 'person' | 'head' | 'household';

/**
 * The type-checked tree. Every constant is a `literal` (bound as a parameter in SQL); user text is
 * never part of any other node.
 */
export type Expr = (
  | { kind: 'literal'; value: Scalar }
  | { kind: 'field'; subject: Subject; field: FieldDefinition }
  | { kind: 'compare'; op: CompareOperator; left: Expr; right: Expr }
  | { kind: 'inList'; negated: boolean; operand: Expr; values: Scalar[] }
  | { kind: 'inSet'; negated: boolean; operand: Expr; set: Expr }
  | { kind: 'arithmetic'; op: ArithmeticOperator; left: Expr; right: Expr }
  | { kind: 'negate'; operand: Expr }
  | { kind: 'logical'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'call'; name: FunctionName; args: Expr[] }
  /** any/all/count over the household's active members; `body` reads subject 'person' = the member. */
  | { kind: 'members'; name: 'any' | 'all' | 'count'; body: Expr }
) & { type: ValueType; span: Span };

export interface CompiledRule {
  scope: RuleScope;
  source: string;
  ast: Expr;
}

export interface RuleError {
  message: string;
  line: number;
  column: number;
  length: number;
}

export type ParseResult = { ok: true; ast: Expr; rule: CompiledRule } | { ok: false; error: RuleError };
