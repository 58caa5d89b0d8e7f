import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { showError } from '../lib/notify';
import { isApiError } from './client';

declare module '@tanstack/react-query' {
  interface Register {
    /** `silent`: the caller shows the error itself (or it is expected, like 401 on /me). */
    queryMeta: { silent?: boolean };
    mutationMeta: { silent?: boolean };
  }
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (!query.meta?.silent) showError(error);
    },
  }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _context, mutation) => {
      if (!mutation.meta?.silent) showError(error);
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Client errors (4xx) will not change by asking again.
      retry: (failures, error) =>
        !(isApiError(error) && error.status > 0 && error.status < 500) && failures < 2,
    },
  },
});
