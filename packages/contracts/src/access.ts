/**
 * Permissions and roles, defined once. The server checks them on every route; the web app uses
 * them to decide what to show. A role is a named set of permissions; a user holds roles at one
 * organisation node and acts on that node's subtree only.
 */
export const PERMISSIONS = [
  'org:read',
  'org:write',
  'user:read',
  'user:write',
  'audit:read',
  // Full view of a person's personal data (ID number, health, income): every use is audited.
  'person:read_full',
  'registry:read',
  'registry:write',
  // Deciding steps of the archive life cycle: first review, publicity, archiving, refusal, exit.
  'registry:approve',
  'policy:read',
  'policy:write',
  'assistance:read',
  'assistance:propose',
  'assistance:approve',
  'assistance:pay',
  'rights:read',
  'rights:write',
  'employment:read',
  'employment:write',
  'mutual_aid:read',
  'mutual_aid:write',
  'reports:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READS = PERMISSIONS.filter((p) => p.endsWith(':read'));

export const ROLES = {
  admin: [...PERMISSIONS],
  manager: [
    ...READS,
    'person:read_full',
    'registry:write',
    'registry:approve',
    'policy:write',
    'assistance:propose',
    'assistance:approve',
    'assistance:pay',
  ],
  caseworker: [
    'org:read',
    'person:read_full',
    'registry:read',
    'registry:write',
    'policy:read',
    'assistance:read',
    'assistance:propose',
    'reports:read',
  ],
  rights_officer: [
    'org:read',
    'person:read_full',
    'registry:read',
    'rights:read',
    'rights:write',
    'reports:read',
  ],
  employment_officer: [
    'org:read',
    'registry:read',
    'employment:read',
    'employment:write',
    'assistance:read',
    'reports:read',
  ],
  mutual_aid_clerk: ['org:read', 'registry:read', 'mutual_aid:read', 'mutual_aid:write', 'reports:read'],
  // Reads everything in scope, changes nothing; full personal data views are audited like anyone's.
  auditor: [...READS, 'person:read_full'],
} as const satisfies Record<string, readonly Permission[]>;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function permissionsOf(roles: readonly string[]): Permission[] {
  const set = new Set<Permission>();
  for (const role of roles) {
    const granted: readonly Permission[] | undefined = (ROLES as Record<string, readonly Permission[]>)[role];
    for (const p of granted ?? []) set.add(p);
  }
  return PERMISSIONS.filter((p) => set.has(p));
}

export function can(roles: readonly string[], permission: Permission): boolean {
  return roles.some((role) =>
    ((ROLES as Record<string, readonly Permission[]>)[role] ?? []).includes(permission),
  );
}
