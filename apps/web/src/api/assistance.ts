import {
  type AidType,
  type AssistanceReport,
  type FundSource,
  type ImportStarted,
  type Job,
  type LedgerImportJobResult,
  type LedgerLine,
  type LedgerPage,
  XLSX_MEDIA_TYPE,
} from '@niangjia/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, download, queryString } from './client';

/** The yearly report's query: first and last year (included), and an organisation's subtree. */
export interface AssistanceReportParams {
  from: number;
  to: number;
  org?: string | undefined;
}

/** Which ledger lines a list or an export takes (LedgerQuery); every filter optional. */
export interface LedgerFilters {
  org?: string | undefined;
  /** Paid on or after, `YYYY-MM-DD`. */
  from?: string | undefined;
  to?: string | undefined;
  aidType?: AidType | undefined;
  fundSource?: FundSource | undefined;
  program?: string | undefined;
}

/** Lines asked for at a time; “load more” asks for the next as many. */
export const LEDGER_PAGE_SIZE = 100;

export const assistanceKeys = {
  all: ['assistance'] as const,
  report: (params: AssistanceReportParams) => ['assistance', 'report', params] as const,
  ledger: (filters: LedgerFilters) => ['assistance', 'ledger', filters] as const,
};

const reportQuery = ({ from, to, org }: AssistanceReportParams) => queryString({ from, to, org });

/** Person-times and amounts per year, with their total and growth, per type and per fund (Table 1). */
export function useAssistanceReport(params: AssistanceReportParams) {
  return useQuery({
    queryKey: assistanceKeys.report(params),
    queryFn: ({ signal }) =>
      api.get<AssistanceReport>(`/api/v1/assistance/reports/yearly${reportQuery(params)}`, signal),
    placeholderData: keepPreviousData,
    // The page shows a failure in place of the report.
    meta: { silent: true },
  });
}

/** The same report as a workbook, named by the server (帮扶救助统计2009-2014.xlsx). */
export const exportAssistanceReport = (params: AssistanceReportParams) =>
  download(
    `/api/v1/assistance/reports/yearly.xlsx${reportQuery(params)}`,
    `帮扶救助统计${params.from}-${params.to}.xlsx`,
  );

const ledgerQuery = (filters: LedgerFilters) => ({
  org: filters.org,
  from: filters.from,
  to: filters.to,
  aidType: filters.aidType,
  fundSource: filters.fundSource,
  program: filters.program,
});

/** The ledger, newest first, a page of lines at a time (cursor paging: `next` of the last page). */
export function useLedger(filters: LedgerFilters) {
  return useInfiniteQuery({
    queryKey: assistanceKeys.ledger(filters),
    queryFn: ({ signal, pageParam }) =>
      api.get<LedgerPage>(
        `/api/v1/assistance/ledger${queryString({ ...ledgerQuery(filters), limit: LEDGER_PAGE_SIZE, after: pageParam })}`,
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/**
 * The ledger lines the filters keep as a ledger workbook, whole ID numbers (person:read_full; the
 * server records the export in the audit trail).
 */
export const exportLedger = (filters: LedgerFilters) =>
  download(`/api/v1/exports/ledger.xlsx${queryString(ledgerQuery(filters))}`, '帮扶救助发放台账.xlsx');

/** The empty ledger workbook, with exactly the import headers. */
export const downloadLedgerTemplate = () =>
  download('/api/v1/imports/ledger/template.xlsx', '帮扶救助发放台账.xlsx');

/**
 * Sends a ledger workbook as it is and queues its preview (a dry run). `org`: the paying
 * organisation of the rows that leave 所属工会 empty.
 */
export function uploadLedger(file: File, org: string | undefined): Promise<ImportStarted> {
  return api.upload<ImportStarted>(
    `/api/v1/imports/ledger${queryString({ filename: file.name, org })}`,
    file,
    file.type === XLSX_MEDIA_TYPE ? XLSX_MEDIA_TYPE : 'application/octet-stream',
  );
}

/** Imports an uploaded ledger workbook for real (a job), with the same paying organisation. */
export function commitLedger(uploadId: string, org: string | undefined): Promise<{ jobId: string }> {
  return api.post<{ jobId: string }>(
    `/api/v1/imports/ledger/${encodeURIComponent(uploadId)}/commit${queryString({ org })}`,
  );
}

/** The result of a finished ledger import job (preview or real), when it has one. */
export function ledgerResultOf(job: Job | undefined): LedgerImportJobResult | undefined {
  return job?.status === 'succeeded'
    ? ((job.result as LedgerImportJobResult | null) ?? undefined)
    : undefined;
}

/** After an import has added lines: the ledger and the reports are asked again. */
export function useRefreshAssistance() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: assistanceKeys.all }), [queryClient]);
}

/**
 * Reverses a payment of imported history by a reversing line with the reason (a grant's payment is
 * reversed on the grant's page); the ledger and the reports are asked again.
 */
export function useReverseLedgerLine() {
  const refresh = useRefreshAssistance();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<LedgerLine>(`/api/v1/assistance/ledger/${encodeURIComponent(id)}/reverse`, { reason }),
    onSuccess: () => refresh(),
  });
}
