import { ArrowLeftOutlined, CheckOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ImportStarted, Job } from '@niangjia/contracts';
import { Alert, Button, Card, Result, Space, Steps, Tooltip, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { isFinished, useJob } from '../../api/imports';
import { ErrorText, showError } from '../../lib/notify';
import type { ImportProblems } from './ImportReport';
import { JobProgress } from './JobProgress';
import './import.css';

/** What every import job's result carries: the upload it read and its problems. */
export interface ImportJobResult extends ImportProblems {
  uploadId: string;
  filename: string;
}

/** A job that ended without a result: what went wrong, and the way back to the upload. */
function JobFailed({ job, hint, action }: { job: Job; hint: string; action: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('importFlow.failedTitle')}
      subTitle={
        <>
          {job.error ? <div>{job.error}</div> : null}
          <div>{hint}</div>
        </>
      }
      extra={action}
      data-testid="import-failed"
    />
  );
}

interface Props<R extends ImportJobResult> {
  title: string;
  /** The page the back arrow leads to (the list the import fills). */
  backTo: string;
  backLabel: string;
  /**
   * Step 1. `onUploaded(started, filename, keep)`: `keep` are address parameters that the later
   * steps need again (the commit's options), kept beside the jobs' ids.
   */
  uploadStep: (
    onUploaded: (started: ImportStarted, filename: string, keep?: Record<string, string>) => void,
  ) => ReactNode;
  /** The job's result, when it succeeded with one. */
  resultOf: (job: Job | undefined) => R | undefined;
  /** Whether the preview found anything to save. */
  canImport: (result: R) => boolean;
  /** The counts and problems of a preview or an import, with the headline given. */
  report: (result: R, mode: 'preview' | 'import', headline: ReactNode) => ReactNode;
  /** Queues the real import of the previewed upload; `search` is the address with what was kept. */
  commit: (result: R, search: URLSearchParams) => Promise<{ jobId: string }>;
  /** After the real import succeeded: the lists that show its rows are asked again. */
  onImported: () => unknown;
  /** Under a finished import, before “import another file”: where to see what was imported. */
  doneAction: ReactNode;
  /** Under a failed job: what the file may be and what to do. */
  failedHint: string;
  /** Beside the file's name once it is uploaded: the options kept in the address, say. */
  details?: (search: URLSearchParams) => string | undefined;
}

/**
 * An Excel import from the browser, in three steps: upload; a preview (a dry run in the background)
 * listing every problem by sheet, row and column; the real import. The jobs are kept in the address,
 * so a reload or a return to the page follows them on.
 */
export function ImportFlow<R extends ImportJobResult>(props: Props<R>) {
  const { title, backTo, backLabel, resultOf, canImport, report, failedHint } = props;
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const previewId = search.get('preview') ?? undefined;
  const importId = search.get('import') ?? undefined;
  const [filename, setFilename] = useState<string>();
  const [committing, setCommitting] = useState(false);

  const preview = useJob(previewId);
  const imported = useJob(importId);
  const previewResult = resultOf(preview.data);
  const importResult = resultOf(imported.data);

  // The lists show the new rows once the import has saved them.
  const importDone = imported.data?.status === 'succeeded';
  const { onImported } = props;
  useEffect(() => {
    if (importDone) void onImported();
  }, [importDone, onImported]);

  const restart = () => {
    setFilename(undefined);
    setSearch({});
  };
  const uploaded = (started: ImportStarted, name: string, keep: Record<string, string> = {}) => {
    setFilename(name);
    setSearch({ ...keep, preview: started.jobId });
  };
  const confirm = (result: R) => {
    setCommitting(true);
    props
      .commit(result, search)
      .then(({ jobId }) =>
        setSearch((current) => {
          const next = new URLSearchParams(current);
          next.set('import', jobId);
          return next;
        }),
      )
      .catch(showError)
      .finally(() => setCommitting(false));
  };

  const current = importId ? 2 : previewId ? 1 : 0;
  const failed = (job: Job | undefined) => job?.status === 'failed' || job?.status === 'cancelled';
  const stepStatus = (index: number) =>
    index === current && failed(current === 1 ? preview.data : current === 2 ? imported.data : undefined)
      ? ('error' as const)
      : undefined;
  const shownName = importResult?.filename ?? previewResult?.filename ?? filename;
  const details = props.details?.(search);

  const reupload = (
    <Button icon={<ReloadOutlined />} onClick={restart} data-testid="import-reupload">
      {t('importFlow.reupload')}
    </Button>
  );
  // The job could not be read at all (not found, not in the scope): say so, offer a new upload.
  const unreadable = (query: { error: unknown; data: unknown }) =>
    query.error && !query.data ? (
      <Result
        status="warning"
        title={t('importFlow.failedTitle')}
        subTitle={<ErrorText error={query.error} />}
        extra={reupload}
        data-testid="import-unreadable"
      />
    ) : null;

  let body: ReactNode;
  if (current === 0) {
    body = props.uploadStep(uploaded);
  } else if (current === 1) {
    const job = preview.data;
    const lost = unreadable(preview);
    if (lost) body = lost;
    else if (!job || !isFinished(job))
      body = (
        <JobProgress job={job} pollError={preview.error} mode="preview" testId="import-preview-progress" />
      );
    else if (!previewResult) body = <JobFailed job={job} hint={failedHint} action={reupload} />;
    else {
      const problems = previewResult.errors.length + previewResult.errorsNotListed;
      const anything = canImport(previewResult);
      const headline = !anything ? (
        <Alert type="error" showIcon title={t('importFlow.nothingToImport')} data-testid="import-headline" />
      ) : problems > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('importFlow.previewProblems', { count: problems })}
          data-testid="import-headline"
        />
      ) : (
        <Alert type="success" showIcon title={t('importFlow.previewClean')} data-testid="import-headline" />
      );
      body = (
        <>
          {report(previewResult, 'preview', headline)}
          <Space className="import-actions">
            <Tooltip title={anything ? undefined : t('importFlow.commitDisabled')}>
              <Button
                type="primary"
                icon={<CheckOutlined />}
                disabled={!anything}
                loading={committing}
                onClick={() => confirm(previewResult)}
                data-testid="import-commit"
              >
                {t('importFlow.commit')}
              </Button>
            </Tooltip>
            {reupload}
          </Space>
        </>
      );
    }
  } else {
    const job = imported.data;
    const another = (
      <Button icon={<ReloadOutlined />} onClick={restart} data-testid="import-another">
        {t('importFlow.another')}
      </Button>
    );
    const lost = unreadable(imported);
    if (lost) body = lost;
    else if (!job || !isFinished(job))
      body = <JobProgress job={job} pollError={imported.error} mode="import" testId="import-progress" />;
    else if (!importResult) body = <JobFailed job={job} hint={failedHint} action={another} />;
    else {
      const problems = importResult.errors.length + importResult.errorsNotListed;
      body = (
        <>
          {report(
            importResult,
            'import',
            <Alert
              type={problems > 0 ? 'warning' : 'success'}
              showIcon
              title={t('importFlow.doneTitle')}
              description={problems > 0 ? t('importFlow.doneProblems', { count: problems }) : undefined}
              data-testid="import-done"
            />,
          )}
          <Space className="import-actions">
            {props.doneAction}
            {another}
          </Space>
        </>
      );
    }
  }

  return (
    <>
      <div className="page-header">
        <Space>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => void navigate(backTo)}
            aria-label={backLabel}
          />
          <Typography.Title level={4}>{title}</Typography.Title>
        </Space>
      </div>
      <Card>
        <Steps
          current={current}
          className="import-steps"
          data-testid="import-steps"
          items={[
            { title: t('importFlow.stepUpload'), content: t('importFlow.stepUploadHint') },
            {
              title: t('importFlow.stepPreview'),
              content: t('importFlow.stepPreviewHint'),
              status: stepStatus(1),
            },
            {
              title: t('importFlow.stepImport'),
              content: t('importFlow.stepImportHint'),
              status: importDone ? 'finish' : stepStatus(2),
            },
          ]}
        />
        {shownName && current > 0 ? (
          <Typography.Paragraph type="secondary" data-testid="import-filename">
            {t('importFlow.file', { name: shownName })}
            {details ? <span className="import-details">{details}</span> : null}
          </Typography.Paragraph>
        ) : null}
        {body}
      </Card>
    </>
  );
}
