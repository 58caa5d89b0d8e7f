import { ErrorBody } from '@niangjia/contracts';

/** One validation problem reported by the server (`validation_failed`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** An error answered by the API (or a network failure, with status 0 and code `network`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;
  /** Seconds, from a Retry-After header (429). */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: unknown;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
  }

  /** The field problems of a `validation_failed` error, paths normalised to dotted strings. */
  get fieldProblems(): FieldProblem[] {
    if (this.code !== 'validation_failed' || !Array.isArray(this.details)) return [];
    const problems: FieldProblem[] = [];
    for (const item of this.details as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const { path, message } = item as { path?: unknown; message?: unknown };
      const dotted = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '';
      problems.push({ path: dotted, message: typeof message === 'string' ? message : '' });
    }
    return problems;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => {};

/** Called on a 401 from any call but the login itself (the session ended or never existed). */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

export type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x`, leaving out undefined, null and empty values; '' when nothing remains. */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

interface RequestOptions {
  body?: unknown;
  /** Bytes sent as they are (a file), with their media type, instead of a JSON body. */
  raw?: { body: Blob | ArrayBuffer; contentType: string };
  /** Do not treat a 401 as the end of the session (the login call). */
  skipAuthRedirect?: boolean;
  signal?: AbortSignal | undefined;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers };
  if (options.signal) init.signal = options.signal;
  if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    init.body = options.raw.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  const response = await send(path, init);
  const text = response.status === 204 ? '' : await response.text();
  const data = parseJson(text);
  if (!response.ok) throw failure(response, data, options.skipAuthRedirect);
  return data as T;
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'network', message: String(cause) });
  }
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The ApiError of a failed response (its body parsed as JSON or null); a 401 ends the session. */
function failure(response: Response, data: unknown, skipAuthRedirect = false): ApiError {
  const parsed = ErrorBody.safeParse(data);
  const error = parsed.success
    ? new ApiError({
        status: response.status,
        code: parsed.data.error.code,
        message: parsed.data.error.message,
        details: parsed.data.error.details,
        requestId: parsed.data.error.requestId,
        retryAfter: parseRetryAfter(response.headers.get('retry-after')),
      })
    : new ApiError({
        status: response.status,
        code: response.status >= 500 ? 'internal' : 'unknown',
        message: `${response.status} ${response.statusText}`,
        requestId: response.headers.get('x-request-id') ?? undefined,
        retryAfter: parseRetryAfter(response.headers.get('retry-after')),
      });
  if (response.status === 401 && !skipAuthRedirect) onUnauthenticated();
  return error;
}

/** The file name a response offers (RFC 6266 `filename*=UTF-8''…` first, then `filename="…"`). */
function offeredName(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed name: fall back to the plain one.
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1];
}

/**
 * Downloads a file from the API (GET, or POST of `body`) and hands it to the browser as a download,
 * with the name the server offers (or `fallbackName`). Failures are the same ApiError as `request`'s.
 */
export async function download(path: string, fallbackName: string, body?: unknown): Promise<void> {
  // With a body, the request is a POST of it as JSON (a what-if's two policies, say).
  const response = await send(
    path,
    body === undefined
      ? { method: 'GET', credentials: 'same-origin' }
      : {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
  );
  if (!response.ok) throw failure(response, parseJson(await response.text()));
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = offeredName(response.headers.get('content-disposition')) ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the object URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, { signal }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  /** POST a file (or bytes) as the body itself, not as JSON. */
  upload: <T>(path: string, body: Blob | ArrayBuffer, contentType: string) =>
    request<T>('POST', path, { raw: { body, contentType } }),
};
