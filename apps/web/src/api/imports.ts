import { type ImportStarted, type Job, type SurveyImportResult, XLSX_MEDIA_TYPE } from '@niangjia/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, download, queryString } from './client';
import { type HouseholdListParams, householdKeys } from './registry';

export const jobKeys = {
  detail: (id: string) => ['jobs', id] as const,
};

/** A job that will not change any more. */
export const isFinished = (job: Job | undefined) =>
  job !== undefined && (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled');

/** How often a page asks after a job that is still queued or running. */
const POLL_MS = 1000;

/**
 * One background job, asked again about once a second until it has finished. The page shows a
 * failure to ask in place (the job goes on regardless), so errors are silent here.
 */
export function useJob(id: string | undefined) {
  return useQuery({
    queryKey: jobKeys.detail(id ?? ''),
    queryFn: ({ signal }) => api.get<Job>(`/api/v1/jobs/${encodeURIComponent(id ?? '')}`, signal),
    enabled: Boolean(id),
    refetchInterval: (query) => (isFinished(query.state.data) ? false : POLL_MS),
    // A finished job is final; one still running is never fresh.
    staleTime: (query) => (isFinished(query.state.data) ? Number.POSITIVE_INFINITY : 0),
    meta: { silent: true },
  });
}

/** The result of a finished survey import job (preview or real), when it has one. */
export function surveyResultOf(job: Job | undefined): SurveyImportResult | undefined {
  return job?.status === 'succeeded' ? ((job.result as SurveyImportResult | null) ?? undefined) : undefined;
}

/**
 * Sends a survey workbook as it is (the body is the file, no multipart form) and queues its
 * preview: a dry run that lists every problem by sheet, row and column and saves nothing.
 */
export function uploadSurvey(file: File): Promise<ImportStarted> {
  return api.upload<ImportStarted>(
    `/api/v1/imports/survey${queryString({ filename: file.name })}`,
    file,
    // Browsers leave the type empty for some files (an .xlsx saved by WPS on some systems).
    file.type === XLSX_MEDIA_TYPE ? XLSX_MEDIA_TYPE : 'application/octet-stream',
  );
}

/** Imports an uploaded workbook for real (a job): valid rows saved, bad ones reported. */
export function commitSurvey(uploadId: string): Promise<{ jobId: string }> {
  return api.post<{ jobId: string }>(`/api/v1/imports/survey/${encodeURIComponent(uploadId)}/commit`);
}

/** After an import has saved households: the lists that show them are asked again. */
export function useRefreshAfterImport() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: householdKeys.all }), [queryClient]);
}

export const TEMPLATE_PATH = '/api/v1/imports/survey/template.xlsx';

/** The empty survey workbook, with exactly the import headers. */
export const downloadTemplate = () => download(TEMPLATE_PATH, '困难职工摸底调查表.xlsx');

/** The export of a household list: the list's filters, without its paging. */
export function householdExportPath(params: HouseholdListParams): string {
  const { page: _page, pageSize: _pageSize, ...filters } = params;
  return `/api/v1/exports/households.xlsx${queryString({ ...filters })}`;
}

/** Downloads the households matching the list's filters as a survey workbook (the import headers). */
export const exportHouseholds = (params: HouseholdListParams) =>
  download(householdExportPath(params), 'households.xlsx');
