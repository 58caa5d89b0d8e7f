/**
 * What the grant pages share: the colours of a grant's states, the Chinese (or English) text of a
 * refusal, and the plain-language reasoning of a cap.
 */
import { ARCHIVE_CATEGORIES, type GrantStatus, type GrantView } from '@niangjia/contracts';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import zhCN from '../i18n/zh-CN';
import { formatDate, todayDate } from './format';
import { formatYuan } from './money';
import { useCodeLabel } from './registry-labels';

export const GRANT_STATUS_COLORS: Record<GrantStatus, string> = {
  proposed: 'blue',
  approved: 'orange',
  objected: 'volcano',
  paid: 'green',
  rejected: 'red',
  cancelled: 'default',
};

/** Grants of these states, counted and summed together: every proposal, those approved, those paid. */
export const ALL_STATES = ['proposed', 'approved', 'objected', 'paid', 'rejected', 'cancelled'] as const;
export const APPROVED_STATES = ['approved', 'objected', 'paid'] as const;
export const PAID_STATES = ['paid'] as const;

/** A program's grants of some states: how many, and their amount. */
export function tally(
  program: { counts: Record<string, number>; amounts: Record<string, number> },
  statuses: readonly string[],
) {
  let count = 0;
  let amountFen = 0;
  for (const status of statuses) {
    count += program.counts[status] ?? 0;
    amountFen += program.amounts[status] ?? 0;
  }
  return { count, amountFen };
}

export type RefusalCode = keyof (typeof zhCN)['grants']['reasons'];

const isRefusalCode = (code: unknown): code is RefusalCode =>
  typeof code === 'string' && Object.hasOwn(zhCN.grants.reasons, code);

/** The text of a refusal's reason code (a batch's skipped households, approve-all's refusals). */
export function reasonText(t: TFunction, code: string): string {
  return isRefusalCode(code) ? t(`grants.reasons.${code}`) : code;
}

/**
 * Why the server refused a step of a grant (a 409 with details.code, or a 400 with a field's
 * message): the server's own Chinese sentence when it gives one and the page is in Chinese, else
 * the reason's translation; undefined for any other error (the caller shows it as usual).
 */
export function refusalOf(error: unknown, t: TFunction, language: string): string | undefined {
  if (!isApiError(error)) return undefined;
  const details = (error.details ?? {}) as Record<string, unknown>;
  if (error.status === 409 && typeof details === 'object' && !Array.isArray(details)) {
    if (typeof details.zh === 'string' && language !== 'en') return details.zh;
    const code = details.code;
    if (isRefusalCode(code))
      return t(`grants.reasons.${code}`, {
        date: typeof details.publicityEndsOn === 'string' ? formatDate(details.publicityEndsOn) : '',
        year: details.year ?? '',
        used: typeof details.usedFen === 'number' ? formatYuan(details.usedFen) : '',
      });
    return error.message;
  }
  if (error.status === 400 && error.fieldProblems.length > 0)
    return error.fieldProblems.map((p) => p.message).join('；');
  return undefined;
}

/** A grant's publicity: running until a day, or over (and whether payment may follow). */
export function publicityState(grant: Pick<GrantView, 'status' | 'publicityEndsOn' | 'approvedOn'>) {
  const ends = grant.publicityEndsOn;
  // A program without publicity ends it on the day of approval.
  const none = ends !== null && ends === grant.approvedOn;
  const running =
    grant.status === 'approved' && ends !== null && todayDate() <= ends && ends !== grant.approvedOn;
  return { running, ends, none };
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const yuan = (v: unknown) => (typeof v === 'number' ? formatYuan(v) : '');

/**
 * The reasoning of a cap in words, from the basis the server stored with the grant (rule, months,
 * 低保, the category, what was used…): one line each.
 */
export function useBasisLines(): (basis: Record<string, unknown> | null | undefined) => string[] {
  const { t } = useTranslation();
  const label = useCodeLabel();
  return useCallback(
    (basis) => {
      if (!basis) return [];
      const lines: string[] = [];
      const limit = yuan(basis.limitFen);
      switch (basis.rule) {
        case 'none':
          lines.push(t('grants.basis.none'));
          break;
        case 'living':
          lines.push(t('grants.basis.living', { months: basis.months, dibao: yuan(basis.dibaoFen), limit }));
          break;
        case 'medical':
          lines.push(
            t('grants.basis.medical', {
              selfPaid: yuan(basis.selfPaidFen),
              share: (num(basis.share) ?? 0) / 100,
              cumulative: yuan(basis.cumulativeCapFen),
            }),
          );
          if (num(basis.usedEverFen))
            lines.push(t('grants.basis.usedEver', { used: yuan(basis.usedEverFen) }));
          break;
        case 'education':
          lines.push(
            t('grants.basis.education', {
              school: basis.schoolLevel === 'higher' ? t('grants.school.higher') : t('grants.school.basic'),
              limit,
            }),
          );
          break;
        case 'training':
          lines.push(t('grants.basis.training', { limit }));
          break;
        case 'emergency':
          lines.push(t('grants.basis.emergency', { limit }));
          break;
        default:
          break;
      }
      if (typeof basis.missing === 'string') lines.push(t('grants.basis.missing', { key: basis.missing }));
      if (basis.rule !== 'medical' && num(basis.usedFen))
        lines.push(t('grants.basis.used', { used: yuan(basis.usedFen) }));
      if (typeof basis.category === 'string')
        lines.push(t('grants.basis.category', { category: label(ARCHIVE_CATEGORIES, basis.category) }));
      return lines;
    },
    [t, label],
  );
}
