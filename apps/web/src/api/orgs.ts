import type { CreateOrg, Org, OrgDetail } from '@niangjia/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, queryString } from './client';

export interface OrgListParams {
  parent?: string | undefined;
  q?: string | undefined;
  includeInactive?: boolean | undefined;
}

export const orgKeys = {
  all: ['orgs'] as const,
  list: (params: OrgListParams) => ['orgs', 'list', params] as const,
  detail: (code: string) => ['orgs', 'detail', code] as const,
};

export function fetchOrgs(params: OrgListParams, signal?: AbortSignal): Promise<Org[]> {
  const search = queryString({
    parent: params.parent,
    q: params.q,
    includeInactive: params.includeInactive || undefined,
  });
  return api.get<{ items: Org[] }>(`/api/v1/orgs${search}`, signal).then((list) => list.items);
}

/** Cached through the query client, so the tree and the pickers share results. */
export function loadOrgs(queryClient: QueryClient, params: OrgListParams): Promise<Org[]> {
  return queryClient.fetchQuery({
    queryKey: orgKeys.list(params),
    queryFn: ({ signal }) => fetchOrgs(params, signal),
    staleTime: 30_000,
  });
}

export function useOrgList(params: OrgListParams, enabled = true) {
  return useQuery({
    queryKey: orgKeys.list(params),
    queryFn: ({ signal }) => fetchOrgs(params, signal),
    enabled,
  });
}

export function useOrg(code: string | undefined) {
  return useQuery({
    queryKey: orgKeys.detail(code ?? ''),
    queryFn: ({ signal }) => api.get<OrgDetail>(`/api/v1/orgs/${encodeURIComponent(code ?? '')}`, signal),
    enabled: Boolean(code),
    // The organisation page shows a failure in place of the detail.
    meta: { silent: true },
  });
}

function useOrgMutation<V>(fn: (vars: V) => Promise<Org>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { silent: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

const orgPath = (code: string) => `/api/v1/orgs/${encodeURIComponent(code)}`;

export const useCreateOrg = () => useOrgMutation((body: CreateOrg) => api.post<Org>('/api/v1/orgs', body));
export const useRenameOrg = () =>
  useOrgMutation(({ code, name }: { code: string; name: string }) => api.patch<Org>(orgPath(code), { name }));
export const useMoveOrg = () =>
  useOrgMutation(({ code, parentCode }: { code: string; parentCode: string }) =>
    api.post<Org>(`${orgPath(code)}/move`, { parentCode }),
  );
export const useSetOrgActive = () =>
  useOrgMutation(({ code, active }: { code: string; active: boolean }) =>
    api.post<Org>(`${orgPath(code)}/${active ? 'activate' : 'deactivate'}`),
  );
