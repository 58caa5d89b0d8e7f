/**
 * The full resident ID number check (GB 11643: length, characters, division code, birth date, check
 * character) of @niangjia/domain, loaded on demand: the division datasets it needs weigh ~2 MB, so
 * they live in their own chunks (vite.config.ts), fetched only when a form checks an ID number.
 */
import type { Language } from '../i18n';

type Domain = typeof import('@niangjia/domain');

let loading: Promise<Domain> | undefined;

/** Starts loading the rules (a form calls it when it opens, so the first check need not wait). */
export function loadIdRules(): Promise<Domain> {
  if (!loading) {
    loading = import('@niangjia/domain');
    // A failed load (network) may be retried by the next check.
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

export type IdCheck = { ok: true; id18: string } | { ok: false; messages: string[] };

/** Checks a number with `parseResidentId`; the problems in the page's language (Chinese by default). */
export async function checkResidentId(value: string, language: Language): Promise<IdCheck> {
  const { parseResidentId } = await loadIdRules();
  const result = parseResidentId(value);
  if (result.ok) return { ok: true, id18: result.value.id18 };
  return {
    ok: false,
    messages: result.errors.map((e) => (language === 'en' ? e.message : e.messageZh)),
  };
}

/**
 * Whether a masked number of the server (`640104********1234`) may be this full one: same length
 * (as given or as converted to 18 characters), same visible ends.
 */
export function matchesMasked(masked: string, id: string): boolean {
  const full = id.trim().toUpperCase();
  if (masked.length !== full.length) return false;
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] !== '*' && masked[i] !== full[i]) return false;
  }
  return true;
}

/** The 18-character form of each number that passes the check (15-digit ones converted), else undefined. */
export async function id18Of(values: readonly string[]): Promise<(string | undefined)[]> {
  const { parseResidentId } = await loadIdRules();
  return values.map((value) => {
    if (!value.trim()) return undefined;
    const result = parseResidentId(value);
    return result.ok ? result.value.id18 : undefined;
  });
}
