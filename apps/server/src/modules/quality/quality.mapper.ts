import type { ExemptionRow, FindingRow, RuleRecord, RunRecord } from './quality.repository.ts';

/** Responses are built here from rows: dates as ISO strings, ID numbers already masked by the service. */
export function toRule(rule: RuleRecord) {
  return {
    code: rule.code,
    name: rule.name,
    category: rule.category,
    scope: rule.scope,
    severity: rule.severity,
    kind: rule.kind,
    whenText: rule.whenText,
    note: rule.note,
    enabled: rule.enabled,
    builtin: rule.builtin,
    version: rule.version,
    updatedBy: rule.updatedBy,
    updatedAt: rule.updatedAt.toISOString(),
  };
}

export function toRun(run: RunRecord) {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    phase: run.phase,
    progress: run.progress,
    regionCode: run.regionCode,
    householdCount: run.householdCount,
    startedBy: run.startedBy,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null,
    settings: run.settings,
    ruleCount: run.ruleCount,
    counts: run.counts,
    error: run.error,
  };
}

export function toFinding(finding: FindingRow) {
  return {
    ...finding,
    firstSeenAt: finding.firstSeenAt.toISOString(),
    lastSeenAt: finding.lastSeenAt.toISOString(),
    fixedAt: finding.fixedAt ? finding.fixedAt.toISOString() : null,
    exemptUntil: finding.exemptUntil ? finding.exemptUntil.toISOString() : null,
  };
}

export function toExemption(exemption: ExemptionRow) {
  return {
    id: exemption.id,
    findingId: exemption.findingId,
    regionCode: exemption.regionCode,
    reason: exemption.reason,
    status: exemption.status,
    expiresAt: exemption.expiresAt.toISOString(),
    requestedByName: exemption.requestedByName,
    requestedAt: exemption.requestedAt.toISOString(),
    decidedByName: exemption.decidedByName,
    decidedAt: exemption.decidedAt ? exemption.decidedAt.toISOString() : null,
    decisionNote: exemption.decisionNote,
    ruleCode: exemption.ruleCode,
    ruleName: exemption.ruleName,
    householdId: exemption.householdId,
    householdNo: exemption.householdNo,
    personId: exemption.personId,
    personName: exemption.personName,
  };
}
