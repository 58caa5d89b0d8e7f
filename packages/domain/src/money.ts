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

const CAPITAL_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const CAPITAL_PLACES = ['', '拾', '佰', '仟'] as const;
const CAPITAL_GROUPS = ['', '万', '亿', '万亿'] as const;

/**
 * An amount in Chinese capital numerals (大写), as a receipt or a cheque writes it out, after the
 * rules of 《支付结算办法》 (附件一 正确填写票据和结算凭证的基本规定): 壹拾 for ten, never 拾 alone;
 * one 零 for any run of zeros between digits, a 万 or 元 place that is zero included
 * (¥107,000.53 → 壹拾万零柒仟元伍角叁分, ¥16,409.02 → 壹万陆仟肆佰零玖元零贰分); 整 after 元 when
 * there are no 角 or 分; a whole 元 of zero left out before 角 and 分 (¥0.50 → 伍角).
 */
export function fenInCapitals(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const sign = fen < 0 ? '负' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const jiao = Math.trunc(abs / 10) % 10;
  const fenDigit = abs % 10;
  if (yuan >= 10_000 ** CAPITAL_GROUPS.length) throw new RangeError(`amount too large: ${fen}`);

  let text = '';
  // A zero seen since the last digit written: written as one 零 before the next digit, if any.
  let zero = false;
  const groups =
    String(yuan)
      .padStart(Math.ceil(String(yuan).length / 4) * 4, '0')
      .match(/\d{4}/g) ?? [];
  groups.forEach((group, g) => {
    const groupPlace = CAPITAL_GROUPS[groups.length - 1 - g] ?? '';
    for (let i = 0; i < 4; i++) {
      const digit = Number(group[i]);
      if (digit === 0) {
        zero = text !== '';
        continue;
      }
      if (zero) text += '零';
      zero = false;
      text += `${CAPITAL_DIGITS[digit]}${CAPITAL_PLACES[3 - i]}`;
    }
    if (Number(group) > 0) text += groupPlace;
  });
  if (yuan > 0) text += '元';

  if (jiao === 0 && fenDigit === 0) return `${sign}${yuan > 0 ? text : '零元'}整`;
  if (jiao > 0) text += `${CAPITAL_DIGITS[jiao]}角`;
  if (fenDigit > 0) text += `${jiao === 0 && yuan > 0 ? '零' : ''}${CAPITAL_DIGITS[fenDigit]}分`;
  return `${sign}${text}`;
}
