/**
 * An evaluation's trace in plain language, zh-CN first and English second: what the household
 * page, the CLI and exports show a caseworker or the household itself.
 */
import {
  ARCHIVE_CATEGORIES,
  EXCLUSIONS,
  HARDSHIP_CAUSES,
  labelOf,
  parameterDefinition,
  parameterValueText,
  RULE_SETS,
} from '@niangjia/contracts';
import { formatFen } from '../money';
import type { Evaluation, Factor, FactorKey, ParameterVersion, Test } from './evaluate';

type Lang = 'zh' | 'en';

const FACTORS: Record<FactorKey, { zh: string; en: string }> = {
  wageIncome: { zh: '工资性收入', en: 'Wages' },
  businessIncome: { zh: '经营净收入', en: 'Business net income' },
  propertyIncome: { zh: '财产净收入', en: 'Property net income' },
  transferIncome: { zh: '转移净收入', en: 'Transfer income' },
  otherIncome: { zh: '其他收入', en: 'Other income' },
  imputedPeople: { zh: '按最低工资计入收入的人数', en: 'People counted at the minimum wage' },
  imputedIncome: { zh: '按最低工资计入的收入', en: 'Income counted at the minimum wage' },
  income: { zh: '家庭年收入', en: 'Household income for the year' },
  medicalCost: { zh: '医疗支出', en: 'Illness costs' },
  disabilityCost: { zh: '残疾支出', en: 'Disability costs' },
  educationCost: { zh: '非义务教育支出', en: 'Schooling costs (not compulsory)' },
  housingCost: { zh: '住房支出', en: 'Housing costs' },
  otherRigidCost: { zh: '其他刚性支出', en: 'Other rigid costs' },
  deductions: { zh: '可扣除的刚性支出合计', en: 'Deductible costs in all' },
  employmentCost: { zh: '必要就业成本', en: 'Necessary employment costs' },
  hardshipCosts: {
    zh: '致困支出（医疗、残疾、其他刚性）',
    en: 'Hardship costs (illness, disability, other rigid)',
  },
  size: { zh: '家庭人口', en: 'Household size' },
};

/** An exact decimal number of fen as money: '1620000' → 16,200.00元; '1234.5' → 12.345元. */
export function formatFenText(fen: string, lang: Lang = 'zh'): string {
  const locale = lang === 'zh' ? 'zh-CN' : 'en';
  const [whole = '0', fraction] = fen.split('.');
  const n = Number(whole);
  if (!fraction) return formatFen(n, locale);
  // A fraction of a fen: the yuan with every digit, so that the comparison reads true.
  const negative = fen.startsWith('-');
  const abs = Math.abs(n);
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  const digits = `${String(abs % 100).padStart(2, '0')}${fraction}`;
  const text = `${negative ? '-' : ''}${lang === 'zh' ? '' : '¥'}${yuan}.${digits}`;
  return lang === 'zh' ? `${text}元` : text;
}

function factorValue(f: Factor, lang: Lang): string {
  if (f.unit === 'people') return lang === 'zh' ? `${f.value}人` : `${f.value}`;
  return formatFen(f.value, lang === 'zh' ? 'zh-CN' : 'en');
}

/** A parameter's value for reading: 300.00元, 1.5倍, 80%, 5年. */
export function parameterValueLabel(p: Pick<ParameterVersion, 'key' | 'value'>, lang: Lang = 'zh'): string {
  const def = parameterDefinition(p.key);
  if (def.kind === 'yuan') return formatFen(p.value, lang === 'zh' ? 'zh-CN' : 'en');
  if (def.kind === 'ratio') {
    // A share reads as a percentage, a multiple as a multiple.
    if (def.key === 'accidentCostShare') return `${parameterValueText(p.key, p.value * 100)}%`;
    return `${parameterValueText(p.key, p.value)}${lang === 'zh' ? '倍' : '×'}`;
  }
  return `${p.value}${def.unit ? (lang === 'zh' ? def.unit.zh : ` ${def.unit.en}`) : ''}`;
}

function parameterLine(p: ParameterVersion, lang: Lang): string {
  const def = parameterDefinition(p.key);
  const period = p.validTo
    ? `${p.validFrom} – ${p.validTo}`
    : lang === 'zh'
      ? `${p.validFrom}起`
      : `from ${p.validFrom}`;
  const source = p.source ? (lang === 'zh' ? `，依据：${p.source}` : `; source: ${p.source}`) : '';
  return lang === 'zh'
    ? `${def.zh}：${parameterValueLabel(p, lang)}（${p.orgCode}，${period}${source}）`
    : `${def.en}: ${parameterValueLabel(p, lang)} (${p.orgCode}, ${period}${source})`;
}

const OPS: Record<Test['op'], { zh: string; en: string }> = {
  '<=': { zh: '≤', en: '≤' },
  '<': { zh: '<', en: '<' },
  '>': { zh: '>', en: '>' },
  none: { zh: '', en: '' },
  any: { zh: '', en: '' },
};

function testLine(t: Test, e: Evaluation, lang: Lang): string {
  const zh = lang === 'zh';
  const verdict = t.result ? (zh ? '是' : 'yes') : zh ? '否' : 'no';
  const decided = t.decisive ? (zh ? '（据此认定）' : ' (decides)') : '';
  const size = e.factors.find((f) => f.key === 'size')?.value ?? 0;
  const money = (x: string) => formatFenText(x, lang);
  const dibao = e.parameters.find((p) => p.key === 'dibaoMonthly');
  const lineText = dibao
    ? zh
      ? `低保${parameterValueLabel(dibao, lang)} × 12个月 × ${size}人`
      : `${parameterValueLabel(dibao, lang)} × 12 months × ${size} people`
    : '';
  const mult = (key: 'legacyMultiplier' | 'relativeMultiplier') => {
    const p = e.parameters.find((x) => x.key === key);
    return p ? `${parameterValueLabel(p, lang)} × ` : '';
  };
  switch (t.code) {
    case 'exclusion': {
      const list = t.left
        .split(',')
        .filter(Boolean)
        .map((c) => labelOf(EXCLUSIONS, c, lang))
        .join(zh ? '；' : '; ');
      return zh
        ? `排除情形：${list || '无'}。符合条件？${verdict}${decided}`
        : `Exclusions: ${list || 'none'}. Passes? ${verdict}${decided}`;
    }
    case 'legacy':
      return zh
        ? `2013年标准：家庭年收入 ${money(t.left)} ${OPS[t.op].zh} ${mult('legacyMultiplier')}${lineText} = ${money(t.right)}？${verdict}${decided}`
        : `2013 rule: income ${money(t.left)} ${OPS[t.op].en} ${mult('legacyMultiplier')}${lineText} = ${money(t.right)}? ${verdict}${decided}`;
    case 'deep':
      return zh
        ? `深度困难：收入减刚性支出 ${money(t.left)} ${OPS[t.op].zh} ${lineText} = ${money(t.right)}？${verdict}${decided}`
        : `Deep hardship: income less costs ${money(t.left)} ${OPS[t.op].en} ${lineText} = ${money(t.right)}? ${verdict}${decided}`;
    case 'relative':
      return zh
        ? `相对困难：收入减刚性支出和就业成本 ${money(t.left)} ${OPS[t.op].zh} ${mult('relativeMultiplier')}${lineText} = ${money(t.right)}？${verdict}${decided}`
        : `Relative hardship: income less costs and employment costs ${money(t.left)} ${OPS[t.op].en} ${mult('relativeMultiplier')}${lineText} = ${money(t.right)}? ${verdict}${decided}`;
    case 'accident_cause': {
      const found = t.left
        .split(',')
        .filter(Boolean)
        .map((c) => labelOf(HARDSHIP_CAUSES, c, lang))
        .join(zh ? '、' : ', ');
      return zh
        ? `意外致困：致困原因含重特大疾病、自然灾害或意外事故？${verdict}${found ? `（${found}）` : ''}`
        : `Hardship by accident: a cause of serious illness, natural disaster or accident? ${verdict}${found ? ` (${found})` : ''}`;
    }
    case 'accident_costs': {
      const share = e.parameters.find((p) => p.key === 'accidentCostShare');
      const shareText = share ? `${parameterValueLabel(share, lang)} × ` : '';
      return zh
        ? `意外致困：致困支出 ${money(t.left)} ${OPS[t.op].zh} ${shareText}家庭年收入 = ${money(t.right)}？${verdict}${decided}`
        : `Hardship by accident: hardship costs ${money(t.left)} ${OPS[t.op].en} ${shareText}income = ${money(t.right)}? ${verdict}${decided}`;
    }
  }
}

/** The decision in one sentence, then the figures, the parameters and every test, one per line. */
export function describeEvaluation(e: Evaluation, lang: Lang = 'zh'): { summary: string; lines: string[] } {
  const zh = lang === 'zh';
  const rule = RULE_SETS.find((r) => r.code === e.ruleSet);
  const ruleName = rule ? rule[lang] : e.ruleSet;
  const category = e.category ? labelOf(ARCHIVE_CATEGORIES, e.category, lang) : null;
  const perCapita = formatFen(e.perCapita.monthlyIncomeFen, zh ? 'zh-CN' : 'en');
  const summary = zh
    ? `按${ruleName}，截至${e.asOf}：${category ? `认定为${category}` : '不符合困难职工认定条件'}（人均月收入${perCapita}）。`
    : `Under the ${ruleName}, as of ${e.asOf}: ${category ? category.toLowerCase() : 'not eligible'} (income per person and month ${perCapita}).`;
  const lines = [
    ...e.factors.map((f) => `${FACTORS[f.key][lang]}${zh ? '：' : ': '}${factorValue(f, lang)}`),
    ...e.parameters.map((p) => parameterLine(p, lang)),
    ...e.tests.map((t) => testLine(t, e, lang)),
  ];
  return { summary, lines };
}
