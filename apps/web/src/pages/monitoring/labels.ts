import { measureCategories, measureValueSuggestions } from '@shouwang/domain';

/** Code-table options the monitoring forms offer (labels as the national system writes them). */
export const riskTypeOptions = [
  { value: 'illness', label: '因病' },
  { value: 'disability', label: '因残' },
  { value: 'schooling', label: '因学' },
  { value: 'disaster', label: '因自然灾害' },
  { value: 'accident', label: '因意外事故' },
  { value: 'business_failure', label: '因产业(项目)失败' },
  { value: 'unstable_employment', label: '因务工就业不稳' },
  { value: 'labour_shortage', label: '缺劳动力' },
  { value: 'housing', label: '因安全住房' },
  { value: 'water', label: '因安全饮水' },
  { value: 'other', label: '其他' },
];
export const riskTypeLabel = (code: string) =>
  riskTypeOptions.find((option) => option.value === code)?.label ?? code;

export const monitoringCategoryOptions = [
  { value: 'unstable_lifted', label: '脱贫不稳定户' },
  { value: 'marginal', label: '边缘易致贫户' },
  { value: 'sudden_hardship', label: '突发严重困难户' },
];
export const eliminationMethodOptions = [
  { value: 'assisted', label: '帮扶消除' },
  { value: 'natural', label: '自然消除' },
];
/** Measures grouped by category; a value is `category:content`, as the case keeps it. */
export const measureOptions = measureCategories.map((category) => ({
  label: category.header,
  title: category.header,
  options: measureValueSuggestions[category.code].map((value) => ({
    value: `${category.code}:${value}`,
    label: `${category.header} · ${value}`,
  })),
}));
