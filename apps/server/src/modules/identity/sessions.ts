import { createHash, randomBytes } from 'node:crypto';
import type { Permission, Role } from '@niangjia/contracts';
import { permissionsOf } from '@niangjia/contracts';
import { sql, type Tx } from '@niangjia/db';
import type { Actor } from '../../http/context';

export const SESSION_COOKIE = 'niangjia_session';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  tx: Tx,
  userId: string,
  policy: SessionPolicy,
  clientAddress: string | null,
): Promise<string> {
  const { token, tokenHash } = newToken();
  await tx
    .insertInto('sessions')
    .values({
      token_hash: tokenHash,
      user_id: userId,
      expires_at: sql<Date>`now() + make_interval(hours => ${policy.maxHours})`,
      client_address: clientAddress,
    })
    .execute();
  return token;
}

/**
 * The actor of a session token, or undefined when the session is unknown, expired (absolute or
 * idle), or its user or organisation was deactivated. Touches the session at most once a minute.
 */
export async function resolveSession(
  tx: Tx,
  token: string,
  policy: SessionPolicy,
): Promise<Actor | undefined> {
  const tokenHash = hashToken(token);
  const row = await tx
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('orgs as o', 'o.id', 'u.org_id')
    .select([
      'u.id as user_id',
      'u.username',
      'u.display_name',
      'u.roles',
      'u.must_change_password',
      'o.id as org_id',
      'o.code as org_code',
      'o.name as org_name',
      'o.level as org_level',
      'o.path as org_path',
      sql<boolean>`s.last_seen_at < now() - interval '1 minute'`.as('stale'),
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(mins => ${policy.idleMinutes})`)
    .where('u.active', '=', true)
    .where('o.active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.stale)
    await tx
      .updateTable('sessions')
      .set({ last_seen_at: sql`now()` })
      .where('token_hash', '=', tokenHash)
      .execute();
  const roles = row.roles as Role[];
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    orgId: row.org_id,
    orgCode: row.org_code,
    orgName: row.org_name,
    orgLevel: row.org_level,
    orgPath: row.org_path,
    roles,
    permissions: permissionsOf(roles) as Permission[],
    mustChangePassword: row.must_change_password,
    sessionTokenHash: tokenHash,
  };
}
