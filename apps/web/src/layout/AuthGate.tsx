import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../api/auth';
import { isApiError } from '../api/client';
import { ErrorResult } from './ErrorResult';
import { PageSpinner } from './PageSpinner';

/** The login page's address, remembering where to return to. */
export function loginPath(from: string): string {
  return from && from !== '/' && !from.startsWith('/login')
    ? `/login?next=${encodeURIComponent(from)}`
    : '/login';
}

/** Renders its children only for a logged-in user; otherwise sends to the login page. */
export function AuthGate({ children }: { children: ReactNode }) {
  const location = useLocation();
  const { data, error, isPending, refetch } = useMe();
  if (data) return children;
  if (isPending) return <PageSpinner />;
  if (isApiError(error) && error.status === 401) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  }
  return <ErrorResult error={error} onRetry={() => void refetch()} />;
}
