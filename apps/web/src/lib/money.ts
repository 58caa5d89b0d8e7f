/**
 * Money in the pages: amounts are integer fen (分) everywhere, typed and shown in yuan.
 *
 * Same rules and output as `yuanToFen` / `formatFen` of @niangjia/domain. They are not imported from
 * there because that package also carries the ~2 MB division datasets of the ID number check, which
 * only the household form loads (lazily, see ./resident-id.ts).
 */
import type { Language } from '../i18n';

/** A yuan amount as people type it: digits, at most two decimals; thousands separators allowed; never negative here (the survey items are not). */
const YUAN = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Whether a typed amount is a valid non-negative yuan amount with at most two decimals. */
export function isYuanText(text: string): boolean {
  return YUAN.test(normaliseYuan(text));
}

function normaliseYuan(text: string): string {
  return text.trim().replace(/[,，\s]/g, '');
}

/**
 * The typed yuan amount in fen, exactly: the digits are read as text, never through a float
 * ('0.29' → 29, not 28.999…). Undefined when the text is not an amount.
 */
export function yuanTextToFen(text: string): number | undefined {
  const m = YUAN.exec(normaliseYuan(text));
  if (!m) return undefined;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : undefined;
}

/** ¥1,234.56 (en) or 1,234.56元 (zh-CN). */
export function formatFen(fen: number, language: Language): string {
  if (!Number.isSafeInteger(fen)) return String(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return language === 'zh-CN' ? `${sign}${yuan}.${cents}元` : `${sign}¥${yuan}.${cents}`;
}

/** Digits of a non-negative integer with thousands separators: 12,332. */
const grouped = (n: number) => n.toLocaleString('en-US');

/** 1,234.56: yuan without a unit, for a column whose title carries it (金额（元）). */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) return String(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${grouped(Math.trunc(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * 53.58: ten-thousands of yuan (万元) to two decimals, as the reports give amounts
 * (53,580,000 fen → 53.58); half a hundred yuan rounds away from zero, in integers throughout.
 */
export function formatWan(fen: number): string {
  if (!Number.isSafeInteger(fen)) return String(fen);
  const sign = fen < 0 ? '-' : '';
  // 1 万元 = 1,000,000 fen: hundredths of 万元 are 10,000 fen.
  const hundredths = Math.round(Math.abs(fen) / 10_000);
  const text = `${grouped(Math.trunc(hundredths / 100))}.${String(hundredths % 100).padStart(2, '0')}`;
  return hundredths === 0 ? text : `${sign}${text}`;
}

/** 万元 as a number (two decimals), for a chart's axis. */
export function fenToWan(fen: number): number {
  return Math.round(fen / 10_000) / 100;
}
