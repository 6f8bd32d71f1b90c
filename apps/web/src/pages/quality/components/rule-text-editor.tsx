import { useQuery } from '@tanstack/react-query';
import { Flex, Input, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useRef } from 'react';
import { useDebouncedValue } from '../../../components/region-picker/use-debounced-value.ts';
import { qualityService, type RuleCheck, type RuleScope, type RuleTextError } from '../service.ts';

/** The line of the text an error points at, its span underlined, with a caret below. */
function ErrorPointer({ text, error }: { text: string; error: RuleTextError }) {
  const line = text.split('\n')[error.line - 1] ?? '';
  const start = Math.max(0, error.column - 1);
  const end = Math.min(line.length, start + Math.max(1, error.length));
  return (
    <pre className="rule-error-line">
      {line.slice(0, start)}
      <span className="rule-error-span">{line.slice(start, end) || ' '}</span>
      {line.slice(end)}
      {'\n'}
      {' '.repeat(start)}^
    </pre>
  );
}

/** Offset in the text of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let index = 0; index < line - 1 && index < lines.length; index++)
    offset += (lines[index]?.length ?? 0) + 1;
  return offset + column - 1;
}

/**
 * The `when` text of a rule, checked on the server while typing (debounced): a syntax or type error
 * shows its line and column, the line with the wrong part underlined, and a click selects it.
 */
export function RuleTextEditor({
  value = '',
  onChange,
  scope,
  disabled,
  check: checkText = qualityService.check,
  label = '规则条件',
}: {
  value?: string;
  onChange?: (value: string) => void;
  scope: RuleScope;
  disabled?: boolean;
  /** The server check to call; the quality rules' by default (custom statistics use their own). */
  check?: (whenText: string, scope: RuleScope, signal?: AbortSignal) => Promise<RuleCheck>;
  label?: string;
}) {
  const input = useRef<TextAreaRef>(null);
  const text = useDebouncedValue(value, 400);
  const check = useQuery({
    // Both checks run the same parser: one cache serves them.
    queryKey: ['rule-check', scope, text],
    queryFn: ({ signal }) => checkText(text, scope, signal),
    enabled: !disabled && text.trim().length > 0,
    staleTime: Number.POSITIVE_INFINITY,
    meta: { silentError: true },
  });
  const current = text === value;
  const error = current && check.data && !check.data.ok ? check.data.error : undefined;

  const select = (problem: RuleTextError) => {
    const area = input.current?.resizableTextArea?.textArea;
    if (!area) return;
    const start = offsetOf(value, problem.line, problem.column);
    area.focus();
    area.setSelectionRange(start, start + Math.max(1, problem.length));
  };

  let status: React.ReactNode = null;
  if (disabled || value.trim() === '') status = null;
  else if (!current || check.isFetching)
    status = <Typography.Text type="secondary">正在检查…</Typography.Text>;
  else if (error) {
    status = (
      <div role="alert">
        <Typography.Link type="danger" onClick={() => select(error)}>
          第 {error.line} 行第 {error.column} 列：{error.message}
        </Typography.Link>
        <ErrorPointer text={value} error={error} />
      </div>
    );
  } else if (check.data?.ok) status = <Typography.Text type="success">语法正确</Typography.Text>;
  else if (check.isError) status = <Typography.Text type="warning">暂时无法检查语法</Typography.Text>;

  return (
    <Flex vertical gap={4}>
      <Input.TextArea
        ref={input}
        aria-label={label}
        className="rule-text-input"
        value={value}
        onChange={(event) => onChange?.(event.target.value)}
        autoSize={{ minRows: 4, maxRows: 14 }}
        spellCheck={false}
        status={error ? 'error' : undefined}
        disabled={disabled}
        placeholder={
          scope === 'person'
            ? '例如：age < 16 and laborSkill != "无劳动力"'
            : '例如："因病" in risks and not any(members, health in ["长期慢性病", "患有大病"])'
        }
      />
      <div style={{ minHeight: 22 }}>{status}</div>
    </Flex>
  );
}
