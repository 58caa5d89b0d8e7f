import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError, RequestIdNote } from '../lib/notify';

/** A full-area error (the first /me call failed for another reason than 401, a detail failed to load…). */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const { summary, detail, requestId } = describeError(error);
  return (
    <Result
      status="error"
      title={summary}
      subTitle={
        <>
          {detail ? <div>{detail}</div> : null}
          <RequestIdNote id={requestId} />
        </>
      }
      extra={
        onRetry ? (
          <Button type="primary" onClick={onRetry}>
            {t('common.reload')}
          </Button>
        ) : null
      }
    />
  );
}
