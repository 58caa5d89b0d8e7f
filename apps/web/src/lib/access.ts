import type { Permission } from '@niangjia/contracts';
import { useCallback } from 'react';
import { useMe } from '../api/auth';

/** `can(permission)` for the logged-in user, from `Me.permissions` as the server computed them. */
export function usePermissions(): { can: (permission: Permission) => boolean } {
  const { data: me } = useMe();
  const permissions = me?.permissions;
  const can = useCallback(
    (permission: Permission) => permissions?.includes(permission) ?? false,
    [permissions],
  );
  return { can };
}
