import { ArrowLeftOutlined, CheckOutlined, ReloadOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { ImportStarted, Job, SurveyImportResult } from '@niangjia/contracts';
import { Alert, Button, Card, Result, Space, Steps, Tooltip, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import {
  isFinished,
  surveyResultOf,
  useCommitSurvey,
  useJob,
  useRefreshAfterImport,
} from '../../../api/imports';
import { ErrorText, showError } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { ImportReport } from './ImportReport';
import { JobProgress } from './JobProgress';
import { UploadStep } from './UploadStep';
import './import.css';

/** Something can be saved: a household new or changed, or a member added. */
const anythingToImport = (r: SurveyImportResult) =>
  r.households.imported + r.households.updated + r.members.imported > 0;

/** A job that ended without a result: what went wrong, and the way back to the upload. */
function JobFailed({ job, action }: { job: Job; action: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('surveyImport.failedTitle')}
      subTitle={
        <>
          {job.error ? <div>{job.error}</div> : null}
          <div>{t('surveyImport.failedHint')}</div>
        </>
      }
      extra={action}
      data-testid="import-failed"
    />
  );
}

/**
 * The survey workbook (TEMPLATES.md §1) from the browser, in three steps: upload; a preview (a dry
 * run in the background) listing every problem by sheet, row and column; the real import. The jobs
 * are kept in the address, so a reload or a return to the page follows them on.
 */
export default function SurveyImportPage() {
  const { t } = useTranslation();
  usePageTitle(t('surveyImport.pageTitle'));
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const previewId = search.get('preview') ?? undefined;
  const importId = search.get('import') ?? undefined;
  const [filename, setFilename] = useState<string>();

  const preview = useJob(previewId);
  const imported = useJob(importId);
  const commit = useCommitSurvey();
  const refresh = useRefreshAfterImport();
  const previewResult = surveyResultOf(preview.data);
  const importResult = surveyResultOf(imported.data);

  // The lists show the new households once the import has saved them.
  const importDone = imported.data?.status === 'succeeded';
  useEffect(() => {
    if (importDone) void refresh();
  }, [importDone, refresh]);

  const restart = () => {
    setFilename(undefined);
    setSearch({});
  };
  const uploaded = (started: ImportStarted, name: string) => {
    setFilename(name);
    setSearch({ preview: started.jobId });
  };
  const confirm = (result: SurveyImportResult) =>
    commit.mutate(result.uploadId, {
      onSuccess: ({ jobId }) => setSearch({ preview: previewId ?? '', import: jobId }),
      onError: (error) => showError(error),
    });

  const current = importId ? 2 : previewId ? 1 : 0;
  const failed = (job: Job | undefined) => job?.status === 'failed' || job?.status === 'cancelled';
  const stepStatus = (index: number) =>
    index === current && failed(current === 1 ? preview.data : current === 2 ? imported.data : undefined)
      ? ('error' as const)
      : undefined;
  const shownName = importResult?.filename ?? previewResult?.filename ?? filename;

  const reupload = (
    <Button icon={<ReloadOutlined />} onClick={restart} data-testid="import-reupload">
      {t('surveyImport.reupload')}
    </Button>
  );
  // The job could not be read at all (not found, not in the scope): say so, offer a new upload.
  const unreadable = (query: { error: unknown; data: unknown }) =>
    query.error && !query.data ? (
      <Result
        status="warning"
        title={t('surveyImport.failedTitle')}
        subTitle={<ErrorText error={query.error} />}
        extra={reupload}
        data-testid="import-unreadable"
      />
    ) : null;

  let body: ReactNode;
  if (current === 0) {
    body = <UploadStep onUploaded={uploaded} />;
  } else if (current === 1) {
    const job = preview.data;
    const lost = unreadable(preview);
    if (lost) body = lost;
    else if (!job || !isFinished(job))
      body = (
        <JobProgress job={job} pollError={preview.error} mode="preview" testId="import-preview-progress" />
      );
    else if (!previewResult) body = <JobFailed job={job} action={reupload} />;
    else {
      const problems = previewResult.errors.length + previewResult.errorsNotListed;
      const canImport = anythingToImport(previewResult);
      const headline = !canImport ? (
        <Alert
          type="error"
          showIcon
          title={t('surveyImport.nothingToImport')}
          data-testid="import-headline"
        />
      ) : problems > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('surveyImport.previewProblems', { count: problems })}
          data-testid="import-headline"
        />
      ) : (
        <Alert type="success" showIcon title={t('surveyImport.previewClean')} data-testid="import-headline" />
      );
      body = (
        <>
          <ImportReport result={previewResult} mode="preview" headline={headline} />
          <Space className="import-actions">
            <Tooltip title={canImport ? undefined : t('surveyImport.commitDisabled')}>
              <Button
                type="primary"
                icon={<CheckOutlined />}
                disabled={!canImport}
                loading={commit.isPending}
                onClick={() => confirm(previewResult)}
                data-testid="import-commit"
              >
                {t('surveyImport.commit')}
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
        {t('surveyImport.another')}
      </Button>
    );
    const lost = unreadable(imported);
    if (lost) body = lost;
    else if (!job || !isFinished(job))
      body = <JobProgress job={job} pollError={imported.error} mode="import" testId="import-progress" />;
    else if (!importResult) body = <JobFailed job={job} action={another} />;
    else {
      const problems = importResult.errors.length + importResult.errorsNotListed;
      body = (
        <>
          <ImportReport
            result={importResult}
            mode="import"
            headline={
              <Alert
                type={problems > 0 ? 'warning' : 'success'}
                showIcon
                title={t('surveyImport.doneTitle')}
                description={problems > 0 ? t('surveyImport.doneProblems', { count: problems }) : undefined}
                data-testid="import-done"
              />
            }
          />
          <Space className="import-actions">
            <Button
              type="primary"
              icon={<UnorderedListOutlined />}
              onClick={() => void navigate('/households')}
              data-testid="import-to-list"
            >
              {t('surveyImport.toList')}
            </Button>
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
            onClick={() => void navigate('/households')}
            aria-label={t('householdDetail.back')}
          />
          <Typography.Title level={4}>{t('surveyImport.pageTitle')}</Typography.Title>
        </Space>
      </div>
      <Card>
        <Steps
          current={current}
          className="import-steps"
          data-testid="import-steps"
          items={[
            { title: t('surveyImport.stepUpload'), content: t('surveyImport.stepUploadHint') },
            {
              title: t('surveyImport.stepPreview'),
              content: t('surveyImport.stepPreviewHint'),
              status: stepStatus(1),
            },
            {
              title: t('surveyImport.stepImport'),
              content: t('surveyImport.stepImportHint'),
              status: importDone ? 'finish' : stepStatus(2),
            },
          ]}
        />
        {shownName && current > 0 ? (
          <Typography.Paragraph type="secondary" data-testid="import-filename">
            {t('surveyImport.file', { name: shownName })}
          </Typography.Paragraph>
        ) : null}
        {body}
      </Card>
    </>
  );
}
