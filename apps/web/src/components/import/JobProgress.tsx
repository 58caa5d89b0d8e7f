import type { Job } from '@niangjia/contracts';
import { Alert, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../lib/notify';
import { parseProgress } from './problems';

interface Props {
  job: Job | undefined;
  /** A failure to ask after the job (the job itself goes on). */
  pollError: unknown;
  /** A preview checks, the real import imports: the words differ. */
  mode: 'preview' | 'import';
  testId: string;
}

/** A job still queued or running: a progress bar and what it is doing ("正在检查“家庭”：已读 12,000 行"). */
export function JobProgress({ job, pollError, mode, testId }: Props) {
  const { t } = useTranslation();
  const progress = parseProgress(job?.progress?.message);
  const text = !job
    ? t('common.loading')
    : job.status === 'queued' && job.attempts === 0
      ? t('importFlow.queued')
      : progress
        ? t(mode === 'preview' ? 'importFlow.checking' : 'importFlow.importing', {
            sheet: progress.sheet,
            rows: progress.rows.toLocaleString('en'),
          })
        : t('importFlow.starting');
  const percent = Math.floor((job?.progress?.fraction ?? 0) * 100);

  return (
    <div className="import-progress" data-testid={testId}>
      <Progress percent={percent} status="active" data-testid={`${testId}-bar`} />
      <Typography.Text type="secondary" data-testid={`${testId}-text`}>
        {text}
      </Typography.Text>
      {/* A job that failed and will be tried again is queued with its last error. */}
      {job?.status === 'queued' && job.error ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 16 }}
          title={t('importFlow.retrying', { attempt: job.attempts + 1, error: job.error })}
        />
      ) : null}
      {pollError ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 16 }}
          title={t('importFlow.pollFailed')}
          description={<ErrorText error={pollError} />}
        />
      ) : null}
    </div>
  );
}
