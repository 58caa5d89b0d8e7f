import type {
  DismissDuplicate,
  DuplicateList,
  DuplicateReason,
  MergeDuplicate,
  MergeResult,
} from '@niangjia/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, queryString } from '../../../api/client';

export interface DuplicateParams {
  reason?: DuplicateReason | undefined;
  page: number;
  pageSize: number;
}

export const duplicateKeys = {
  all: ['registry', 'duplicates'] as const,
  list: (params: DuplicateParams) => ['registry', 'duplicates', params] as const,
};

/** The review queue of possible duplicates in the scope, newest first. */
export function useDuplicates(params: DuplicateParams) {
  return useQuery({
    queryKey: duplicateKeys.list(params),
    queryFn: ({ signal }) =>
      api.get<DuplicateList>(`/api/v1/registry/duplicates${queryString({ ...params })}`, signal),
    placeholderData: keepPreviousData,
  });
}

/** After a merge, people, households and the queue all change: ask again for what shows them. */
function refresh(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: duplicateKeys.all }),
    queryClient.invalidateQueries({ queryKey: ['people'] }),
    queryClient.invalidateQueries({ queryKey: ['households'] }),
  ]);
}

export function useMergeDuplicate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: MergeDuplicate & { id: string }) =>
      api.post<MergeResult>(`/api/v1/registry/duplicates/${encodeURIComponent(id)}/merge`, body),
    meta: { silent: true },
    onSuccess: () => refresh(queryClient),
  });
}

export function useDismissDuplicate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: DismissDuplicate & { id: string }) =>
      api.post<void>(`/api/v1/registry/duplicates/${encodeURIComponent(id)}/dismiss`, body),
    meta: { silent: true },
    onSuccess: () => refresh(queryClient),
  });
}
