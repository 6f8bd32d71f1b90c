import type { RegionLevel } from '../../db/database.ts';
import type { SettingKey } from '../settings/settings.service.ts';

/**
 * The review chain as data. The service takes every decision from this table (who may act, where a
 * step goes, how long it may take) and the case screen shows it; nothing else encodes the procedure.
 *
 * Identification: consent → home verification → cross-check → village deliberation → public notice →
 * township review → county approval → approved (the household is recorded as monitored).
 * Elimination runs the same chain without the consent step, and approval marks the risk eliminated.
 */
export type CaseKind = 'identification' | 'elimination';
export type CaseAction = 'pass' | 'reject' | 'return';
export type StepState =
  | 'consent'
  | 'verification'
  | 'cross_check'
  | 'deliberation'
  | 'notice'
  | 'township_review'
  | 'county_approval';
export type FinalState = 'approved' | 'rejected';
export type CaseState = StepState | FinalState;

export interface WorkflowStep {
  state: StepState;
  label: string;
  /** The one role, placed at the one level, that acts on this step. */
  role: 'village_user' | 'township_user' | 'county_user';
  level: Extract<RegionLevel, 'village' | 'township' | 'county'>;
  /** Where `pass` leads; `approved` ends the chain. */
  next: StepState | 'approved';
  /** `reject` ends the case with a reason; `return` sends it back here for correction, with a reason. */
  canReject: boolean;
  returnTo?: StepState;
  /** Setting holding the time limit of the step, and how it is counted. */
  limitSetting: SettingKey;
  limitUnit: 'working_days' | 'calendar_days';
}

const step = (definition: WorkflowStep) => definition;

const consent = step({
  state: 'consent',
  label: '承诺授权',
  role: 'village_user',
  level: 'village',
  next: 'verification',
  canReject: true,
  limitSetting: 'monitoring.consentDays',
  limitUnit: 'working_days',
});
const verification = (returnTo?: StepState) =>
  step({
    state: 'verification',
    label: '入户核实',
    role: 'village_user',
    level: 'village',
    next: 'cross_check',
    canReject: true,
    returnTo,
    limitSetting: 'monitoring.verificationDays',
    limitUnit: 'working_days',
  });
const sharedTail: WorkflowStep[] = [
  step({
    state: 'cross_check',
    label: '信息比对',
    role: 'township_user',
    level: 'township',
    next: 'deliberation',
    canReject: false,
    returnTo: 'verification',
    limitSetting: 'monitoring.crossCheckDays',
    limitUnit: 'working_days',
  }),
  step({
    state: 'deliberation',
    label: '村级评议',
    role: 'village_user',
    level: 'village',
    next: 'notice',
    canReject: true,
    returnTo: 'verification',
    limitSetting: 'monitoring.deliberationDays',
    limitUnit: 'working_days',
  }),
  step({
    state: 'notice',
    label: '公示',
    role: 'village_user',
    level: 'village',
    next: 'township_review',
    canReject: false,
    returnTo: 'verification',
    limitSetting: 'monitoring.noticeStepDays',
    limitUnit: 'calendar_days',
  }),
  step({
    state: 'township_review',
    label: '乡镇审核',
    role: 'township_user',
    level: 'township',
    next: 'county_approval',
    canReject: true,
    returnTo: 'verification',
    limitSetting: 'monitoring.townshipReviewDays',
    limitUnit: 'working_days',
  }),
  step({
    state: 'county_approval',
    label: '县级审定',
    role: 'county_user',
    level: 'county',
    next: 'approved',
    canReject: true,
    returnTo: 'verification',
    limitSetting: 'monitoring.countyApprovalDays',
    limitUnit: 'working_days',
  }),
];

export const workflows: Record<CaseKind, { label: string; steps: WorkflowStep[] }> = {
  identification: { label: '识别纳入监测', steps: [consent, verification('consent'), ...sharedTail] },
  elimination: { label: '风险消除', steps: [verification(), ...sharedTail] },
};

export const finalStateLabels: Record<FinalState, string> = { approved: '已审定', rejected: '未通过' };

export function firstStep(kind: CaseKind): WorkflowStep {
  return workflows[kind].steps[0] as WorkflowStep;
}

export function findStep(kind: CaseKind, state: string): WorkflowStep | undefined {
  return workflows[kind].steps.find((candidate) => candidate.state === state);
}

export function stateLabel(kind: CaseKind, state: string): string {
  return findStep(kind, state)?.label ?? finalStateLabels[state as FinalState] ?? state;
}

/** The state an action leads to from a step, or undefined when the step does not allow it. */
export function targetState(current: WorkflowStep, action: CaseAction): CaseState | undefined {
  if (action === 'pass') return current.next;
  if (action === 'reject') return current.canReject ? 'rejected' : undefined;
  return current.returnTo;
}

/** Whether the caller holds the step's role at the step's level (the region is checked by the scope). */
export function mayAct(step: WorkflowStep, caller: { roles: string[]; regionLevel: RegionLevel }): boolean {
  return caller.roles.includes(step.role) && caller.regionLevel === step.level;
}

/** The steps a caller's roles and level act on, across both chains (for the to-do list). */
export function actingStates(caller: { roles: string[]; regionLevel: RegionLevel }): Array<{
  kind: CaseKind;
  state: StepState;
}> {
  return (Object.keys(workflows) as CaseKind[]).flatMap((kind) =>
    workflows[kind].steps
      .filter((candidate) => mayAct(candidate, caller))
      .map((candidate) => ({ kind, state: candidate.state })),
  );
}

/** The elimination criteria the case screen shows; each holds from the registry data or a cadre's attestation. */
export const eliminationCriteria = [
  { key: 'income', label: '收入持续稳定高于监测标准 6 个月以上' },
  { key: 'rigidCosts', label: '刚性支出问题已解决' },
  { key: 'housing', label: '住房安全有保障' },
  { key: 'water', label: '饮水安全有保障' },
  { key: 'schooling', label: '义务教育有保障（无失学辍学）' },
  { key: 'insurance', label: '基本医疗有保障（全员参保）' },
] as const;
export type EliminationCriterion = (typeof eliminationCriteria)[number]['key'];
