import type {
  ApproveAllResult,
  BatchProposed,
  CreateProgram,
  FundView,
  GrantList,
  GrantStatus,
  GrantView,
  HouseholdAssistance,
  PayGrant,
  ProgramView,
  ProposeBatch,
  ProposeGrant,
  ReversePayment,
  SetFund,
} from '@niangjia/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { assistanceKeys } from './assistance';
import { api, queryString } from './client';
import { personKeys } from './registry';

/** Funds or programs of an organisation's subtree (default: the user's scope) and a year. */
export interface ScopeYear {
  org?: string | undefined;
  year?: number | undefined;
}

export interface GrantListParams {
  programId?: string | undefined;
  status?: GrantStatus | undefined;
  personId?: string | undefined;
  limit: number;
  offset: number;
}

export const grantKeys = {
  all: ['grants'] as const,
  funds: (params: ScopeYear) => ['grants', 'funds', params] as const,
  programs: (params: ScopeYear) => ['grants', 'programs', params] as const,
  program: (id: string) => ['grants', 'program', id] as const,
  list: (params: GrantListParams) => ['grants', 'list', params] as const,
  listAll: (programId: string) => ['grants', 'list-all', programId] as const,
  grant: (id: string) => ['grants', 'grant', id] as const,
  household: (id: string, year: number) => ['grants', 'household', id, year] as const,
};

const path = (id: string) => encodeURIComponent(id);

export function useFunds(params: ScopeYear) {
  return useQuery({
    queryKey: grantKeys.funds(params),
    queryFn: ({ signal }) =>
      api.get<FundView[]>(`/api/v1/assistance/funds${queryString({ ...params })}`, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePrograms(params: ScopeYear) {
  return useQuery({
    queryKey: grantKeys.programs(params),
    queryFn: ({ signal }) =>
      api.get<ProgramView[]>(`/api/v1/assistance/programs${queryString({ ...params })}`, signal),
    placeholderData: keepPreviousData,
  });
}

export function useProgram(id: string | undefined) {
  return useQuery({
    queryKey: grantKeys.program(id ?? ''),
    queryFn: ({ signal }) => api.get<ProgramView>(`/api/v1/assistance/programs/${path(id ?? '')}`, signal),
    enabled: Boolean(id),
    // The page shows a failure in place of the program.
    meta: { silent: true },
  });
}

export function useGrants(params: GrantListParams, enabled = true) {
  return useQuery({
    queryKey: grantKeys.list(params),
    queryFn: ({ signal }) =>
      api.get<GrantList>(`/api/v1/assistance/grants${queryString({ ...params })}`, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The most a page of the grant list holds (GrantQuery's limit). */
const MOST = 1000;
/** A printed list stops here: past it, the program is printed per organisation or not at all. */
export const ALL_GRANTS_CAP = 20_000;

/** Every grant of a program, a thousand at a time (the publicity list). */
export function useAllGrants(programId: string | undefined) {
  return useQuery({
    queryKey: grantKeys.listAll(programId ?? ''),
    queryFn: async ({ signal }) => {
      const items: GrantView[] = [];
      let total = 0;
      do {
        const page = await api.get<GrantList>(
          `/api/v1/assistance/grants${queryString({ programId, limit: MOST, offset: items.length })}`,
          signal,
        );
        items.push(...page.items);
        total = page.total;
        if (page.items.length === 0) break;
      } while (items.length < total && items.length < ALL_GRANTS_CAP);
      return { items, total };
    },
    enabled: Boolean(programId),
    meta: { silent: true },
  });
}

export function useGrant(id: string | undefined) {
  return useQuery({
    queryKey: grantKeys.grant(id ?? ''),
    queryFn: ({ signal }) => api.get<GrantView>(`/api/v1/assistance/grants/${path(id ?? '')}`, signal),
    enabled: Boolean(id),
    meta: { silent: true },
  });
}

/** A household's grants and payments of a year per type of aid, against the caps. */
export function useHouseholdAssistance(id: string | undefined, year: number, enabled = true) {
  return useQuery({
    queryKey: grantKeys.household(id ?? '', year),
    queryFn: ({ signal }) =>
      api.get<HouseholdAssistance>(
        `/api/v1/households/${path(id ?? '')}/assistance${queryString({ year })}`,
        signal,
      ),
    enabled: Boolean(id) && enabled,
    meta: { silent: true },
  });
}

/**
 * A change to funds, programs or grants: the lists, the program's counts, the ledger and reports
 * (a payment is a ledger line) and people's timelines are asked again. Errors are the caller's to
 * show (most are refusals a form explains in place).
 */
function useGrantMutation<V, R>(fn: (variables: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { silent: true },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: grantKeys.all }),
        queryClient.invalidateQueries({ queryKey: assistanceKeys.all }),
        queryClient.invalidateQueries({ queryKey: personKeys.all }),
      ]),
  });
}

export const useSetFund = () =>
  useGrantMutation((body: SetFund) => api.put<FundView>('/api/v1/assistance/funds', body));

export const useCreateProgram = () =>
  useGrantMutation((body: CreateProgram) => api.post<ProgramView>('/api/v1/assistance/programs', body));

export const useApproveAll = () =>
  useGrantMutation((programId: string) =>
    api.post<ApproveAllResult>(`/api/v1/assistance/programs/${path(programId)}/approve-all`),
  );

export const useProposeGrant = () =>
  useGrantMutation((body: ProposeGrant) => api.post<GrantView>('/api/v1/assistance/grants', body));

export const useProposeBatch = () =>
  useGrantMutation((body: ProposeBatch) => api.post<BatchProposed>('/api/v1/assistance/grants/batch', body));

/** One step of a grant's workflow, each a POST (or PUT for the amount) answering the grant. */
export type GrantStep =
  | { step: 'approve'; note?: string | undefined }
  | { step: 'reject'; reason: string }
  | { step: 'amount'; amountFen: number }
  | { step: 'objection'; content: string }
  | { step: 'resolve'; upheld: boolean; resolution: string }
  | ({ step: 'pay' } & PayGrant)
  | ({ step: 'reverse' } & ReversePayment);

export const useGrantStep = () =>
  useGrantMutation(({ id, ...input }: GrantStep & { id: string }) => {
    const base = `/api/v1/assistance/grants/${path(id)}`;
    switch (input.step) {
      case 'approve':
        return api.post<GrantView>(`${base}/approve`, { note: input.note });
      case 'reject':
        return api.post<GrantView>(`${base}/reject`, { reason: input.reason });
      case 'amount':
        return api.put<GrantView>(`${base}/amount`, { amountFen: input.amountFen });
      case 'objection':
        return api.post<GrantView>(`${base}/objection`, { content: input.content });
      case 'resolve':
        return api.post<GrantView>(`${base}/objection/resolve`, {
          upheld: input.upheld,
          resolution: input.resolution,
        });
      case 'pay':
        return api.post<GrantView>(`${base}/pay`, {
          method: input.method,
          paidOn: input.paidOn,
          inKindItems: input.inKindItems,
        });
      case 'reverse':
        return api.post<GrantView>(`${base}/reverse`, { reason: input.reason, cancel: input.cancel });
    }
  });
