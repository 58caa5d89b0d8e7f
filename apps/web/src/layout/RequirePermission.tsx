import type { Permission } from '@niangjia/contracts';
import type { ReactNode } from 'react';
import { usePermissions } from '../lib/access';
import ForbiddenPage from '../pages/errors/forbidden';

/** Shows the 403 page instead of `children` when the user lacks the permission. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = usePermissions();
  return can(permission) ? children : <ForbiddenPage />;
}
