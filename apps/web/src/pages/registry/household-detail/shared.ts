/** What the household pages (detail, printable form) and the person page show alike. */
import type { HouseholdDetail } from '@niangjia/contracts';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../lib/format';
import { formatFen } from '../../../lib/money';

export type Item = keyof HouseholdDetail['income'];

export const INCOME_ITEMS: readonly Item[] = [
  'wageIncomeFen',
  'businessIncomeFen',
  'propertyIncomeFen',
  'transferIncomeFen',
  'otherIncomeFen',
];
export const COST_ITEMS: readonly Item[] = [
  'medicalCostFen',
  'disabilityCostFen',
  'educationCostFen',
  'housingCostFen',
  'otherRigidCostFen',
];

export const itemKey = (item: Item) => item.replace(/Fen$/, '') as Item extends `${infer N}Fen` ? N : never;

/** Money in the page's language: `1,234.56元` / `¥1,234.56`; '' for none. */
export function useMoney() {
  const { i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (fen: number | null | undefined) =>
    fen === null || fen === undefined ? '' : formatFen(fen, language);
}

/** The birth date in the full view; the year only otherwise (with the masked ID it would reveal the number). */
export function birthOf(person: { birthDate: string | null; birthYear: number }): string {
  return person.birthDate ? formatDate(person.birthDate) : String(person.birthYear);
}

/** Whole days from one calendar date to another (`YYYY-MM-DD`). */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
