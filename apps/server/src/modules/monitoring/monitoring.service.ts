import { createHash, randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import {
  beijingToday,
  birthDateOf,
  codeTables,
  genderOf,
  idNumberProblem,
  maskIdNumber,
  measureProblem,
  monthProblem,
  phoneProblem,
} from '@shouwang/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { Database, DismissalKind, LeadChannel, LeadStatus } from '../../db/database.ts';
import ExcelJS from '../../excel.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { type RegionRange, regionLevelOf, regionRange } from '../regions/region-code.ts';
import type { RegionsService } from '../regions/regions.service.ts';
import { nationalHeaders } from '../registry/national-rows.ts';
import type { RegistryService } from '../registry/registry.service.ts';
import { checkRiskTypes } from '../registry/registry.validation.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { WorkingCalendarService } from '../settings/working-calendar.service.ts';
import { monitoringErrors } from './monitoring.errors.ts';
import { type CaseRow, type LeadIntake, MonitoringRepository } from './monitoring.repository.ts';
import {
  actingStates,
  type CaseAction,
  type CaseKind,
  type EliminationCriterion,
  eliminationCriteria,
  findStep,
  firstStep,
  mayAct,
  stateLabel,
  targetState,
  type WorkflowStep,
  workflows,
} from './monitoring.workflow.ts';
import { checkChallenge, issueChallenge, villageOfToken, villageToken } from './self-report-guard.ts';
import { sheetFont, sheetFontAvailable, writeSelfReportSheet } from './self-report-sheet.ts';

type Actor = Pick<Principal, 'userId' | 'username' | 'regionCode' | 'roles' | 'regionLevel' | 'scope'>;

export interface ReportInput {
  name: string;
  idNumber: string;
  phone?: string | null;
  difficultyTypes: string[];
  description?: string | null;
  consent: boolean;
}

export interface TransitionInput {
  action: CaseAction;
  version: number;
  reason?: string;
  data?: Record<string, unknown>;
}

const roleLabels: Record<WorkflowStep['role'], string> = {
  village_user: '村级用户',
  township_user: '乡镇用户',
  county_user: '县级用户',
};
const actionLabels: Record<CaseAction, string> = { pass: '通过', reject: '不通过', return: '退回修改' };
const noLabour = new Set(['lost', 'none']);
const attachmentKinds = ['consent', 'verification_form', 'deliberation_record', 'notice_photo', 'other'];

/** Image and PDF signatures; anything else is refused whatever its name says. */
function sniffMediaType(content: Buffer): string | undefined {
  if (content.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return undefined;
}

function beijingMonth(): string {
  return beijingToday().slice(0, 7).replace('-', '');
}

const isCode = (table: 'monitoringCategory' | 'eliminationMethod', code: unknown) =>
  typeof code === 'string' && codeTables[table].some((item) => item.code === code);

/** Leads from the three channels, cases along the review chain, and the workbench's view of them. */
export class MonitoringService {
  private readonly repository: MonitoringRepository;
  private secret: Promise<Buffer> | undefined;

  constructor(
    private readonly db: DB,
    private readonly registry: RegistryService,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
    private readonly settings: SettingsService,
    private readonly calendar: WorkingCalendarService,
    /** The installation's province: department alerts are matched across all of it. */
    private readonly provinceScope: RegionRange,
  ) {
    this.repository = new MonitoringRepository(db);
  }

  private key(): Promise<Buffer> {
    this.secret ??= this.repository.getOrCreateKey('self_report', randomBytes(32));
    return this.secret;
  }

  // ---------------------------------------------------------------------------------------------
  // Leads

  /** The self-report link of a village of the caller's scope (what its QR code encodes). */
  async selfReportToken(principal: Pick<Principal, 'scope'>, villageCode: string): Promise<string> {
    const village = await this.regions.getOrThrow(principal, villageCode);
    if (village.level !== 'village') throw monitoringErrors.invalidLink();
    return villageToken(await this.key(), village.code);
  }

  /**
   * The printable QR sheet of a township: every village of it, each with its signed self-report link
   * under `baseUrl` (the address farmers' phones reach).
   */
  async writeSelfReportSheet(principal: Principal, townshipCode: string, baseUrl: string, output: Writable) {
    const township = await this.regions.getOrThrow(principal, townshipCode);
    if (township.level !== 'township') throw monitoringErrors.notTownship();
    if (!sheetFontAvailable()) throw monitoringErrors.fontMissing(sheetFont.path);
    const secret = await this.key();
    const villages = (await this.regions.listChildren(principal, township.code)).map((village) => ({
      name: village.name,
      fullName: village.fullName,
      url: `${baseUrl}/report/${villageToken(secret, village.code)}`,
    }));
    await this.audit.record({
      action: 'monitoring.print_qr_sheet',
      actor: principal,
      outcome: 'success',
      regionCode: township.code,
      detail: { villages: villages.length },
    });
    return { township, villages, write: () => writeSelfReportSheet(township, villages, output) };
  }

  /** What the public form needs: the village named by the QR token, and a fresh challenge. */
  async openSelfReport(token: string) {
    const secret = await this.key();
    const villageCode = villageOfToken(secret, token);
    if (!villageCode) throw monitoringErrors.invalidLink();
    const path = await this.regions.listPath({ scope: regionRange(villageCode) }, villageCode);
    return {
      villageName: path.map((region) => region.name).join(' '),
      challenge: issueChallenge(secret, villageCode),
    };
  }

  /**
   * A farmer's report from the QR page. A filled honeypot answers like success but keeps nothing
   * (and leaves an audit row), so a script learns nothing from the answer.
   */
  async submitSelfReport(
    input: ReportInput & { token: string; challenge: string; website?: string },
    ip: string | null,
  ): Promise<{ received: true }> {
    const secret = await this.key();
    const villageCode = villageOfToken(secret, input.token);
    if (!villageCode) throw monitoringErrors.invalidLink();
    const check = checkChallenge(secret, input.challenge, villageCode);
    if (!check.ok) {
      await this.audit.record({
        action: 'monitoring.self_report_refused',
        outcome: 'denied',
        ip,
        regionCode: villageCode,
        detail: { reason: check.reason },
      });
      throw monitoringErrors.challengeFailed();
    }
    if (input.website) {
      await this.audit.record({
        action: 'monitoring.self_report_refused',
        outcome: 'denied',
        ip,
        regionCode: villageCode,
        detail: { reason: 'honeypot' },
      });
      return { received: true };
    }
    const problems = checkReport(input, true);
    if (Object.keys(problems).length > 0) throw monitoringErrors.invalidReport(problems);
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.repository.useChallenge(trx, check.nonce, check.expiresAt))) {
        throw monitoringErrors.challengeFailed();
      }
      const lead = await this.intake(trx, villageCode, {
        channel: 'self_report',
        report: input,
        userId: null,
        ip,
        sourceDetail: {},
      });
      await this.audit.record(
        {
          action: 'monitoring.self_report',
          outcome: 'success',
          ip,
          regionCode: villageCode,
          targetType: 'monitoring_lead',
          targetId: lead.id,
          detail: { reportCount: lead.reportCount },
        },
        trx,
      );
    });
    return { received: true };
  }

  /** A lead from a cadre's home visit, in the cadre's own village (or a village of the township). */
  async recordVisit(
    principal: Principal,
    input: ReportInput & { villageCode?: string },
    ip: string | null,
  ): Promise<{ id: string; reportCount: number }> {
    const villageCode = input.villageCode ?? principal.regionCode;
    const village = await this.regions.getOrThrow(principal, villageCode);
    if (village.level !== 'village') throw monitoringErrors.invalidReport({ villageCode: '请选择村' });
    const problems = checkReport(input, false);
    if (Object.keys(problems).length > 0) throw monitoringErrors.invalidReport(problems);
    return this.db.transaction().execute(async (trx) => {
      const lead = await this.intake(trx, village.code, {
        channel: 'cadre_visit',
        report: input,
        userId: principal.userId,
        ip,
        sourceDetail: {},
      });
      await this.audit.record(
        {
          action: 'monitoring.cadre_visit',
          actor: principal,
          outcome: 'success',
          ip,
          regionCode: village.code,
          targetType: 'monitoring_lead',
          targetId: lead.id,
        },
        trx,
      );
      return lead;
    });
  }

  /**
   * The internal entry the alerts module calls: a department's match on an ID number becomes (or joins)
   * a lead in the person's village. Answers undefined when nobody in the registry has that ID number.
   */
  async intakeDepartmentAlert(input: {
    department: string;
    idNumber: string;
    reason: string;
    riskTypes?: string[];
    reference?: string;
  }): Promise<{ id: string; reportCount: number; regionCode: string } | undefined> {
    const match = await this.registry.findHouseholdByIdNumber(this.provinceScope, input.idNumber);
    if (!match) return undefined;
    return this.db.transaction().execute(async (trx) => {
      const lead = await this.intake(trx, match.regionCode, {
        channel: 'department_alert',
        report: {
          name: match.name ?? '',
          idNumber: input.idNumber,
          difficultyTypes: input.riskTypes ?? [],
          description: input.reason,
          consent: false,
        },
        userId: null,
        ip: null,
        sourceDetail: { department: input.department, reference: input.reference ?? null },
      });
      await this.audit.record(
        {
          action: 'monitoring.department_alert',
          outcome: 'success',
          regionCode: match.regionCode,
          targetType: 'monitoring_lead',
          targetId: lead.id,
          detail: { department: input.department },
        },
        trx,
      );
      return { ...lead, regionCode: match.regionCode };
    });
  }

  private async intake(
    executor: Kysely<Database>,
    villageCode: string,
    options: {
      channel: LeadChannel;
      report: ReportInput;
      userId: string | null;
      ip: string | null;
      sourceDetail: Record<string, unknown>;
    },
  ) {
    const idNumber = options.report.idNumber.trim().toUpperCase();
    // Only the village's own registry is searched: a report never reveals a household elsewhere.
    const household = await this.registry.findHouseholdByIdNumber(regionRange(villageCode), idNumber);
    const intake: LeadIntake = {
      regionCode: villageCode,
      channel: options.channel,
      mergeKey: household ? `household:${household.householdId}` : `id:${idNumber.slice(0, 18)}`,
      householdId: household?.householdId ?? null,
      name: options.report.name.trim() || null,
      idNumber,
      phone: options.report.phone?.trim() || null,
      difficultyTypes: [...new Set(options.report.difficultyTypes)].sort(),
      description: options.report.description?.trim() || null,
      consent: options.report.consent,
      sourceDetail: options.sourceDetail,
      userId: options.userId,
      ip: options.ip,
    };
    return this.repository.mergeLead(executor, intake);
  }

  async searchLeads(principal: Principal, query: { status?: LeadStatus; page: number; pageSize: number }) {
    return this.repository.searchLeads({
      scope: principal.scope,
      status: query.status,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
  }

  async getLeadOrThrow(principal: Principal, id: string) {
    const lead = await this.repository.findLead({ id, scope: principal.scope });
    if (!lead) throw monitoringErrors.leadNotFound();
    const reports = await this.repository.listLeadReports({ leadId: lead.id, scope: principal.scope });
    return { ...lead, reports };
  }

  // ---------------------------------------------------------------------------------------------
  // Cases

  /**
   * Closes a lead that is not a real case (a duplicate, not in difficulty, the wrong village), with a
   * reason. The village or the township of the lead may; anyone else is refused and audited.
   */
  async dismissLead(
    principal: Principal,
    leadId: string,
    input: { kind: DismissalKind; reason: string },
    ip: string | null,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const lead = await this.repository.lockLead(trx, { id: leadId, scope: principal.scope });
      if (!lead) {
        await this.refuse(principal, 'dismiss_lead', { leadId }, 'not_found', ip);
        throw monitoringErrors.leadNotFound();
      }
      const mayDismiss =
        (principal.roles.includes('village_user') && principal.regionLevel === 'village') ||
        (principal.roles.includes('township_user') && principal.regionLevel === 'township');
      if (!mayDismiss) {
        await this.refuse(principal, 'dismiss_lead', { leadId, regionCode: lead.regionCode }, 'role', ip);
        throw monitoringErrors.stepNotAllowed('关闭线索', '村级或乡镇用户');
      }
      if (lead.status !== 'open') throw monitoringErrors.leadNotOpen();
      const reason = input.reason.trim();
      if (!reason) throw monitoringErrors.dismissReasonRequired();
      await this.repository.closeLead(trx, lead.id, {
        status: 'dismissed',
        dismissalKind: input.kind,
        dismissalReason: reason,
        dismissedBy: principal.userId || null,
        dismissedByUsername: principal.username,
      });
      await this.audit.record(
        {
          action: 'monitoring.dismiss_lead',
          actor: principal,
          ip,
          outcome: 'success',
          targetType: 'monitoring_lead',
          targetId: lead.id,
          regionCode: lead.regionCode,
          detail: { kind: input.kind, reason },
        },
        trx,
      );
    });
  }

  /**
   * Starts identification from an open lead. A lead about a person the village's registry does not
   * hold starts without a household; home verification records it before the chain goes on.
   */
  async openIdentification(principal: Principal, leadId: string, ip: string | null): Promise<string> {
    const start = firstStep('identification');
    return this.db.transaction().execute(async (trx) => {
      const lead = await this.repository.lockLead(trx, { id: leadId, scope: principal.scope });
      if (!lead) {
        await this.refuse(principal, 'open_identification', { leadId }, 'not_found', ip);
        throw monitoringErrors.leadNotFound();
      }
      if (!mayAct(start, principal)) {
        await this.refuse(
          principal,
          'open_identification',
          { leadId, regionCode: lead.regionCode },
          'role',
          ip,
        );
        throw monitoringErrors.stepNotAllowed(start.label, roleLabels[start.role]);
      }
      if (lead.status !== 'open') throw monitoringErrors.leadNotOpen();
      // The household may have reached the registry since the report came in.
      const householdId =
        lead.householdId ??
        (lead.idNumber
          ? ((await this.registry.findHouseholdByIdNumber(regionRange(lead.regionCode), lead.idNumber))
              ?.householdId ?? null)
          : null);
      if (!householdId && !lead.idNumber) throw monitoringErrors.householdNotMatched();
      const caseId = await this.startCase(
        trx,
        principal,
        'identification',
        householdId ? { householdId } : { idNumber: lead.idNumber as string },
        lead.regionCode,
        lead.id,
        ip,
      );
      await this.repository.closeLead(trx, lead.id, { status: 'case_opened', caseId });
      return caseId;
    });
  }

  /** Starts risk elimination for a monitored household whose risk is not yet eliminated. */
  async openElimination(principal: Principal, householdId: string, ip: string | null): Promise<string> {
    const start = firstStep('elimination');
    const household = await this.registry.getHouseholdDetail(principal, householdId).catch(async (error) => {
      await this.refuse(principal, 'open_elimination', { householdId }, 'not_found', ip);
      throw error;
    });
    if (!mayAct(start, principal)) {
      await this.refuse(
        principal,
        'open_elimination',
        { householdId, regionCode: household.household.regionCode },
        'role',
        ip,
      );
      throw monitoringErrors.stepNotAllowed(start.label, roleLabels[start.role]);
    }
    if (!household.household.monitoringCategory || household.household.riskEliminated === true) {
      throw monitoringErrors.notMonitored();
    }
    if (isWithoutLabour(household.members)) throw monitoringErrors.noLabourHold();
    return this.db
      .transaction()
      .execute((trx) =>
        this.startCase(
          trx,
          principal,
          'elimination',
          { householdId: household.household.id },
          household.household.regionCode,
          null,
          ip,
        ),
      );
  }

  private async startCase(
    trx: Kysely<Database>,
    principal: Principal,
    kind: CaseKind,
    subject: { householdId: string } | { idNumber: string },
    regionCode: string,
    leadId: string | null,
    ip: string | null,
  ): Promise<string> {
    const householdId = 'householdId' in subject ? subject.householdId : null;
    const idNumber = 'idNumber' in subject ? subject.idNumber : null;
    if (await this.repository.hasOpenCase(trx, { householdId, idNumber, kind }))
      throw monitoringErrors.openCaseExists();
    const start = firstStep(kind);
    const now = new Date();
    const caseId = await this.repository.insertCase(trx, {
      kind,
      regionCode,
      householdId,
      idNumber,
      leadId,
      state: start.state,
      stepStartedAt: now,
      stepDueAt: await this.dueAt(start, now),
      chainDueAt: await this.calendar.addDays(
        now,
        Number(await this.settings.get('monitoring.chainWorkingDays')),
        'working_days',
      ),
      createdBy: principal.userId || null,
    });
    await this.repository.insertTransition(trx, {
      caseId,
      regionCode,
      fromState: null,
      toState: start.state,
      action: 'open',
      reason: null,
      data: {},
      userId: principal.userId || null,
      actorUsername: principal.username,
      actorRole: start.role,
    });
    await this.audit.record(
      {
        action: `monitoring.open_${kind}`,
        actor: principal,
        ip,
        outcome: 'success',
        targetType: 'monitoring_case',
        targetId: caseId,
        regionCode,
        detail: { householdId, leadId },
      },
      trx,
    );
    return caseId;
  }

  private async dueAt(step: WorkflowStep, from: Date): Promise<Date> {
    return this.calendar.addDays(from, Number(await this.settings.get(step.limitSetting)), step.limitUnit);
  }

  /** A refusal leaves an audit row; the caller then throws the answer (404 outside the region, 403 within). */
  private async refuse(
    principal: Actor,
    action: string,
    detail: Record<string, unknown>,
    reason: 'not_found' | 'role' | 'closed' | 'action',
    ip: string | null,
  ): Promise<void> {
    await this.audit.record({
      action: `monitoring.${action}`,
      actor: principal,
      ip,
      outcome: 'denied',
      targetType: typeof detail.leadId === 'string' ? 'monitoring_lead' : 'monitoring_case',
      targetId:
        typeof detail.caseId === 'string'
          ? detail.caseId
          : typeof detail.leadId === 'string'
            ? detail.leadId
            : null,
      // a refused look at another region is logged in the caller's own region, which reveals nothing
      regionCode: reason === 'not_found' ? principal.regionCode : ((detail.regionCode as string) ?? null),
      detail: { ...detail, reason, roles: principal.roles, level: principal.regionLevel },
    });
  }

  private async caseOrRefuse(principal: Principal, id: string, action: string, ip: string | null) {
    const found = await this.repository.findCase({ id, scope: principal.scope });
    if (!found) {
      await this.refuse(principal, action, { caseId: id }, 'not_found', ip);
      throw monitoringErrors.caseNotFound();
    }
    return found;
  }

  async getCaseDetail(principal: Principal, id: string) {
    const found = await this.caseOrRefuse(principal, id, 'read_case', null);
    return this.describeCase(principal, found);
  }

  private async describeCase(principal: Principal, found: CaseRow) {
    const scoped = { caseId: found.id, scope: principal.scope };
    const [transitions, notice, objections, attachments] = await Promise.all([
      this.repository.listTransitions(scoped),
      this.repository.findNotice(this.db, scoped),
      this.repository.listObjections(this.db, scoped),
      this.repository.listAttachments(this.db, scoped),
    ]);
    const kind = found.kind;
    const current = findStep(kind, found.state);
    const criteria = kind === 'elimination' ? await this.criteriaOf(principal, found) : null;
    return {
      ...found,
      stateLabel: stateLabel(kind, found.state),
      steps: workflows[kind].steps.map((step) => ({
        state: step.state,
        label: step.label,
        role: step.role,
        roleLabel: roleLabels[step.role],
        level: step.level,
        canReject: step.canReject,
        returnTo: step.returnTo ?? null,
        limitSetting: step.limitSetting,
        limitUnit: step.limitUnit,
      })),
      allowedActions:
        current && !found.closedAt && mayAct(current, principal)
          ? (['pass', 'reject', 'return'] as CaseAction[]).filter((action) => targetState(current, action))
          : [],
      transitions: transitions.map((transition) => ({
        ...transition,
        fromLabel: transition.fromState ? stateLabel(kind, transition.fromState) : null,
        toLabel: stateLabel(kind, transition.toState),
      })),
      notice: notice ?? null,
      objections,
      attachments,
      criteria,
    };
  }

  /** The elimination criteria: what the registry says, and what the verifying cadre attested. */
  private async criteriaOf(principal: Principal, found: CaseRow) {
    if (!found.householdId) throw monitoringErrors.householdNotRecorded();
    const detail = await this.registry.getHouseholdDetail(principal, found.householdId);
    const latest = [...detail.incomes].sort((a, b) => b.year - a.year)[0];
    // The line of the income's own statistics year: the one setting the quality rules read too.
    const incomeLine = latest ? await this.settings.monitoringLine(latest.year) : Number.NaN;
    const perPerson = latest
      ? Number(latest.postNetIncomePerPerson ?? latest.netIncomePerPerson ?? Number.NaN)
      : Number.NaN;
    const household = detail.household;
    const current = detail.members.filter((member) => member.status === 'active');
    const insured = current.every(
      (member) => member.residentMedicalInsurance || member.employeeMedicalInsurance,
    );
    const fromData: Record<EliminationCriterion, { holds: boolean | null; evidence: string }> = {
      income: Number.isNaN(perPerson)
        ? { holds: null, evidence: '台账无收入记录' }
        : {
            holds: perPerson >= incomeLine,
            evidence: `${latest?.year} 年人均纯收入 ${perPerson} 元，监测标准 ${incomeLine} 元`,
          },
      rigidCosts: { holds: null, evidence: '需入户核实' },
      housing:
        household.dangerousHouse === null
          ? { holds: null, evidence: '台账未填写住房情况' }
          : {
              holds: !household.dangerousHouse,
              evidence: household.dangerousHouse ? '台账记为危房' : '台账记为住房安全',
            },
      water:
        household.safeDrinkingWater === null
          ? { holds: null, evidence: '台账未填写饮水情况' }
          : {
              holds: household.safeDrinkingWater,
              evidence: household.safeDrinkingWater ? '饮水安全' : '饮水不安全',
            },
      schooling:
        household.childDropout === null
          ? { holds: null, evidence: '台账未填写辍学情况' }
          : {
              holds: !household.childDropout,
              evidence: household.childDropout ? '有失学辍学子女' : '无失学辍学',
            },
      insurance: {
        holds: insured && household.uninsuredMember !== true,
        evidence: insured ? '成员均已参加医保' : '有成员未参加医保',
      },
    };
    const attested = ((found.stepData as Record<string, unknown>).attested ?? {}) as Record<string, boolean>;
    return {
      withoutLabour: isWithoutLabour(detail.members),
      items: eliminationCriteria.map((criterion) => {
        const data = fromData[criterion.key];
        // Data against a criterion blocks it; otherwise the verifying cadre's attestation decides.
        const needsAttestation =
          criterion.key === 'income' || criterion.key === 'rigidCosts' || data.holds === null;
        const holds =
          data.holds === false ? false : needsAttestation ? attested[criterion.key] === true : true;
        return {
          key: criterion.key,
          label: criterion.label,
          fromData: data.holds,
          evidence: data.evidence,
          attested: attested[criterion.key] === true,
          needsAttestation,
          holds,
        };
      }),
    };
  }

  /**
   * One step of the chain, in one transaction: the caller must hold the step's role at its level (the
   * region is the scope's), the action must be one the step allows, the version must be the one read.
   * Approval at the county writes the household through the registry service.
   */
  async act(principal: Principal, id: string, input: TransitionInput, ip: string | null) {
    // Households this step wrote in the registry; its listeners hear of them after the commit.
    const changedHouseholds: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      const found = await this.repository.lockCase(trx, { id, scope: principal.scope });
      if (!found) {
        await this.refuse(principal, input.action, { caseId: id }, 'not_found', ip);
        throw monitoringErrors.caseNotFound();
      }
      const kind = found.kind;
      const current = findStep(kind, found.state);
      if (!current || found.closedAt) throw monitoringErrors.caseClosed();
      if (!mayAct(current, principal)) {
        await this.refuse(
          principal,
          input.action,
          { caseId: found.id, regionCode: found.regionCode, state: found.state },
          'role',
          ip,
        );
        throw monitoringErrors.stepNotAllowed(current.label, roleLabels[current.role]);
      }
      const target = targetState(current, input.action);
      if (!target) throw monitoringErrors.actionNotAllowed(current.label, actionLabels[input.action]);
      if (found.version !== input.version) throw monitoringErrors.staleCase();
      const reason = input.reason?.trim() || null;
      if (input.action !== 'pass' && !reason) throw monitoringErrors.reasonRequired();
      const data = input.data ?? {};
      const changes =
        input.action === 'pass' ? await this.checkPass(trx, principal, found, current, data) : {};
      const closed = target === 'approved' || target === 'rejected';
      const nextStep = closed ? undefined : findStep(kind, target);
      let householdId = found.householdId;
      if (changes.newHousehold) {
        // Verification of a person not in the registry: the household is recorded before the chain goes on.
        householdId = (await this.registry.createHousehold(trx, principal, changes.newHousehold)).id;
        changedHouseholds.push(householdId);
        await this.repository.setCaseHousehold(trx, found.id, householdId);
      }
      if (target === 'approved') {
        if (!householdId) throw monitoringErrors.householdNotRecorded();
        await this.registry.recordMonitoringDecision(
          trx,
          principal,
          householdId,
          kind === 'identification'
            ? {
                kind: 'identified',
                category: (changes.proposal?.category ?? found.proposedCategory) as string,
                month: beijingMonth(),
                risks: changes.proposal?.risks ?? found.proposedRisks,
                measures: (changes.proposal?.measures ?? found.proposedMeasures).map(measureOf),
              }
            : {
                kind: 'eliminated',
                method: (changes.proposal?.eliminationMethod ?? found.eliminationMethod) as string,
                month: beijingMonth(),
              },
        );
        changedHouseholds.push(householdId);
      }
      const moved = await this.repository.advanceCase(trx, {
        id: found.id,
        version: input.version,
        state: target,
        stepDueAt: nextStep ? await this.dueAt(nextStep, new Date()) : null,
        closed,
        outcome: target === 'approved' ? 'approved' : target === 'rejected' ? 'rejected' : undefined,
        outcomeReason: target === 'rejected' ? reason : undefined,
        proposal: changes.proposal,
        stepData: changes.stepData,
      });
      if (!moved) throw monitoringErrors.staleCase();
      await this.repository.insertTransition(trx, {
        caseId: found.id,
        regionCode: found.regionCode,
        fromState: found.state,
        toState: target,
        action: input.action,
        reason,
        data,
        userId: principal.userId || null,
        actorUsername: principal.username,
        actorRole: current.role,
      });
      await this.audit.record(
        {
          action: `monitoring.${input.action}`,
          actor: principal,
          ip,
          outcome: 'success',
          targetType: 'monitoring_case',
          targetId: found.id,
          regionCode: found.regionCode,
          detail: { kind, from: found.state, to: target, householdId },
        },
        trx,
      );
    });
    await this.registry.householdsChanged(changedHouseholds);
    return this.getCaseDetail(principal, id);
  }

  /** What `pass` needs at each step; answers what it changes on the case. */
  private async checkPass(
    trx: Kysely<Database>,
    principal: Principal,
    found: CaseRow,
    step: WorkflowStep,
    data: Record<string, unknown>,
  ): Promise<{
    proposal?: {
      category?: string | null;
      risks?: string[];
      measures?: string[];
      eliminationMethod?: string | null;
    };
    stepData?: Record<string, unknown>;
    newHousehold?: Parameters<RegistryService['createHousehold']>[2];
  }> {
    const problems: Record<string, string> = {};
    const text = (field: string) => (typeof data[field] === 'string' ? (data[field] as string).trim() : '');
    const scoped = { caseId: found.id, scope: principal.scope };
    let result: Awaited<ReturnType<MonitoringService['checkPass']>> = {};
    switch (step.state) {
      case 'consent': {
        const attachments = await this.repository.listAttachments(trx, scoped);
        if (!attachments.some((attachment) => attachment.kind === 'consent')) {
          problems.attachments = '请上传农户签字的承诺授权书照片';
        }
        break;
      }
      case 'verification': {
        const verifiers = Array.isArray(data.verifiers)
          ? [...new Set((data.verifiers as unknown[]).map((name) => String(name).trim()).filter(Boolean))]
          : [];
        if (verifiers.length < 2) problems.verifiers = '入户核实须至少 2 人，请填写核实人员';
        if (!text('findings')) problems.findings = '请填写核实情况';
        if (found.kind === 'identification') {
          if (!isCode('monitoringCategory', data.category)) problems.category = '请选择拟纳入的监测对象类别';
          const risks = Array.isArray(data.risks) ? (data.risks as string[]) : [];
          const riskProblem = risks.length === 0 ? '请选择至少 1 项风险类型' : checkRiskTypes(risks);
          if (riskProblem) problems.risks = riskProblem;
          const measures = measuresOf(data.measures, problems);
          result = {
            proposal: { category: data.category as string, risks, measures },
            stepData: { verifiers, findings: text('findings') },
          };
          if (!found.householdId) {
            const recorded = await this.checkNewHousehold(found, data.household, problems);
            if (recorded) result.newHousehold = recorded;
          }
        } else {
          if (!isCode('eliminationMethod', data.eliminationMethod))
            problems.eliminationMethod = '请选择风险消除方式';
          const attested = (typeof data.attested === 'object' && data.attested) || {};
          // Evaluate with what is being attested now.
          const criteria = await this.criteriaOf(principal, {
            ...found,
            stepData: { ...found.stepData, attested },
          });
          if (criteria.withoutLabour) problems.labour = '家庭成员均无劳动能力，暂不标注风险消除';
          const failing = criteria.items.filter((item) => !item.holds);
          if (failing.length > 0)
            problems.criteria = `未满足：${failing.map((item) => item.label).join('、')}`;
          result = {
            proposal: { eliminationMethod: data.eliminationMethod as string },
            stepData: { verifiers, findings: text('findings'), attested },
          };
        }
        break;
      }
      case 'cross_check':
        if (!text('result')) problems.result = '请填写信息比对结果';
        break;
      case 'deliberation':
        if (!Number.isInteger(data.attendees) || (data.attendees as number) < 1) {
          problems.attendees = '请填写参加评议人数';
        }
        if (!text('result')) problems.result = '请填写评议结果';
        break;
      case 'notice': {
        const notice = await this.repository.findNotice(trx, scoped);
        const minimum = Number(await this.settings.get('monitoring.noticeDays'));
        if (!notice) {
          problems.notice = '请先登记公示起止日期和地点';
        } else {
          const days = (Date.parse(notice.endsOn) - Date.parse(notice.startsOn)) / 86_400_000 + 1;
          if (days < minimum) problems.notice = `公示期不少于 ${minimum} 天（当前 ${days} 天）`;
          else if (notice.endsOn >= beijingToday())
            problems.notice = `公示至 ${notice.endsOn} 结束，期满后才能提交`;
        }
        const objections = await this.repository.listObjections(trx, scoped);
        if (objections.some((objection) => !objection.resolution)) {
          problems.objections = '还有未处理的异议，请先登记处理结果';
        }
        break;
      }
      case 'county_approval':
        if (found.kind === 'identification') {
          const category = (data.category as string | undefined) ?? found.proposedCategory;
          if (!isCode('monitoringCategory', category)) problems.category = '请确定监测对象类别';
          const risks = Array.isArray(data.risks) ? (data.risks as string[]) : found.proposedRisks;
          const riskProblem = risks.length === 0 ? '请确定风险类型' : checkRiskTypes(risks);
          if (riskProblem) problems.risks = riskProblem;
          // The county may adjust the measures; either way each names its category and its content.
          const measures = measuresOf(
            Array.isArray(data.measures) ? data.measures : found.proposedMeasures,
            problems,
          );
          result = { proposal: { category, risks, measures } };
        } else if (!isCode('eliminationMethod', found.eliminationMethod)) {
          problems.eliminationMethod = '请确定风险消除方式';
        }
        break;
      default:
        break;
    }
    if (Object.keys(problems).length > 0) throw monitoringErrors.invalidStep(problems);
    return result;
  }

  /**
   * The household verification records for a person the registry does not hold: members with valid
   * ID numbers that are nowhere in the province's registry, one head, the reported person among them.
   */
  private async checkNewHousehold(
    found: CaseRow,
    value: unknown,
    problems: Record<string, string>,
  ): Promise<Parameters<RegistryService['createHousehold']>[2] | undefined> {
    const input = (typeof value === 'object' && value) || {};
    const rawMembers = Array.isArray((input as { members?: unknown }).members)
      ? ((input as { members: unknown[] }).members as Array<Record<string, unknown>>)
      : [];
    const members = rawMembers.map((member) => ({
      name: typeof member.name === 'string' ? member.name.trim() : '',
      idNumber: typeof member.idNumber === 'string' ? member.idNumber.trim().toUpperCase() : '',
      relation: typeof member.relation === 'string' ? member.relation : '',
      phone: typeof member.phone === 'string' && member.phone.trim() ? member.phone.trim() : null,
    }));
    const issues: string[] = [];
    if (members.length === 0) issues.push('请登记该户的家庭成员');
    members.forEach((member, index) => {
      const label = `第 ${index + 1} 位成员`;
      if (!member.name) issues.push(`${label}未填姓名`);
      const idProblem = member.idNumber ? idNumberProblem(member.idNumber) : '未填身份证号码';
      if (idProblem) issues.push(`${label}${idProblem}`);
      if (!codeTables.relation.some((item) => item.code === member.relation))
        issues.push(`${label}未选与户主关系`);
      const phoneIssue = member.phone ? phoneProblem('联系电话', member.phone) : undefined;
      if (phoneIssue) issues.push(`${label}${phoneIssue}`);
    });
    if (members.length > 0 && members.filter((member) => member.relation === 'head').length !== 1)
      issues.push('须有且只有 1 位户主');
    if (new Set(members.map((member) => member.idNumber)).size !== members.length)
      issues.push('成员身份证号码重复');
    if (found.idNumber && !members.some((member) => member.idNumber === found.idNumber))
      issues.push('申报人须是登记的家庭成员之一');
    for (const member of members) {
      if (!member.idNumber || issues.length > 0) break;
      if (await this.registry.findHouseholdByIdNumber(this.provinceScope, member.idNumber))
        issues.push(`身份证号码 ${maskIdNumber(member.idNumber)} 已在台账中，请核对`);
    }
    if (issues.length > 0) {
      problems.household = issues.join('；');
      return undefined;
    }
    const householdPhone = (input as { householdPhone?: unknown }).householdPhone;
    return {
      regionCode: found.regionCode,
      householdPhone:
        typeof householdPhone === 'string' && householdPhone.trim() ? householdPhone.trim() : null,
      members: members.map((member) => ({
        ...member,
        gender: genderOf(member.idNumber) ?? null,
        birthDate: birthDateOf(member.idNumber)?.toISOString().slice(0, 10) ?? null,
      })),
    };
  }

  /** Records (or corrects) the public notice while the case is at the notice step. */
  async recordNotice(
    principal: Principal,
    id: string,
    input: { startsOn: string; endsOn: string; place: string },
    ip: string | null,
  ) {
    return this.onStep(principal, id, 'notice', 'record_notice', ip, async (trx, found) => {
      const problems: Record<string, string> = {};
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.startsOn)) problems.startsOn = '请填写公示开始日期';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.endsOn)) problems.endsOn = '请填写公示结束日期';
      else if (input.endsOn < input.startsOn) problems.endsOn = '结束日期不能早于开始日期';
      // A notice cannot have run before the case reached this step: no back-dated notices.
      const reached = beijingToday(found.stepStartedAt);
      if (!problems.startsOn && input.startsOn < reached)
        problems.startsOn = `公示开始日期不能早于进入公示环节的日期（${reached}）`;
      if (!input.place.trim()) problems.place = '请填写公示地点';
      if (Object.keys(problems).length > 0) throw monitoringErrors.invalidStep(problems);
      await this.repository.upsertNotice(trx, {
        caseId: found.id,
        regionCode: found.regionCode,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        place: input.place.trim(),
        userId: principal.userId || null,
      });
    });
  }

  async addObjection(
    principal: Principal,
    id: string,
    input: { receivedOn: string; objector?: string; content: string },
    ip: string | null,
  ) {
    return this.onStep(principal, id, 'notice', 'record_objection', ip, async (trx, found) => {
      if (!input.content.trim()) throw monitoringErrors.invalidStep({ content: '请填写异议内容' });
      await this.repository.insertObjection(trx, {
        caseId: found.id,
        regionCode: found.regionCode,
        receivedOn: input.receivedOn,
        objector: input.objector?.trim() || null,
        content: input.content.trim(),
        userId: principal.userId || null,
      });
    });
  }

  async resolveObjection(
    principal: Principal,
    id: string,
    objectionId: string,
    resolution: string,
    ip: string | null,
  ) {
    return this.onStep(principal, id, 'notice', 'resolve_objection', ip, async (trx, found) => {
      if (!resolution.trim()) throw monitoringErrors.invalidStep({ resolution: '请填写处理结果' });
      if (
        !(await this.repository.resolveObjection(trx, {
          id: objectionId,
          caseId: found.id,
          resolution: resolution.trim(),
        }))
      ) {
        throw monitoringErrors.caseNotFound();
      }
    });
  }

  /** The case an upload goes to, checked before the body is read: in the scope, and the caller's step. */
  async attachmentTargetOrThrow(principal: Principal, id: string, ip: string | null) {
    const found = await this.caseOrRefuse(principal, id, 'add_attachment', ip);
    const current = findStep(found.kind, found.state);
    if (!current || found.closedAt) throw monitoringErrors.caseClosed();
    if (!mayAct(current, principal)) {
      await this.refuse(
        principal,
        'add_attachment',
        { caseId: found.id, regionCode: found.regionCode },
        'role',
        ip,
      );
      throw monitoringErrors.stepNotAllowed(current.label, roleLabels[current.role]);
    }
    return found;
  }

  /** Attachments: the bytes decide the type; size from settings; stored with their SHA-256. */
  async addAttachment(
    principal: Principal,
    id: string,
    input: { kind: string; fileName: string; content: Buffer },
    ip: string | null,
  ): ReturnType<MonitoringService['getCaseDetail']> {
    const found = await this.attachmentTargetOrThrow(principal, id, ip);
    if (!attachmentKinds.includes(input.kind)) throw monitoringErrors.invalidAttachment('附件类别不正确');
    const limit = Number(await this.settings.get('monitoring.attachmentMegabytes')) * 1024 * 1024;
    if (input.content.length === 0) throw monitoringErrors.invalidAttachment('文件是空的');
    if (input.content.length > limit) {
      throw monitoringErrors.invalidAttachment(`文件超过 ${limit / 1024 / 1024} MB，请压缩后再上传`);
    }
    const mediaType = sniffMediaType(input.content);
    if (!mediaType) throw monitoringErrors.invalidAttachment('只能上传 JPG、PNG 照片或 PDF 文件');
    const sha256 = createHash('sha256').update(input.content).digest('hex');
    await this.db.transaction().execute(async (trx) => {
      const attachmentId = await this.repository.insertAttachment(
        {
          caseId: found.id,
          regionCode: found.regionCode,
          kind: input.kind,
          fileName: input.fileName.slice(0, 200) || 'attachment',
          mediaType,
          sizeBytes: input.content.length,
          sha256,
          content: input.content,
          userId: principal.userId || null,
        },
        trx,
      );
      await this.audit.record(
        {
          action: 'monitoring.add_attachment',
          actor: principal,
          ip,
          outcome: 'success',
          targetType: 'monitoring_attachment',
          targetId: attachmentId,
          regionCode: found.regionCode,
          detail: { caseId: found.id, kind: input.kind, sha256, size: input.content.length },
        },
        trx,
      );
    });
    return this.describeCase(principal, found);
  }

  async getAttachmentOrThrow(principal: Principal, caseId: string, attachmentId: string) {
    const attachment = await this.repository.findAttachmentContent({
      caseId,
      id: attachmentId,
      scope: principal.scope,
    });
    if (!attachment) throw monitoringErrors.attachmentNotFound();
    return attachment;
  }

  private async onStep(
    principal: Principal,
    id: string,
    state: string,
    action: string,
    ip: string | null,
    work: (trx: Kysely<Database>, found: CaseRow) => Promise<void>,
  ): ReturnType<MonitoringService['getCaseDetail']> {
    await this.db.transaction().execute(async (trx) => {
      const found = await this.repository.lockCase(trx, { id, scope: principal.scope });
      if (!found) {
        await this.refuse(principal, action, { caseId: id }, 'not_found', ip);
        throw monitoringErrors.caseNotFound();
      }
      const step = findStep(found.kind, found.state);
      if (!step || found.closedAt || found.state !== state) {
        throw monitoringErrors.actionNotAllowed(
          step?.label ?? stateLabel(found.kind, found.state),
          '登记公示',
        );
      }
      if (!mayAct(step, principal)) {
        await this.refuse(principal, action, { caseId: found.id, regionCode: found.regionCode }, 'role', ip);
        throw monitoringErrors.stepNotAllowed(step.label, roleLabels[step.role]);
      }
      await work(trx, found);
      await this.audit.record(
        {
          action: `monitoring.${action}`,
          actor: principal,
          ip,
          outcome: 'success',
          targetType: 'monitoring_case',
          targetId: found.id,
          regionCode: found.regionCode,
        },
        trx,
      );
    });
    return this.getCaseDetail(principal, id);
  }

  async searchCases(
    principal: Principal,
    query: {
      kind?: string;
      state?: string;
      open?: boolean;
      overdue?: boolean;
      householdId?: string;
      regionCode?: string;
      page: number;
      pageSize: number;
    },
  ) {
    const region = query.regionCode
      ? regionRange((await this.regions.getOrThrow(principal, query.regionCode)).code)
      : undefined;
    const rows = await this.repository.searchCases({
      scope: principal.scope,
      region,
      kind: query.kind,
      states: query.state ? [query.state] : undefined,
      open: query.open,
      overdue: query.overdue,
      householdId: query.householdId,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    return rows.map((row) => ({ ...row, stateLabel: stateLabel(row.kind, row.state) }));
  }

  /**
   * The month's newly approved (one sheet) and eliminated (another) households of the caller's region in
   * the national column layout, one row per current member, for entry into the national system.
   */
  async writeMonthlyNationalExport(principal: Principal, month: string, output: Writable, ip: string | null) {
    const problem = monthProblem('月份', month);
    if (problem) throw monitoringErrors.invalidReport({ month: problem });
    const [identified, eliminated] = await Promise.all([
      this.repository.listApprovedInMonth({ scope: principal.scope, month, kind: 'identification' }),
      this.repository.listApprovedInMonth({ scope: principal.scope, month, kind: 'elimination' }),
    ]);
    await this.audit.record({
      action: 'monitoring.export_national',
      actor: principal,
      ip,
      outcome: 'success',
      detail: { month, identified: identified.length, eliminated: eliminated.length },
    });
    const registry = this.registry;
    return {
      async write() {
        const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
          stream: output,
          useStyles: false,
          useSharedStrings: false,
        });
        for (const [title, householdIds] of [
          ['新识别监测对象', identified],
          ['风险消除', eliminated],
        ] as const) {
          const sheet = workbook.addWorksheet(title);
          sheet
            .addRow([`（自定义）监测对象信息 · ${month.slice(0, 4)} 年 ${Number(month.slice(4))} 月${title}`])
            .commit();
          sheet
            .addRow([
              `导出时间：${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')}`,
            ])
            .commit();
          sheet.addRow(nationalHeaders).commit();
          for await (const row of registry.nationalRows(principal, [...householdIds]))
            sheet.addRow(row).commit();
          sheet.commit();
        }
        await workbook.commit();
      },
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Workbench

  /** What waits for the caller: cases at the steps the caller's role and level act on, in the scope. */
  async todos(principal: Principal) {
    const steps = actingStates(principal);
    const [counts, items, openLeads] = await Promise.all([
      this.repository.countWaiting({ scope: principal.scope, steps }),
      this.repository.listWaiting({ scope: principal.scope, steps, limit: 100 }),
      principal.permissions.has('monitoring:act') && principal.regionLevel === 'village'
        ? this.repository.countOpenLeads(principal.scope)
        : Promise.resolve(0),
    ]);
    return {
      openLeads,
      counts: steps.map((step) => {
        const row = counts.find((count) => count.kind === step.kind && count.state === step.state);
        return {
          kind: step.kind,
          state: step.state,
          label: `${workflows[step.kind].label} · ${stateLabel(step.kind, step.state)}`,
          total: Number(row?.total ?? 0),
          overdue: Number(row?.overdue ?? 0),
        };
      }),
      items: items.map((row) => ({ ...row, stateLabel: stateLabel(row.kind, row.state) })),
    };
  }

  /** For township and county users: each child region's open cases by step, overdue and approved. */
  async progress(principal: Principal, regionCode?: string) {
    const parent = await this.regions.getOrThrow(principal, regionCode ?? principal.regionCode);
    const childLevel = { province: 4, city: 6, county: 9, township: 12, village: 12 }[
      regionLevelOf(parent.code)
    ];
    const rows = await this.repository.progressByChild({
      scope: principal.scope,
      parent: regionRange(parent.code),
      childDigits: childLevel,
    });
    const names = await this.repository.regionNames([...new Set(rows.map((row) => row.regionCode))]);
    const byRegion = new Map<
      string,
      {
        regionCode: string;
        regionName: string;
        open: number;
        overdue: number;
        approved: number;
        byState: Record<string, number>;
      }
    >();
    for (const row of rows) {
      const entry = byRegion.get(row.regionCode) ?? {
        regionCode: row.regionCode,
        regionName: names.get(row.regionCode) ?? row.regionCode,
        open: 0,
        overdue: 0,
        approved: 0,
        byState: {},
      };
      entry.open += Number(row.open);
      entry.overdue += Number(row.overdue);
      entry.approved += Number(row.approved);
      if (Number(row.open) > 0) entry.byState[row.state] = (entry.byState[row.state] ?? 0) + Number(row.open);
      byRegion.set(row.regionCode, entry);
    }
    return {
      regionCode: parent.code,
      regionName: parent.name,
      items: [...byRegion.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode)),
    };
  }
}

function isWithoutLabour(members: Array<{ status: string; laborSkill: string | null }>): boolean {
  const current = members.filter((member) => member.status === 'active');
  return (
    current.length > 0 &&
    current.every((member) => member.laborSkill !== null && noLabour.has(member.laborSkill))
  );
}

/** A measure as the case keeps it, `category:value` (checked by `measuresOf`), as a registry row. */
function measureOf(text: string): { category: string; value: string } {
  const separator = text.indexOf(':');
  return { category: text.slice(0, separator), value: text.slice(separator + 1).trim() };
}

/** The proposed measures, each `category:value` with a known category and its content; problems noted. */
function measuresOf(value: unknown, problems: Record<string, string>): string[] {
  const measures = Array.isArray(value)
    ? [...new Set((value as unknown[]).map((item) => String(item).trim()))]
    : [];
  const issues = measures.map(measureProblem).filter((issue): issue is string => issue !== undefined);
  if (issues.length > 0) problems.measures = issues.join('；');
  return measures;
}

function checkReport(input: ReportInput, public_: boolean): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!input.name?.trim()) problems.name = '请填写姓名';
  const idNumber = input.idNumber?.trim().toUpperCase() ?? '';
  const idProblem = idNumber ? idNumberProblem(idNumber) : '请填写身份证号码';
  if (idProblem) problems.idNumber = idProblem;
  const phone = input.phone?.trim();
  if (public_ && !phone) problems.phone = '请填写联系电话';
  else if (phone) {
    const phoneIssue = phoneProblem('联系电话', phone);
    if (phoneIssue) problems.phone = phoneIssue;
  }
  if (input.difficultyTypes.length === 0) problems.difficultyTypes = '请选择至少 1 项困难类型';
  else {
    const riskProblem = checkRiskTypes([...new Set(input.difficultyTypes)]);
    if (riskProblem) problems.difficultyTypes = riskProblem.replace('致贫/返贫风险', '困难类型');
  }
  if ((input.description?.length ?? 0) > 1000) problems.description = '情况说明不超过 1000 字';
  if (!input.consent) problems.consent = '请阅读并勾选同意授权核查家庭信息';
  return problems;
}
