import { Alert, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import type { HouseholdDetail } from '../../registry/service.ts';
import { severityLabels } from '../labels.ts';
import { draftHousehold, useRuleChecker, warningsFor } from '../rule-warnings.ts';

/**
 * Under an edit form: the quality rules the record would be flagged by if saved as typed. Warnings,
 * not errors — saving is never blocked by them.
 */
export function RuleWarnings({
  household,
  householdValues,
  member,
}: {
  household: HouseholdDetail;
  householdValues?: Record<string, unknown>;
  /** The member being edited: only its person-rule warnings are shown. */
  member?: { id: string; values: Record<string, unknown> };
}) {
  const checker = useRuleChecker(true);
  const warnings = useMemo(() => {
    if (!checker.ready) return [];
    const draft = draftHousehold(household, { household: householdValues, member });
    const names = new Map(household.members.map((person) => [person.id, person.name]));
    if (member)
      names.set(member.id, (member.values.name as string | undefined) ?? names.get(member.id) ?? null);
    const all = warningsFor(checker.rules, draft, checker.options, names);
    if (!member) return all;
    return all.filter(
      (warning) =>
        warning.rule.scope === 'household' || warning.members.some((person) => person.id === member.id),
    );
  }, [checker, household, householdValues, member]);

  if (!checker.ready) return null;
  if (warnings.length === 0) {
    return <Alert type="success" showIcon message="按当前填写内容，未发现数据质量问题" aria-live="polite" />;
  }
  return (
    <Alert
      type="warning"
      showIcon
      aria-live="polite"
      message={`按当前填写内容，保存后将被 ${warnings.length} 条质量规则标记（仅提示，不影响保存）`}
      description={
        <ul aria-label="质量规则提示" style={{ margin: 0, padding: 0, listStyle: 'none' }}>
          {warnings.map((warning) => (
            <li key={warning.rule.code} style={{ marginBottom: 4 }}>
              <Tag color={severityLabels[warning.rule.severity]?.color}>
                {severityLabels[warning.rule.severity]?.label}
              </Tag>
              <span className="code-text">{warning.rule.code}</span> {warning.rule.name}
              {warning.rule.scope === 'person' && !member && (
                <Typography.Text type="secondary">
                  {' '}
                  （{warning.members.map((person) => person.name ?? '—').join('、')}）
                </Typography.Text>
              )}
            </li>
          ))}
        </ul>
      }
    />
  );
}
