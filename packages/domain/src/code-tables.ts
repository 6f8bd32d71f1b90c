/**
 * Code tables: the platform stores a stable English code; the label is what the national export and
 * the UI show. `variants` are other spellings seen in real exports, mapped to the same code. Labels
 * change between years and provinces add items, so nothing outside this file spells a label.
 */
export interface CodeItem {
  code: string;
  label: string;
  variants?: string[];
}

function table<const Items extends readonly CodeItem[]>(items: Items) {
  return items;
}

export const codeTables = {
  householdType: table([
    { code: 'lifted', label: '脱贫户', variants: ['脱贫户（含监测户）'] },
    { code: 'ordinary', label: '一般农户', variants: ['一般户', '农户'] },
  ]),
  monitoringCategory: table([
    { code: 'unstable_lifted', label: '脱贫不稳定户', variants: ['脱贫不稳定'] },
    { code: 'marginal', label: '边缘易致贫户', variants: ['边缘户', '边缘易致贫'] },
    { code: 'sudden_hardship', label: '突发严重困难户', variants: ['突发困难户', '突发严重困难'] },
  ]),
  eliminationMethod: table([
    { code: 'assisted', label: '帮扶消除' },
    { code: 'natural', label: '自然消除' },
  ]),
  riskType: table([
    { code: 'illness', label: '因病' },
    { code: 'disability', label: '因残' },
    { code: 'schooling', label: '因学' },
    {
      code: 'disaster',
      label: '因自然灾害',
      variants: [
        '因灾',
        '因洪涝',
        '因地质灾害',
        '因旱',
        '因生物灾害',
        '因气象灾害',
        '因地震',
        '因其他自然灾害',
      ],
    },
    { code: 'accident', label: '因意外事故', variants: ['因意外'] },
    { code: 'business_failure', label: '因产业(项目)失败', variants: ['因产业项目失败', '因产业失败'] },
    { code: 'unstable_employment', label: '因务工就业不稳', variants: ['因就业不稳', '因务工不稳'] },
    { code: 'labour_shortage', label: '缺劳动力', variants: ['因缺劳动力', '缺劳力'] },
    { code: 'housing', label: '因安全住房', variants: ['住房出现安全问题', '因住房安全'] },
    { code: 'water', label: '因安全饮水', variants: ['饮水出现安全问题', '因饮水安全'] },
    { code: 'other', label: '其他', variants: ['因其他'] },
  ]),
  gender: table([
    { code: 'male', label: '男', variants: ['1'] },
    { code: 'female', label: '女', variants: ['2'] },
  ]),
  idType: table([
    { code: 'resident_id', label: '居民身份证', variants: ['身份证', '居民身份证（户口簿）', '户口簿'] },
    { code: 'disability_cert', label: '残疾人证', variants: ['残疾证', '中华人民共和国残疾人证'] },
    { code: 'other', label: '其他证件', variants: ['其他'] },
  ]),
  relation: table([
    { code: 'head', label: '户主' },
    { code: 'spouse', label: '配偶' },
    { code: 'son', label: '之子' },
    { code: 'daughter', label: '之女' },
    { code: 'daughter_in_law', label: '之儿媳' },
    { code: 'son_in_law', label: '之女婿' },
    { code: 'grandson', label: '之孙子' },
    { code: 'granddaughter', label: '之孙女' },
    { code: 'maternal_grandson', label: '之外孙子' },
    { code: 'maternal_granddaughter', label: '之外孙女' },
    { code: 'father', label: '之父' },
    { code: 'mother', label: '之母' },
    { code: 'husbands_father', label: '之公公' },
    { code: 'husbands_mother', label: '之婆婆' },
    { code: 'wifes_father', label: '之岳父' },
    { code: 'wifes_mother', label: '之岳母' },
    { code: 'grandfather', label: '之祖父' },
    { code: 'grandmother', label: '之祖母' },
    { code: 'sibling', label: '之兄弟姐妹' },
    { code: 'sibling_in_law', label: '之兄弟媳妇' },
    { code: 'nephew', label: '之侄儿' },
    { code: 'niece', label: '之侄女' },
    { code: 'uncle', label: '之叔伯' },
    { code: 'great_grandson', label: '之曾孙子' },
    { code: 'great_granddaughter', label: '之曾孙女' },
    { code: 'other', label: '其他' },
  ]),
  education: table([
    { code: 'illiterate', label: '文盲或半文盲', variants: ['文盲', '半文盲'] },
    { code: 'primary', label: '小学' },
    { code: 'junior_secondary', label: '初中' },
    { code: 'senior_secondary', label: '高中', variants: ['高中（含中专）', '中专'] },
    { code: 'technician', label: '技师' },
    { code: 'college', label: '大专', variants: ['大专（高职）'] },
    {
      code: 'bachelor_or_above',
      label: '本科及以上',
      variants: ['本科及研究生及以上', '大学本科及以上', '本科'],
    },
  ]),
  schooling: table([
    { code: 'preschool_child', label: '学龄前儿童' },
    { code: 'preschool', label: '学前教育' },
    { code: 'primary_1', label: '小学一年级' },
    { code: 'primary_2', label: '小学二年级' },
    { code: 'primary_3', label: '小学三年级' },
    { code: 'primary_4', label: '小学四年级' },
    { code: 'primary_5', label: '小学五年级' },
    { code: 'primary_6', label: '小学六年级' },
    { code: 'grade_7', label: '七年级', variants: ['初中一年级', '初一'] },
    { code: 'grade_8', label: '八年级', variants: ['初中二年级', '初二'] },
    { code: 'grade_9', label: '九年级', variants: ['初中三年级', '初三'] },
    { code: 'senior_1', label: '普通高中一年级', variants: ['高中一年级', '高一'] },
    { code: 'senior_2', label: '普通高中二年级', variants: ['高中二年级', '高二'] },
    { code: 'senior_3', label: '普通高中三年级', variants: ['高中三年级', '高三'] },
    { code: 'vocational_1', label: '中职一年级' },
    { code: 'vocational_2', label: '中职二年级' },
    { code: 'vocational_3', label: '中职三年级' },
    { code: 'higher_vocational_1', label: '高职高专一年级' },
    { code: 'higher_vocational_2', label: '高职高专二年级' },
    { code: 'higher_vocational_3', label: '高职高专三年级' },
    { code: 'undergraduate', label: '本科', variants: ['大学本科'] },
    { code: 'postgraduate', label: '硕士生及以上', variants: ['研究生', '硕士研究生及以上'] },
  ]),
  health: table([
    { code: 'healthy', label: '健康' },
    { code: 'chronic_illness', label: '长期慢性病', variants: ['慢性病'] },
    { code: 'serious_illness', label: '患有大病', variants: ['大病'] },
    { code: 'disabled', label: '残疾' },
  ]),
  laborSkill: table([
    { code: 'skilled', label: '技能劳动力' },
    { code: 'ordinary', label: '普通劳动力' },
    { code: 'weak', label: '弱劳动力或半劳动力', variants: ['弱劳动力', '半劳动力'] },
    { code: 'lost', label: '丧失劳动力' },
    { code: 'none', label: '无劳动力' },
  ]),
  workLocation: table([
    { code: 'within_township', label: '乡(镇)内务工', variants: ['乡镇内务工', '乡内务工'] },
    { code: 'within_county', label: '乡(镇)外县内务工', variants: ['乡镇外县内务工', '县内务工'] },
    { code: 'within_province', label: '县外省内务工', variants: ['省内务工'] },
    { code: 'outside_province', label: '省外务工' },
    { code: 'abroad', label: '国外务工', variants: ['境外务工'] },
  ]),
  dibao: table([
    { code: 'none', label: '未享受', variants: ['不享受', '否'] },
    { code: 'rural', label: '农村低保' },
    { code: 'urban', label: '城市低保' },
  ]),
  tekun: table([
    { code: 'none', label: '不享受', variants: ['未享受', '否'] },
    { code: 'rural', label: '农村特困', variants: ['农村特困供养'] },
    { code: 'urban', label: '城市特困', variants: ['城市特困供养'] },
  ]),
  yesNo: table([
    { code: 'true', label: '是', variants: ['Y', 'y', '1'] },
    { code: 'false', label: '否', variants: ['N', 'n', '0'] },
  ]),
} as const;

export type CodeTableName = keyof typeof codeTables;
export type CodeOf<Name extends CodeTableName> = (typeof codeTables)[Name][number]['code'];

/** Normalises text before lookup: trims, folds full-width parentheses and spaces. */
export function normaliseLabel(text: string): string {
  return text
    .replace(/[\s\u3000]+/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');
}

const lookups = new Map<CodeTableName, Map<string, string>>();

/** The code for a label or known variant, or undefined when the text is blank or unknown. */
export function codeOf(tableName: CodeTableName, text: string | null | undefined): string | undefined {
  if (text === null || text === undefined) return undefined;
  const key = normaliseLabel(text);
  if (key === '') return undefined;
  let lookup = lookups.get(tableName);
  if (!lookup) {
    lookup = new Map();
    for (const item of codeTables[tableName] as readonly CodeItem[]) {
      lookup.set(normaliseLabel(item.label), item.code);
      lookup.set(item.code, item.code);
      for (const variant of item.variants ?? []) lookup.set(normaliseLabel(variant), item.code);
    }
    lookups.set(tableName, lookup);
  }
  return lookup.get(key);
}

/** The label of a code, or the code itself when unknown. */
export function labelOf(tableName: CodeTableName, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return (codeTables[tableName] as readonly CodeItem[]).find((item) => item.code === code)?.label ?? code;
}

/** Every spelling → code pair of a table, for building set-based SQL mappings. */
export function spellingsOf(tableName: CodeTableName): Array<{ spelling: string; code: string }> {
  const pairs: Array<{ spelling: string; code: string }> = [];
  for (const item of codeTables[tableName] as readonly CodeItem[]) {
    pairs.push({ spelling: normaliseLabel(item.label), code: item.code });
    for (const variant of item.variants ?? [])
      pairs.push({ spelling: normaliseLabel(variant), code: item.code });
  }
  return pairs;
}
