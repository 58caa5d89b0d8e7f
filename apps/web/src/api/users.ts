import type { CreateUser, Role, UpdateUser, User } from '@niangjia/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, queryString } from './client';

export interface UserListParams {
  org?: string | undefined;
  q?: string | undefined;
  role?: Role | undefined;
  active?: boolean | undefined;
  page: number;
  pageSize: number;
}

export const userKeys = {
  all: ['users'] as const,
  list: (params: UserListParams) => ['users', 'list', params] as const,
};

export function useUsers(params: UserListParams) {
  return useQuery({
    queryKey: userKeys.list(params),
    queryFn: ({ signal }) =>
      api.get<{ items: User[]; total: number }>(
        `/api/v1/users${queryString({ ...params, active: params.active })}`,
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

const userPath = (id: string) => `/api/v1/users/${encodeURIComponent(id)}`;

function useUserMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { silent: true },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export const useCreateUser = () =>
  useUserMutation((body: CreateUser) => api.post<User>('/api/v1/users', body));
export const useUpdateUser = () =>
  useUserMutation(({ id, ...body }: UpdateUser & { id: string }) => api.patch<User>(userPath(id), body));
export const useSetUserActive = () =>
  useUserMutation(({ id, active }: { id: string; active: boolean }) =>
    api.post<User>(`${userPath(id)}/${active ? 'activate' : 'deactivate'}`),
  );
export const useResetUserPassword = () =>
  useUserMutation(({ id, password }: { id: string; password: string }) =>
    api.post<void>(`${userPath(id)}/password`, { password }),
  );
