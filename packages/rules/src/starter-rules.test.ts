import { describe, expect, it } from 'vitest';
import { evaluateRule, type HouseholdInput, type PersonInput } from './evaluate.ts';
import { parseRule } from './parser.ts';
import { starterRules } from './starter-rules.ts';
import { cleanHousehold, options, person, setBirth } from './test-households.ts';

type Household = ReturnType<typeof cleanHousehold>;
const member = (household: Household, id: string) =>
  household.members.find((m) => m.id === id) as PersonInput;
const income = (household: Household) =>
  (household.incomes as Record<number, Record<string, unknown>>)[2025] as Record<string, unknown>;
const eliminate = (household: Household) => {
  household.riskEliminated = true;
  household.eliminationMethod = 'natural';
  household.eliminatedAt = '202501';
};

/** For each rule: a change to the clean household that must make it fire (and, for person rules, on whom). */
const firingCases: Record<string, { change: (household: Household) => void; persons?: string[] }> = {
  'ID-001': {
    change: (h) => {
      member(h, 'spouse').idNumber = '  ';
    },
    persons: ['spouse'],
  },
  'ID-002': {
    change: (h) => {
      member(h, 'spouse').idNumber = `41022A${String(member(h, 'spouse').idNumber).slice(6)}`;
    },
    persons: ['spouse'],
  },
  'ID-003': {
    change: (h) => {
      member(h, 'spouse').idNumber = `41022519720230${String(member(h, 'spouse').idNumber).slice(14)}`;
    },
    persons: ['spouse'],
  },
  'ID-004': {
    change: (h) => {
      const id = String(member(h, 'spouse').idNumber);
      member(h, 'spouse').idNumber = `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`;
    },
    persons: ['spouse'],
  },
  'ID-005': {
    change: (h) => {
      const id = String(member(h, 'spouse').idNumber);
      member(h, 'spouse').idNumber = `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}11`;
    },
    persons: ['spouse'],
  },
  'ID-006': {
    change: (h) => {
      member(h, 'son').idNumber = '999999201209010011';
    },
    persons: ['son'],
  },
  'ID-008': {
    change: (h) => {
      member(h, 'spouse').gender = 'male';
    },
    persons: ['spouse'],
  },
  'ID-009': {
    change: (h) => {
      member(h, 'spouse').birthDate = new Date(1972, 4, 2);
    },
    persons: ['spouse'],
  },
  'MIS-001': {
    change: (h) => {
      member(h, 'spouse').laborSkill = null;
    },
    persons: ['spouse'],
  },
  'MIS-002': {
    change: (h) => {
      member(h, 'spouse').ethnicity = ' ';
    },
    persons: ['spouse'],
  },
  'MIS-003': {
    change: (h) => {
      member(h, 'spouse').health = null;
    },
    persons: ['spouse'],
  },
  'MIS-004': {
    change: (h) => {
      member(h, 'spouse').residentPension = null;
    },
    persons: ['spouse'],
  },
  'MIS-005': {
    change: (h) => {
      // 致贫/返贫风险1 blank while risk 2 is filled: the column, not the set, is what the rule reads.
      h.risks = [null, ...(h.risks ?? [])];
    },
  },
  'MIS-006': {
    change: (h) => {
      h.arableLand = null;
    },
  },
  'MIS-007': {
    change: (h) => {
      h.distanceToRoad = '';
    },
  },
  'MIS-008': {
    change: (h) => {
      h.hasElectricity = null;
    },
  },
  'MIS-009': {
    change: (h) => {
      h.roadHardened = null;
    },
  },
  'MIS-010': {
    change: (h) => {
      h.safeDrinkingWater = null;
    },
  },
  'MIS-011': {
    change: (h) => {
      h.identifiedAt = '202413';
    },
  },
  'MIS-012': {
    change: (h) => {
      eliminate(h);
      h.eliminationMethod = null;
    },
  },
  'MIS-013': {
    change: (h) => {
      h.risks?.push('other');
    },
  },
  'MIS-014': {
    change: (h) => {
      h.householdPhone = '1380013800';
    },
  },
  'MIS-015': { change: eliminate },
  'NEED-001': {
    change: (h) => {
      Object.assign(h, { monitoringCategory: null, dangerousHouse: true });
    },
  },
  'NEED-002': {
    change: (h) => {
      Object.assign(h, { monitoringCategory: null, safeDrinkingWater: false });
    },
  },
  'NEED-003': {
    change: (h) => {
      Object.assign(h, { monitoringCategory: null });
      member(h, 'son').criticalIllnessInsurance = false;
    },
  },
  'NEED-004': {
    change: (h) => {
      Object.assign(h, { monitoringCategory: null });
      income(h).netIncomePerPerson = '7299.5';
    },
  },
  'NEED-005': {
    change: (h) => {
      Object.assign(h, { monitoringCategory: null, childDropout: true });
    },
  },
  'NEED-006': {
    change: (h) => {
      eliminate(h);
      h.dangerousHouse = true;
    },
  },
  'NEED-007': {
    change: (h) => {
      member(h, 'son').schooling = null;
    },
    persons: ['son'],
  },
  'LOG-001': {
    change: (h) => {
      member(h, 'son').laborSkill = 'weak';
    },
    persons: ['son'],
  },
  'LOG-002': {
    change: (h) => {
      setBirth(member(h, 'head'), '19610630');
    },
    persons: ['head'],
  },
  'LOG-003': {
    change: (h) => {
      member(h, 'spouse').schooling = 'undergraduate';
    },
    persons: ['spouse'],
  },
  'LOG-004': {
    change: (h) => {
      member(h, 'son').schooling = 'preschool';
    },
    persons: ['son'],
  },
  'LOG-005': {
    change: (h) => {
      setBirth(member(h, 'son'), '20100101');
      member(h, 'son').schooling = 'primary_3';
    },
    persons: ['son'],
  },
  'LOG-006': {
    change: (h) => {
      setBirth(member(h, 'son'), '20160101');
    },
    persons: ['son'],
  },
  'LOG-007': {
    change: (h) => {
      member(h, 'son').schooling = 'senior_1';
    },
    persons: ['son'],
  },
  'LOG-008': {
    change: (h) => {
      member(h, 'son').education = 'college';
    },
    persons: ['son'],
  },
  'LOG-009': {
    change: (h) => {
      member(h, 'son').schooling = 'postgraduate';
    },
    persons: ['son'],
  },
  'LOG-010': {
    change: (h) => {
      setBirth(member(h, 'son'), '20080101');
      Object.assign(member(h, 'son'), { schooling: null, education: 'primary' });
    },
    persons: ['son'],
  },
  'LOG-011': {
    change: (h) => {
      member(h, 'son').education = 'primary';
    },
    persons: ['son'],
  },
  'LOG-012': {
    change: (h) => {
      member(h, 'spouse').employeeMedicalInsurance = true;
    },
    persons: ['spouse'],
  },
  'LOG-013': {
    change: (h) => {
      member(h, 'spouse').residentMedicalInsurance = null;
    },
    persons: ['spouse'],
  },
  'LOG-014': {
    change: (h) => {
      member(h, 'son').nonAttendanceReason = '因病';
    },
    persons: ['son'],
  },
  'LOG-015': {
    change: (h) => {
      member(h, 'spouse').health = 'disabled';
    },
    persons: ['spouse'],
  },
  'LOG-016': {
    change: (h) => {
      member(h, 'spouse').idType = 'disability_cert';
    },
    persons: ['spouse'],
  },
  'LOG-017': {
    change: (h) => {
      member(h, 'spouse').idNumber = `${member(h, 'spouse').idNumber}42`;
    },
    persons: ['spouse'],
  },
  'LOG-018': {
    change: (h) => {
      member(h, 'spouse').gender = 'male';
    },
    persons: ['spouse'],
  },
  'LOG-019': {
    change: (h) => {
      member(h, 'son').relation = 'daughter';
    },
    persons: ['son'],
  },
  'LOG-020': {
    change: (h) => {
      member(h, 'spouse').relation = 'son';
    },
    persons: ['spouse'],
  },
  'LOG-021': {
    change: (h) => {
      setBirth(member(h, 'son'), '19800101');
    },
    persons: ['son'],
  },
  'LOG-022': {
    change: (h) => {
      h.members.push(person('father', 'father', 'male', '19600101'));
    },
    persons: ['father'],
  },
  'LOG-023': {
    change: (h) => {
      Object.assign(member(h, 'spouse'), { dibao: 'rural', tekun: 'rural' });
    },
    persons: ['spouse'],
  },
  'LOG-024': {
    change: (h) => {
      member(h, 'spouse').phone = '12345678901';
    },
    persons: ['spouse'],
  },
  'LOG-025': {
    change: (h) => {
      member(h, 'son').publicJob = '保洁员';
    },
    persons: ['son'],
  },
  'HH-001': {
    change: (h) => {
      member(h, 'head').relation = 'other';
    },
  },
  'HH-002': {
    change: (h) => {
      member(h, 'spouse').relation = 'head';
    },
  },
  'HH-003': {
    change: (h) => {
      income(h).netIncomePerPerson = '-1';
    },
  },
  'HH-004': {
    change: (h) => {
      income(h).wageIncome = '21000';
    },
  },
  'HH-005': {
    change: (h) => {
      h.arableLand = '100.5';
    },
  },
  'HH-006': {
    change: (h) => {
      h.noLabourSafetyNet = true;
    },
  },
  'HH-007': {
    change: (h) => {
      h.identifiedAt = '202607';
    },
  },
  'RISK-001': {
    change: (h) => {
      member(h, 'head').health = 'healthy';
    },
  },
  'RISK-002': {
    change: (h) => {
      h.risks?.push('disability');
    },
  },
  'RISK-003': {
    change: (h) => {
      h.risks?.push('schooling');
      member(h, 'son').schooling = null;
    },
  },
  'RISK-004': {
    change: (h) => {
      h.risks?.push('labour_shortage');
    },
  },
  'RISK-005': {
    change: (h) => {
      h.risks?.push('unstable_employment');
      member(h, 'head').laborSkill = 'lost';
      member(h, 'spouse').laborSkill = 'none';
    },
  },
  'RISK-006': {
    change: (h) => {
      income(h).eligibleMedicalCost = '0.00';
    },
  },
  'RISK-007': {
    change: (h) => {
      h.measures = { industry: ['产业奖补'] };
    },
  },
  'RISK-008': {
    change: (h) => {
      h.risks?.push('schooling');
    },
  },
  'RISK-009': {
    change: (h) => {
      h.risks?.push('disability');
    },
  },
  'RISK-010': {
    change: (h) => {
      h.risks?.push('housing');
    },
  },
  'RISK-011': {
    change: (h) => {
      h.risks?.push('water');
    },
  },
  'RISK-012': {
    change: (h) => {
      h.childDropout = true;
    },
  },
  'RISK-013': {
    change: (h) => {
      Object.assign(h, { uninsuredMember: true, measures: { industry: ['x'], health: [' '] } });
    },
  },
  'RISK-014': {
    change: (h) => {
      h.measures = { health: ['家庭医生签约服务'] };
    },
  },
  'ELIM-001': {
    change: (h) => {
      eliminate(h);
      Object.assign(h, { eliminationMethod: 'assisted', measures: {} });
    },
  },
  'ELIM-002': {
    change: (h) => {
      eliminate(h);
      income(h).postNetIncomePerPerson = '7000';
    },
  },
  'ELIM-003': {
    change: (h) => {
      eliminate(h);
      h.eliminatedAt = '202406';
    },
  },
  'ELIM-004': {
    change: (h) => {
      eliminate(h);
      Object.assign(h, { eliminationMethod: 'assisted', eliminatedAt: '202312' });
    },
  },
  'ELIM-005': {
    change: (h) => {
      eliminate(h);
      for (const m of h.members) m.laborSkill = 'lost';
    },
  },
  'ELIM-006': {
    change: (h) => {
      eliminate(h);
      h.eliminatedAt = '202312';
    },
  },
  'ELIM-007': {
    change: (h) => {
      h.monitoringCategory = null;
    },
  },
};

const expressed = starterRules.filter((rule) => rule.when !== undefined);

function fired(rule: (typeof starterRules)[number], household: HouseholdInput) {
  const result = parseRule(rule.when as string, rule.scope);
  if (!result.ok) throw new Error(`${rule.code}: ${result.error.message}`);
  return evaluateRule(result.rule, household, options);
}

describe('starter rules in the rule language', () => {
  it('lists all 85 rules, all but the two aggregate ones expressed', () => {
    expect(starterRules).toHaveLength(85);
    expect(new Set(starterRules.map((rule) => rule.code)).size).toBe(85);
    expect(starterRules.filter((rule) => rule.kind === 'aggregate').map((rule) => rule.code)).toEqual([
      'ID-007',
      'HH-008',
    ]);
    expect(expressed).toHaveLength(83);
  });

  it.each(expressed.map((rule) => [rule.code, rule] as const))('%s parses and type-checks', (_code, rule) => {
    const result = parseRule(rule.when as string, rule.scope);
    expect(result.ok ? 'ok' : result.error).toBe('ok');
  });

  it('none fires on the clean household', () => {
    const flagged = expressed.filter((rule) => {
      const result = fired(rule, cleanHousehold());
      return result === true || (Array.isArray(result) && result.length > 0);
    });
    expect(flagged.map((rule) => rule.code)).toEqual([]);
  });

  it('has a firing case for every expressed rule', () => {
    expect(expressed.map((rule) => rule.code).filter((code) => !firingCases[code])).toEqual([]);
  });

  it.each(expressed.map((rule) => [rule.code, rule] as const))(
    '%s fires on its hand-made household',
    (code, rule) => {
      const household = cleanHousehold();
      const firingCase = firingCases[code];
      if (!firingCase) throw new Error(`no case for ${code}`);
      firingCase.change(household);
      expect(fired(rule, household)).toEqual(rule.scope === 'household' ? true : firingCase.persons);
    },
  );
});

/** Changes at or just inside a rule's bound, which must leave it silent. */
const silentCases: Array<[code: string, description: string, change: (household: Household) => void]> = [
  [
    'LOG-001',
    'exactly 16 on the reference date',
    (h) => {
      setBirth(member(h, 'son'), '20100630');
      member(h, 'son').laborSkill = 'weak';
    },
  ],
  ['LOG-021', 'exactly 15 years younger than the head', (h) => setBirth(member(h, 'son'), '19850315')],
  [
    'LOG-018',
    'spouse of the same sex when the household has two heads',
    (h) => {
      member(h, 'spouse').gender = 'male';
      member(h, 'son').relation = 'head';
    },
  ],
  [
    'LOG-015',
    'disabled with a disability certificate',
    (h) => {
      Object.assign(member(h, 'spouse'), { health: 'disabled', idType: 'disability_cert' });
    },
  ],
  [
    'ID-004',
    'a 20-character ID with a wrong check digit (ID-005 reports it)',
    (h) => {
      const id = String(member(h, 'spouse').idNumber);
      member(h, 'spouse').idNumber = `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}11`;
    },
  ],
  [
    'RISK-004',
    'labour members exactly a quarter of the household',
    (h) => {
      h.risks?.push('labour_shortage');
      for (let index = 0; index < 5; index += 1) {
        const extra = person(`extra${index}`, 'other', 'male', '19500101');
        extra.laborSkill = 'none';
        h.members.push(extra);
      }
    },
  ],
  [
    'HH-004',
    'components within 1% of income × size',
    (h) => {
      income(h).wageIncome = '20270';
    },
  ],
  [
    'NEED-004',
    'income exactly at the line',
    (h) => {
      h.monitoringCategory = null;
      income(h).netIncomePerPerson = '7300';
    },
  ],
  [
    'ELIM-003',
    'exactly 6 months',
    (h) => {
      eliminate(h);
      h.eliminatedAt = '202407';
    },
  ],
  [
    'ELIM-004',
    'two months apart',
    (h) => {
      eliminate(h);
      Object.assign(h, { eliminationMethod: 'assisted', eliminatedAt: '202403' });
    },
  ],
  [
    'LOG-024',
    'a blank phone',
    (h) => {
      member(h, 'spouse').phone = ' ';
    },
  ],
];

describe('starter rules stay silent at their bounds', () => {
  it.each(silentCases)('%s: %s', (code, _description, change) => {
    const rule = expressed.find((candidate) => candidate.code === code);
    if (!rule) throw new Error(`no rule ${code}`);
    const household = cleanHousehold();
    change(household);
    expect(fired(rule, household)).toEqual(rule.scope === 'household' ? false : []);
  });
});
