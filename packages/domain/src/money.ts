/** Money is an integer number of fen (分), never a float: ¥1,234.56 is 123456. */
export type Fen = number;

const YUAN = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Parses a yuan amount written with at most two decimals ('1234.5' → 123450), exactly. */
export function yuanToFen(text: string): Fen {
  const m = YUAN.exec(text.trim().replaceAll(',', ''));
  if (!m) throw new RangeError(`not an amount in yuan with at most two decimals: ${text}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** ¥1,234.56 (en) or 1,234.56元 (zh-CN). */
export function formatFen(fen: Fen, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  const cents = String(abs % 100).padStart(2, '0');
  return locale === 'zh-CN' ? `${sign}${yuan}.${cents}元` : `${sign}¥${yuan}.${cents}`;
}
