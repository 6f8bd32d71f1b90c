import { maskIdNumber, maskPhone } from '@shouwang/domain';
import type { MonitoringService } from './monitoring.service.ts';

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

type Lead = Awaited<ReturnType<MonitoringService['searchLeads']>>[number];
type LeadDetail = Awaited<ReturnType<MonitoringService['getLeadOrThrow']>>;
type CaseItem = Awaited<ReturnType<MonitoringService['searchCases']>>[number];
type CaseDetail = Awaited<ReturnType<MonitoringService['getCaseDetail']>>;

export function toLead(lead: Lead) {
  return {
    ...lead,
    idNumber: maskIdNumber(lead.idNumber),
    phone: maskPhone(lead.phone),
    dismissedAt: iso(lead.dismissedAt),
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

export function toLeadDetail(lead: LeadDetail) {
  return {
    ...toLead(lead),
    reports: lead.reports.map((report) => ({ ...report, receivedAt: report.receivedAt.toISOString() })),
  };
}

export function toCaseItem(item: CaseItem) {
  return {
    ...item,
    idNumber: item.idNumber ? maskIdNumber(item.idNumber) : null,
    stepStartedAt: item.stepStartedAt.toISOString(),
    stepDueAt: iso(item.stepDueAt),
    chainDueAt: iso(item.chainDueAt),
    closedAt: iso(item.closedAt),
    overdue: item.overdue === true,
  };
}

export function toCaseDetail(detail: CaseDetail) {
  return {
    ...detail,
    ...toCaseItem(detail),
    transitions: detail.transitions.map((transition) => ({
      ...transition,
      occurredAt: transition.occurredAt.toISOString(),
    })),
    attachments: detail.attachments.map((attachment) => ({
      ...attachment,
      uploadedAt: attachment.uploadedAt.toISOString(),
    })),
  };
}
