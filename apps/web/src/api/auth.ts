import type { Login, Me } from '@niangjia/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

export const meKey = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: ({ signal }) => api.get<Me>('/api/v1/me', signal),
    staleTime: 5 * 60_000,
    retry: false,
    meta: { silent: true },
  });
}

let lastMe: Me | undefined;

/**
 * The logged-in user; only inside the main layout, which renders after `useMe` succeeded. While the
 * pages unmount after a logout or an ended session (the cache is cleared), it keeps the last value.
 */
export function useCurrentMe(): Me {
  const { data } = useMe();
  if (data) lastMe = data;
  const me = data ?? lastMe;
  if (!me) throw new Error('useCurrentMe outside an authenticated page');
  return me;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Login) => api.post<Me>('/api/v1/auth/login', body, { skipAuthRedirect: true }),
    meta: { silent: true },
    onSuccess: (me) => {
      queryClient.clear();
      queryClient.setQueryData(meKey, me);
    },
  });
}

export function useLogout() {
  return useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/logout', undefined, { skipAuthRedirect: true }),
    meta: { silent: true },
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api.post<void>('/api/v1/me/password', body),
    meta: { silent: true },
    onSuccess: () => {
      queryClient.setQueryData<Me>(meKey, (me) =>
        me ? { ...me, user: { ...me.user, mustChangePassword: false } } : me,
      );
      return queryClient.invalidateQueries({ queryKey: meKey });
    },
  });
}
