/**
 * Code tables of the registry, defined once (DOMAIN.md; TEMPLATES.md §1 for the workbook labels).
 * Each entry: a stable code for data and the API, the Chinese label the workbooks and pages use,
 * and an English label. A workbook cell may hold the code or the Chinese label.
 */
export interface CodeEntry<C extends string = string> {
  code: C;
  zh: string;
  en: string;
}

function table<const T extends readonly CodeEntry[]>(entries: T) {
  return entries;
}

/** 致困原因, from the national archive form: one primary and up to three secondary. */
export const HARDSHIP_CAUSES = table([
  { code: '1', zh: '无劳动能力', en: 'Unable to work' },
  { code: '2', zh: '有劳动能力未就业', en: 'Able to work but unemployed' },
  { code: '3', zh: '下岗失业', en: 'Laid off' },
  { code: '4', zh: '未参加社保', en: 'No social insurance' },
  { code: '5', zh: '社保待遇不到位', en: 'Insurance benefits not paid' },
  { code: '6', zh: '患重特大疾病', en: 'Serious illness (self or family)' },
  { code: '7', zh: '自然灾害', en: 'Natural disaster' },
  { code: '8', zh: '意外事故', en: 'Accident' },
  { code: '9', zh: '子女上学', en: "Children's schooling" },
  { code: '10', zh: '其他', en: 'Other' },
]);
export type HardshipCause = (typeof HARDSHIP_CAUSES)[number]['code'];
/** Objective causes in the founding report's sense (with disability): no time-limited exit. */
export const OBJECTIVE_CAUSES: readonly HardshipCause[] = ['1', '6', '7', '8'];

/** Archive categories: the three of the national rule, and legacy ones for imported history. */
export const ARCHIVE_CATEGORIES = table([
  { code: 'deep', zh: '深度困难', en: 'Deep hardship' },
  { code: 'relative', zh: '相对困难', en: 'Relative hardship' },
  { code: 'accident', zh: '意外致困', en: 'Hardship by accident' },
  { code: 'legacy_general', zh: '困难职工（2013年标准）', en: 'Hardship worker (2013 rule)' },
  { code: 'legacy_dibao', zh: '低保户', en: 'Minimum-living-standard household' },
  { code: 'legacy_dibao_edge', zh: '低保边缘户', en: 'Household at the edge of the minimum living standard' },
]);
export type ArchiveCategory = (typeof ARCHIVE_CATEGORIES)[number]['code'];

/** Where an archive comes from. */
export const ARCHIVE_ORIGINS = table([
  { code: 'new', zh: '新增', en: 'New' },
  { code: 'existing', zh: '存量', en: 'Existing' },
  { code: 'relapsed', zh: '返困', en: 'Back in hardship' },
]);
export type ArchiveOrigin = (typeof ARCHIVE_ORIGINS)[number]['code'];

export const URGENCIES = table([
  { code: 'normal', zh: '一般', en: 'Normal' },
  { code: 'urgent', zh: '紧急', en: 'Urgent' },
  { code: 'critical', zh: '特急', en: 'Critical' },
]);
export type Urgency = (typeof URGENCIES)[number]['code'];

/** Why an archive closes (DOMAIN.md: exit, national outcomes, exclusions). */
export const EXIT_REASONS = table([
  { code: 'income_recovered', zh: '收入稳定脱困', en: 'Out of hardship by income' },
  { code: 'time_limit', zh: '建档期满（无客观致困原因）', en: 'Time limit reached (no objective cause)' },
  { code: 'government_support', zh: '纳入政府兜底保障', en: 'Handed to permanent government support' },
  { code: 'death', zh: '死亡', en: 'Death' },
  { code: 'reidentified', zh: '重新认定不符合条件', en: 'No longer eligible on re-identification' },
  {
    code: 'excluded',
    zh: '存在排除情形（如拒绝核查、隐瞒收入）',
    en: 'Excluded (refused verification, hidden income, …)',
  },
  { code: 'moved_away', zh: '迁出本地', en: 'Moved away' },
  { code: 'other', zh: '其他', en: 'Other' },
]);
export type ExitReason = (typeof EXIT_REASONS)[number]['code'];

export const HOUSEHOLD_REGISTRATIONS = table([
  { code: 'urban', zh: '城镇', en: 'Urban' },
  { code: 'rural', zh: '农村', en: 'Rural' },
]);

export const HOUSING_TYPES = table([
  { code: 'owned', zh: '自有', en: 'Owned' },
  { code: 'rented', zh: '租赁', en: 'Rented' },
  { code: 'public_rental', zh: '公租房', en: 'Public rental' },
  { code: 'lodging', zh: '借住', en: 'Lodging with others' },
  { code: 'other', zh: '其他', en: 'Other' },
]);

export const RELATIONS = table([
  { code: 'spouse', zh: '配偶', en: 'Spouse' },
  { code: 'child', zh: '子女', en: 'Child' },
  { code: 'parent', zh: '父母', en: 'Parent' },
  { code: 'sibling', zh: '兄弟姐妹', en: 'Sibling' },
  { code: 'other', zh: '其他', en: 'Other' },
]);

export const HEALTH_STATES = table([
  { code: 'healthy', zh: '健康', en: 'Healthy' },
  { code: 'chronic', zh: '慢性病', en: 'Chronic illness' },
  { code: 'serious', zh: '大病', en: 'Serious illness' },
  { code: 'disabled', zh: '残疾', en: 'Disability' },
]);

export const ACTIVITY_STATES = table([
  { code: 'employed', zh: '在职', en: 'Employed' },
  { code: 'unemployed', zh: '失业', en: 'Unemployed' },
  { code: 'unable', zh: '无劳动能力', en: 'Unable to work' },
  { code: 'student', zh: '在校', en: 'In school' },
  { code: 'preschool', zh: '学龄前', en: 'Pre-school' },
  { code: 'retired', zh: '退休', en: 'Retired' },
]);

/** Finds a code from a workbook cell: the code itself or its Chinese label (TEMPLATES.md). */
export function codeOf<T extends readonly CodeEntry[]>(
  entries: T,
  cell: string,
): T[number]['code'] | undefined {
  const v = cell.trim();
  return entries.find((e) => e.code === v || e.zh === v)?.code;
}

export function labelOf(entries: readonly CodeEntry[], code: string, lang: 'zh' | 'en' = 'zh'): string {
  return entries.find((e) => e.code === code)?.[lang] ?? code;
}
