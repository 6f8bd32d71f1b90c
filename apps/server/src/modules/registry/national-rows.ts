import { type CodeTableName, labelOf, nationalColumns } from '@shouwang/domain';

/** A person's row as the repository reads it for the national layout: household and person fields by name. */
export interface NationalSourceRow {
  personId: string;
  householdId: string;
  fields: Record<string, unknown>;
  income: Record<string, unknown> | null;
  risks: string[] | null;
  measures: Record<string, string> | null;
}

const snake = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The text of each national column for one person, in column order, as the national export writes it. */
export function nationalRowValues(row: NationalSourceRow): Array<string | null> {
  return nationalColumns.map((column) => {
    let value: unknown;
    if (column.target === 'risk') {
      value = row.risks?.[Number(column.field.slice(4)) - 1] ?? null;
      return value === null ? null : labelOf('riskType', value as string);
    }
    if (column.target === 'measure') return row.measures?.[column.field.slice('measure:'.length)] ?? null;
    if (column.target === 'income' || column.target === 'postElimination') {
      value = row.income?.[snake(column.field)] ?? null;
    } else {
      value = row.fields[column.field] ?? null;
    }
    if (value === null || value === undefined || value === '') return null;
    if (typeof column.kind === 'object') return labelOf(column.kind.code as CodeTableName, String(value));
    if (column.kind === 'boolean') return value === true ? '是' : value === false ? '否' : String(value);
    return String(value);
  });
}

export const nationalHeaders = nationalColumns.map((column) => column.header);
