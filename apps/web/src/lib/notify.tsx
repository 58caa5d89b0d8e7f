import { App } from 'antd';
import { isApiError } from '../api/client';
import i18n from '../i18n';

type StaticApp = ReturnType<typeof App.useApp>;

let app: StaticApp | undefined;

/** Mounted once inside antd's `<App>` so code outside components can show themed, localised messages. */
export function StaticAppHolder() {
  app = App.useApp();
  return null;
}

export function staticApp(): StaticApp | undefined {
  return app;
}

const KNOWN_CODES = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'too_many_requests',
  'internal',
  'unavailable',
  'network',
] as const;
type KnownCode = (typeof KNOWN_CODES)[number];

function isKnownCode(code: string): code is KnownCode {
  return (KNOWN_CODES as readonly string[]).includes(code);
}

export interface ErrorDescription {
  summary: string;
  detail: string | undefined;
  requestId: string | undefined;
}

/** A translated summary (by error code), the server's own message, and the request id. */
export function describeError(error: unknown): ErrorDescription {
  const t = i18n.t;
  if (isApiError(error)) {
    const summary = isKnownCode(error.code) ? t(`errors.${error.code}`) : t('errors.unknown');
    const problems = error.fieldProblems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    const detail =
      problems.length > 0 ? problems.join('; ') : error.code === 'network' ? undefined : error.message;
    return { summary, detail: detail && detail !== summary ? detail : undefined, requestId: error.requestId };
  }
  return {
    summary: t('errors.unknown'),
    detail: error instanceof Error ? error.message : undefined,
    requestId: undefined,
  };
}

export function RequestIdNote({ id }: { id: string | undefined }) {
  if (!id) return null;
  return (
    <div className="request-id" data-testid="request-id">
      {i18n.t('errors.requestId', { id })}
    </div>
  );
}

export function ErrorText({ error }: { error: unknown }) {
  const { detail, requestId } = describeError(error);
  return (
    <div>
      {detail ? <div>{detail}</div> : null}
      <RequestIdNote id={requestId} />
    </div>
  );
}

/** Shows an API (or any) error as a notification; 401s are left to the redirect to the login page. */
export function showError(error: unknown, title?: string): void {
  if (isApiError(error) && error.status === 401) return;
  if (error instanceof DOMException && error.name === 'AbortError') return;
  const { summary, detail, requestId } = describeError(error);
  const description =
    detail || requestId ? (
      <div>
        {title ? <div>{summary}</div> : null}
        {detail ? <div>{detail}</div> : null}
        <RequestIdNote id={requestId} />
      </div>
    ) : title ? (
      summary
    ) : undefined;
  if (app) {
    app.notification.error({ title: title ?? summary, description, key: requestId, placement: 'topRight' });
  } else {
    console.error(error);
  }
}

export function showSuccess(text: string): void {
  app?.message.success(text);
}
