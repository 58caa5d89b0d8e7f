import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, permissionsOf, ROLE_NAMES, ROLES } from './access';

describe('roles and permissions', () => {
  it('defines the seven roles of the issue', () => {
    expect(ROLE_NAMES).toEqual([
      'admin',
      'manager',
      'caseworker',
      'rights_officer',
      'employment_officer',
      'mutual_aid_clerk',
      'auditor',
    ]);
  });

  it('gives the auditor every read and no write', () => {
    const auditor = permissionsOf(['auditor']);
    for (const p of PERMISSIONS.filter((p) => p.endsWith(':read'))) expect(auditor).toContain(p);
    expect(auditor.filter((p) => !p.endsWith(':read') && p !== 'person:read_full')).toEqual([]);
  });

  it('gives only the admin user and organisation management', () => {
    for (const role of ROLE_NAMES) {
      expect(can([role], 'user:write')).toBe(role === 'admin');
      expect(can([role], 'org:write')).toBe(role === 'admin');
    }
  });

  it('unites the permissions of several roles and ignores unknown ones', () => {
    expect(permissionsOf(['rights_officer', 'employment_officer', 'nobody'])).toEqual(
      PERMISSIONS.filter((p) => [...ROLES.rights_officer, ...ROLES.employment_officer].includes(p as never)),
    );
    expect(can(['nobody'], 'org:read')).toBe(false);
  });
});
