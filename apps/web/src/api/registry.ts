import type {
  ArchiveCategory,
  ArchiveStatus,
  ArchiveStepInput,
  CreateHousehold,
  DueItem,
  HardshipCause,
  HouseholdDetail,
  HouseholdList,
  Objection,
  PersonDetail,
  RaiseObjection,
  RecordVisit,
  ResolveObjection,
  Urgency,
  Visit,
} from '@niangjia/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, queryString } from './client';

export interface HouseholdListParams {
  org?: string | undefined;
  status?: ArchiveStatus | undefined;
  category?: ArchiveCategory | undefined;
  cause?: HardshipCause | undefined;
  migrant?: boolean | undefined;
  urgency?: Urgency | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
}

export const householdKeys = {
  all: ['households'] as const,
  list: (params: HouseholdListParams) => ['households', 'list', params] as const,
  detail: (id: string, full: boolean) => ['households', 'detail', id, full] as const,
};

const isFullView = (query: { queryKey: readonly unknown[] }) =>
  query.queryKey[0] === 'households' && query.queryKey[1] === 'detail' && query.queryKey[3] === true;

export function useHouseholds(params: HouseholdListParams) {
  return useQuery({
    queryKey: householdKeys.list(params),
    queryFn: ({ signal }) =>
      api.get<HouseholdList>(`/api/v1/households${queryString({ ...params })}`, signal),
    placeholderData: keepPreviousData,
  });
}

/**
 * One household. `full`: ID numbers whole (needs person:read_full; the server records the read in
 * the audit trail), so it is never cached beyond the page that asked for it.
 */
export function useHousehold(id: string | undefined, full: boolean) {
  return useQuery({
    queryKey: householdKeys.detail(id ?? '', full),
    queryFn: ({ signal }) =>
      api.get<HouseholdDetail>(
        `/api/v1/households/${encodeURIComponent(id ?? '')}${queryString({ full: full || undefined })}`,
        signal,
      ),
    enabled: Boolean(id),
    // Switching between masked and full numbers keeps the household on screen while the other loads.
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[2] === (id ?? '') ? previous : undefined,
    // A full view is one audited read: do not ask again behind the user's back.
    ...(full ? { staleTime: Number.POSITIVE_INFINITY, gcTime: 0 } : {}),
    // The detail page shows a failure in place of the household.
    meta: { silent: true },
  });
}

export function useCreateHousehold() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateHousehold) =>
      api.post<{ id: string; archiveId: string }>('/api/v1/households', body),
    meta: { silent: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: householdKeys.all }),
  });
}

export function useArchiveStep() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ archiveId, ...body }: ArchiveStepInput & { archiveId: string }) =>
      api.post<{ status: ArchiveStatus }>(`/api/v1/archives/${encodeURIComponent(archiveId)}/steps`, body),
    meta: { silent: true },
    onSuccess: (_data, { archiveId }) => refreshArchiveViews(queryClient, archiveId),
  });
}

// ——— People, due lists, objections and visits ———

export const personKeys = {
  all: ['people'] as const,
  detail: (id: string, full: boolean) => ['people', 'detail', id, full] as const,
};

export const archiveKeys = {
  objections: (archiveId: string) => ['archives', archiveId, 'objections'] as const,
  visits: (archiveId: string) => ['archives', archiveId, 'visits'] as const,
};

export const dueKeys = {
  all: ['registry', 'due'] as const,
  list: (params: DueParams) => ['registry', 'due', params] as const,
};

const isFullPersonView = (query: { queryKey: readonly unknown[] }) =>
  query.queryKey[0] === 'people' && query.queryKey[1] === 'detail' && query.queryKey[3] === true;

/**
 * One person with their households and timeline. `full`: ID number and birth date whole (needs
 * person:read_full; an audited read), never cached beyond the page that asked for it.
 */
export function usePerson(id: string | undefined, full: boolean) {
  return useQuery({
    queryKey: personKeys.detail(id ?? '', full),
    queryFn: ({ signal }) =>
      api.get<PersonDetail>(
        `/api/v1/people/${encodeURIComponent(id ?? '')}${queryString({ full: full || undefined })}`,
        signal,
      ),
    enabled: Boolean(id),
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[2] === (id ?? '') ? previous : undefined,
    ...(full ? { staleTime: Number.POSITIVE_INFINITY, gcTime: 0 } : {}),
    meta: { silent: true },
  });
}

export interface DueParams {
  kind: 'review' | 'visit';
  until?: string | undefined;
  caseworker?: string | undefined;
  limit?: number | undefined;
}

/** Reviews or visits due in the scope up to a date (default: 30 days on), overdue first. */
export function useDue(params: DueParams) {
  return useQuery({
    queryKey: dueKeys.list(params),
    queryFn: ({ signal }) =>
      api.get<{ items: DueItem[] }>(`/api/v1/registry/due${queryString({ ...params })}`, signal),
    placeholderData: keepPreviousData,
  });
}

export function useVisits(archiveId: string | undefined) {
  return useQuery({
    queryKey: archiveKeys.visits(archiveId ?? ''),
    queryFn: ({ signal }) =>
      api.get<Visit[]>(`/api/v1/archives/${encodeURIComponent(archiveId ?? '')}/visits`, signal),
    enabled: Boolean(archiveId),
  });
}

export function useObjections(archiveId: string | undefined) {
  return useQuery({
    queryKey: archiveKeys.objections(archiveId ?? ''),
    queryFn: ({ signal }) =>
      api.get<Objection[]>(`/api/v1/archives/${encodeURIComponent(archiveId ?? '')}/objections`, signal),
    enabled: Boolean(archiveId),
  });
}

/** After a change to an archive: what shows it (lists, detail, timelines, due lists) is asked again. */
function refreshArchiveViews(queryClient: ReturnType<typeof useQueryClient>, archiveId: string) {
  // Full views are dropped, not fetched again: each one is an audited read the user asked for.
  queryClient.removeQueries({ predicate: (q) => isFullView(q) || isFullPersonView(q) });
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ['archives', archiveId] }),
    queryClient.invalidateQueries({ queryKey: dueKeys.all }),
    queryClient.invalidateQueries({ queryKey: personKeys.all }),
    queryClient.invalidateQueries({ queryKey: householdKeys.all }),
  ]);
}

export function useRecordVisit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ visitId, ...body }: RecordVisit & { visitId: string; archiveId: string }) =>
      api.post<{ nextDueOn: string | null }>(`/api/v1/visits/${encodeURIComponent(visitId)}/record`, {
        visitedOn: body.visitedOn,
        findings: body.findings,
      }),
    meta: { silent: true },
    onSuccess: (_data, { archiveId }) => refreshArchiveViews(queryClient, archiveId),
  });
}

export function useRaiseObjection() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ archiveId, ...body }: RaiseObjection & { archiveId: string }) =>
      api.post<Objection>(`/api/v1/archives/${encodeURIComponent(archiveId)}/objections`, body),
    meta: { silent: true },
    onSuccess: (_data, { archiveId }) => refreshArchiveViews(queryClient, archiveId),
  });
}

export function useResolveObjection() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      objectionId,
      archiveId: _a,
      ...body
    }: ResolveObjection & { objectionId: string; archiveId: string }) =>
      api.post<Objection>(`/api/v1/objections/${encodeURIComponent(objectionId)}/resolve`, body),
    meta: { silent: true },
    onSuccess: (_data, { archiveId }) => refreshArchiveViews(queryClient, archiveId),
  });
}
