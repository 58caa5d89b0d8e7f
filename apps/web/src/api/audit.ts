import type { AuditAction, AuditEntry } from '@niangjia/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, queryString } from './client';

export interface AuditListParams {
  username?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: AuditAction | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
}

export function useAudit(params: AuditListParams) {
  return useQuery({
    queryKey: ['audit', 'list', params],
    queryFn: ({ signal }) =>
      api.get<{ items: AuditEntry[]; total: number }>(`/api/v1/audit${queryString({ ...params })}`, signal),
    placeholderData: keepPreviousData,
  });
}
