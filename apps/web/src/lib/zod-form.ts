/**
 * Client-side form validation with the same Zod schemas the server uses (from @niangjia/contracts),
 * with messages translated by issue kind instead of the schemas' English texts.
 */
import type { FormInstance, FormRule as Rule } from 'antd';
import { isApiError } from '../api/client';
import i18n from '../i18n';
import { showError } from './notify';

interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly origin?: string;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
}

/** What we need of a Zod schema (structural, so the web app needs no direct zod dependency). */
export interface SafeParser<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { readonly issues: readonly Issue[] } };
}

/** Fields whose format (regex) errors have their own explanation. */
const FORMAT_MESSAGES = {
  username: 'validation.username',
  code: 'validation.orgCode',
  orgCode: 'validation.orgCode',
  parentCode: 'validation.orgCode',
} as const;

export function issueMessage(issue: Issue, field: string): string {
  const t = i18n.t;
  const min = Number(issue.minimum);
  const max = Number(issue.maximum);
  switch (issue.code) {
    case 'invalid_type':
      return t('validation.required');
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.minItems', { min });
      return min <= 1 ? t('validation.required') : t('validation.minLength', { min });
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.maxItems', { max });
      return t('validation.maxLength', { max });
    case 'invalid_format': {
      const key = (FORMAT_MESSAGES as Record<string, (typeof FORMAT_MESSAGES)[keyof typeof FORMAT_MESSAGES]>)[
        field
      ];
      return key ? t(key) : t('validation.invalid');
    }
    default:
      return t('validation.invalid');
  }
}

/** An antd Form rule validating one field with a schema (e.g. `CreateUser.shape.username`). */
export function zodRule(schema: SafeParser<unknown>, field: string): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      const result = schema.safeParse(value);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new Error(issue ? issueMessage(issue, field) : i18n.t('validation.invalid'));
      }
    },
  };
}

/**
 * Parses the whole form's values with the schema; on failure marks the fields and returns undefined.
 * On success returns the parsed (trimmed, lower-cased…) value to send.
 */
export function parseForm<T>(form: FormInstance, schema: SafeParser<T>, values: unknown): T | undefined {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const byField = new Map<string, string[]>();
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? '');
    const list = byField.get(name) ?? [];
    list.push(issueMessage(issue, name));
    byField.set(name, list);
  }
  const unplaced = byField.get('');
  byField.delete('');
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  if (unplaced) showError(new Error(unplaced.join('; ')));
  return undefined;
}

/**
 * Puts a server error on the form fields it concerns: `validation_failed` details by path, and
 * optionally a 409 on one field (e.g. a username already taken). Anything else becomes a notification.
 */
export function handleFormError(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  options: { conflictField?: string; conflictMessage?: string } = {},
): void {
  if (isApiError(error)) {
    if (error.code === 'conflict' && options.conflictField) {
      form.setFields([{ name: options.conflictField, errors: [options.conflictMessage ?? error.message] }]);
      return;
    }
    const problems = error.fieldProblems;
    if (problems.length > 0) {
      const placed = new Map<string, string[]>();
      let unplaced = false;
      for (const problem of problems) {
        const segments = problem.path.split(/[./[\]]+/).filter(Boolean);
        const name = segments.find((s) => fields.includes(s));
        if (!name) {
          unplaced = true;
          continue;
        }
        placed.set(name, [...(placed.get(name) ?? []), problem.message]);
      }
      form.setFields([...placed].map(([name, errors]) => ({ name, errors })));
      if (!unplaced) return;
    }
  }
  showError(error);
}
