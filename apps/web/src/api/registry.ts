import type {
  ArchiveCategory,
  ArchiveStatus,
  ArchiveStepInput,
  CreateHousehold,
  HardshipCause,
  HouseholdDetail,
  HouseholdSummary,
  Urgency,
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
      api.get<{ items: HouseholdSummary[]; total: number }>(
        `/api/v1/households${queryString({ ...params })}`,
        signal,
      ),
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
    onSuccess: () => {
      // Full views are dropped, not fetched again: each one is an audited read the user asked for.
      queryClient.removeQueries({ predicate: isFullView });
      return queryClient.invalidateQueries({ queryKey: householdKeys.all });
    },
  });
}
