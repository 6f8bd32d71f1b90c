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
export const measureOptions = [
  { value: 'industry', label: '产业帮扶' },
  { value: 'employment', label: '就业帮扶' },
  { value: 'public_job', label: '公益岗位' },
  { value: 'finance', label: '金融帮扶（小额信贷）' },
  { value: 'health', label: '健康帮扶' },
  { value: 'education', label: '教育帮扶' },
  { value: 'housing', label: '住房安全保障' },
  { value: 'water', label: '饮水安全保障' },
  { value: 'social_security', label: '综合保障' },
  { value: 'social_aid', label: '社会帮扶' },
];
