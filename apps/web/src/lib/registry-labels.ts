/**
 * Labels and colours of the registry's codes. The code tables of @niangjia/contracts carry their own
 * Chinese and English labels (the same the workbooks use), so they are not repeated in the messages.
 */
import {
  ARCHIVE_ACTIONS,
  ARCHIVE_STATUSES,
  type ArchiveStatus,
  type CodeEntry,
  labelOf,
  type Urgency,
} from '@niangjia/contracts';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

export type CodeLang = 'zh' | 'en';

/** The code tables' language for the page's language. */
export function useCodeLang(): CodeLang {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'zh';
}

/** `label(table, code)`: the label of a code in the page's language; '' for none. */
export function useCodeLabel(): (table: readonly CodeEntry[], code: string | null | undefined) => string {
  const lang = useCodeLang();
  return useCallback((table, code) => (code ? labelOf(table, code, lang) : ''), [lang]);
}

/** Select options of a code table. */
export function codeOptions(table: readonly CodeEntry[], lang: CodeLang): { value: string; label: string }[] {
  return table.map((entry) => ({ value: entry.code, label: entry[lang] }));
}

/** Tag colours by stage: in process blue, waiting on the public orange, done green, closed grey/red. */
export const STATUS_COLORS: Record<ArchiveStatus, string> = {
  surveyed: 'default',
  applied: 'blue',
  first_review: 'geekblue',
  home_visit: 'geekblue',
  finances_verified: 'geekblue',
  publicity: 'orange',
  archived: 'green',
  exited: 'default',
  returned: 'gold',
  refused: 'red',
};

export function statusColor(status: string | null | undefined): string {
  return (status && (STATUS_COLORS as Record<string, string>)[status]) || 'default';
}

export function statusLabel(status: string | null | undefined, lang: CodeLang): string {
  return status ? labelOf(ARCHIVE_STATUSES, status, lang) : '';
}

export const URGENCY_COLORS: Record<Urgency, string | undefined> = {
  normal: undefined,
  urgent: 'orange',
  critical: 'red',
};

/** The label of a step's action: a life-cycle action, or the survey that opened the archive. */
export function actionLabel(action: string, lang: CodeLang, surveyLabel: string): string {
  if (action === 'survey') return surveyLabel;
  return labelOf(ARCHIVE_ACTIONS, action, lang);
}
