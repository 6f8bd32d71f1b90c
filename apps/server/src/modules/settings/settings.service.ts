import { beijingToday } from '@shouwang/domain';
import type { DB } from '../../db/connection.ts';
import { settingsErrors } from './settings.errors.ts';
import { SettingsRepository } from './settings.repository.ts';

interface SettingDefinition {
  label: string;
  defaultValue: number | boolean | string;
  /** Parses CLI/UI text into the stored value, or throws. */
  parse(text: string): number | boolean | string;
}

const positiveInteger = (key: string, max: number) => (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw settingsErrors.invalidValue(key, `1 至 ${max} 的整数`);
  }
  return value;
};
const booleanValue = (key: string) => (text: string) => {
  if (text === 'true' || text === '是') return true;
  if (text === 'false' || text === '否') return false;
  throw settingsErrors.invalidValue(key, ' true 或 false');
};

/** Province-level parameters; later modules register theirs here (monitoring line per year, …). */
export const settingDefinitions = {
  'auth.idleTimeoutMinutes': {
    label: '会话空闲超时（分钟）',
    defaultValue: 30,
    parse: positiveInteger('auth.idleTimeoutMinutes', 24 * 60),
  },
  'auth.sessionLifetimeHours': {
    label: '会话最长有效期（小时）',
    defaultValue: 12,
    parse: positiveInteger('auth.sessionLifetimeHours', 7 * 24),
  },
  'auth.lockoutThreshold': {
    label: '连续登录失败锁定次数',
    defaultValue: 5,
    parse: positiveInteger('auth.lockoutThreshold', 100),
  },
  'auth.lockoutMinutes': {
    label: '账号锁定时长（分钟）',
    defaultValue: 15,
    parse: positiveInteger('auth.lockoutMinutes', 24 * 60),
  },
  'auth.requireAdminTotp': {
    label: '管理员必须启用双因素认证',
    defaultValue: false,
    parse: booleanValue('auth.requireAdminTotp'),
  },
  statisticsDate: {
    label: '统计基准日期（YYYY-MM-DD；为空时取当天），规则计算年龄和月份、取统计年度',
    defaultValue: '',
    parse: (text: string) => {
      const trimmed = text.trim();
      if (trimmed === '' || trimmed === 'today') return '';
      if (!isCalendarDate(trimmed))
        throw settingsErrors.invalidValue('statisticsDate', ' YYYY-MM-DD 格式的日期');
      return trimmed;
    },
  },
  'quality.nightlyRunAt': {
    label: '数据质量规则每日全量检查时间（北京时间 HH:MM；为空不自动检查）',
    defaultValue: '02:00',
    parse: (text: string) => {
      const trimmed = text.trim();
      if (trimmed === '' || trimmed === 'off') return '';
      const match = /^(\d{1,2}):(\d{2})$/.exec(trimmed);
      if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) {
        throw settingsErrors.invalidValue('quality.nightlyRunAt', ' HH:MM 格式的时间，或留空');
      }
      return `${match[1]?.padStart(2, '0')}:${match[2]}`;
    },
  },
  'audit.retentionMonths': {
    label: '审计日志保留月数（不少于 6）',
    defaultValue: 12,
    parse: (text: string) => {
      const value = Number(text);
      if (!Number.isInteger(value) || value < 6 || value > 120) {
        throw settingsErrors.invalidValue('audit.retentionMonths', ' 6 至 120 的整数');
      }
      return value;
    },
  },
  'monitoring.consentDays': {
    label: '监测识别：承诺授权时限（工作日）',
    defaultValue: 2,
    parse: positiveInteger('monitoring.consentDays', 60),
  },
  'monitoring.verificationDays': {
    label: '监测识别：入户核实时限（工作日）',
    defaultValue: 3,
    parse: positiveInteger('monitoring.verificationDays', 60),
  },
  'monitoring.crossCheckDays': {
    label: '监测识别：信息比对时限（工作日）',
    defaultValue: 3,
    parse: positiveInteger('monitoring.crossCheckDays', 60),
  },
  'monitoring.deliberationDays': {
    label: '监测识别：村级评议时限（工作日）',
    defaultValue: 3,
    parse: positiveInteger('monitoring.deliberationDays', 60),
  },
  'monitoring.noticeDays': {
    label: '公示最短天数（自然日）',
    defaultValue: 5,
    parse: positiveInteger('monitoring.noticeDays', 30),
  },
  'monitoring.noticeStepDays': {
    label: '公示环节时限（自然日，含公示期）',
    defaultValue: 8,
    parse: positiveInteger('monitoring.noticeStepDays', 60),
  },
  'monitoring.townshipReviewDays': {
    label: '乡镇审核时限（工作日）',
    defaultValue: 3,
    parse: positiveInteger('monitoring.townshipReviewDays', 60),
  },
  'monitoring.countyApprovalDays': {
    label: '县级审定时限（工作日）',
    defaultValue: 3,
    parse: positiveInteger('monitoring.countyApprovalDays', 60),
  },
  'monitoring.chainWorkingDays': {
    label: '识别或消除全流程时限（工作日）',
    defaultValue: 20,
    parse: positiveInteger('monitoring.chainWorkingDays', 120),
  },
  'monitoring.attachmentMegabytes': {
    label: '监测附件大小上限（MB）',
    defaultValue: 5,
    parse: positiveInteger('monitoring.attachmentMegabytes', 20),
  },
} satisfies Record<string, SettingDefinition>;

/**
 * Documented monitoring lines (yuan per person per year) used when a province has not set its own for a
 * year: 7300 for 2023 is the figure GLOSSARY.md quotes; the others are the demo data's table. Years outside
 * the table take the nearest year's line.
 */
export const defaultMonitoringLines: Readonly<Record<number, number>> = {
  2021: 6000,
  2022: 6600,
  2023: 7300,
  2024: 7600,
  2025: 7800,
  2026: 8000,
};

function defaultMonitoringLine(year: number): number {
  const years = Object.keys(defaultMonitoringLines).map(Number);
  const nearest = Math.min(Math.max(year, Math.min(...years)), Math.max(...years));
  return defaultMonitoringLines[nearest] as number;
}

interface SettingPattern {
  /** Matches the whole key; the first group is the key's parameter. */
  pattern: RegExp;
  label(parameter: string): string;
  defaultValue(parameter: string): number | boolean | string;
  parse(key: string, text: string): number | boolean | string;
  /** Keys shown by `settings list` even when not stored. */
  listedKeys(): string[];
}

/** Families of keys with a parameter, e.g. one monitoring line per statistics year. */
export const settingPatterns = {
  monitoringLine: {
    pattern: /^monitoringLine\.(20\d{2})$/,
    label: (year: string) => `${year} 年防止返贫监测标准（元/人·年）`,
    defaultValue: (year: string) => defaultMonitoringLine(Number(year)),
    parse: (key: string, text: string) => {
      const value = Number(text.trim());
      if (!Number.isFinite(value) || value <= 0 || value > 1_000_000 || text.trim() === '') {
        throw settingsErrors.invalidValue(key, '大于 0 的金额（元）');
      }
      return Math.round(value * 100) / 100;
    },
    listedKeys: () => {
      const year = Number(beijingToday().slice(0, 4));
      return [year - 1, year, year + 1].map((listed) => `monitoringLine.${listed}`);
    },
  },
} satisfies Record<string, SettingPattern>;

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function patternOf(key: string): { definition: SettingPattern; parameter: string } | undefined {
  for (const definition of Object.values(settingPatterns) as SettingPattern[]) {
    const match = definition.pattern.exec(key);
    if (match?.[1] !== undefined) return { definition, parameter: match[1] };
  }
  return undefined;
}

export type SettingKey = keyof typeof settingDefinitions;
type SettingValue<Key extends SettingKey> = (typeof settingDefinitions)[Key]['defaultValue'];

const cacheMilliseconds = 5_000;

/** Reads are cached briefly: auth reads the session settings on every request. */
export class SettingsService {
  private readonly repository: SettingsRepository;
  private cache: { values: Map<string, unknown>; loadedAt: number } | undefined;

  constructor(db: DB) {
    this.repository = new SettingsRepository(db);
  }

  async get<Key extends SettingKey>(key: Key): Promise<SettingValue<Key>> {
    const values = await this.loadValues();
    return (values.has(key) ? values.get(key) : settingDefinitions[key].defaultValue) as SettingValue<Key>;
  }

  /** The monitoring income line of a statistics year (the province's, else the documented default). */
  async monitoringLine(year: number): Promise<number> {
    const key = `monitoringLine.${year}`;
    const values = await this.loadValues();
    const stored = values.get(key);
    return typeof stored === 'number' ? stored : defaultMonitoringLine(year);
  }

  /** The statistics reference date (YYYY-MM-DD): the setting, else today in Beijing. */
  async statisticsDate(): Promise<string> {
    const value = await this.get('statisticsDate');
    return value || beijingToday();
  }

  async list(): Promise<Array<{ key: string; label: string; value: unknown; isDefault: boolean }>> {
    const values = await this.loadValues();
    const fixed = Object.entries(settingDefinitions).map(([key, definition]) => ({
      key,
      label: definition.label,
      value: values.has(key) ? values.get(key) : definition.defaultValue,
      isDefault: !values.has(key),
    }));
    const patterned = new Set<string>();
    for (const definition of Object.values(settingPatterns) as SettingPattern[]) {
      for (const key of definition.listedKeys()) patterned.add(key);
    }
    for (const key of values.keys()) if (patternOf(key)) patterned.add(key);
    const patternedItems = [...patterned].sort().flatMap((key) => {
      const found = patternOf(key);
      if (!found) return [];
      return [
        {
          key,
          label: found.definition.label(found.parameter),
          value: values.has(key) ? values.get(key) : found.definition.defaultValue(found.parameter),
          isDefault: !values.has(key),
        },
      ];
    });
    return [...fixed, ...patternedItems];
  }

  /** Parses and stores a value given as text (CLI, form). */
  async setFromText(key: string, text: string, updatedBy: string | null): Promise<unknown> {
    const pattern = key in settingDefinitions ? undefined : patternOf(key);
    if (!(key in settingDefinitions) && !pattern) throw settingsErrors.unknownKey(key);
    const value = pattern
      ? pattern.definition.parse(key, text)
      : settingDefinitions[key as SettingKey].parse(text);
    await this.repository.upsert({ key, value, updatedBy });
    this.cache = undefined;
    return value;
  }

  private async loadValues(): Promise<Map<string, unknown>> {
    if (!this.cache || Date.now() - this.cache.loadedAt > cacheMilliseconds) {
      const rows = await this.repository.listAll();
      this.cache = { values: new Map(rows.map((row) => [row.key, row.value])), loadedAt: Date.now() };
    }
    return this.cache.values;
  }
}
