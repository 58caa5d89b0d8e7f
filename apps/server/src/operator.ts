import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { OrgCode, type OrgLevel, OrgName, permissionsOf, ROLE_NAMES, type Role } from '@niangjia/contracts';
import { type Database, sql, type Tx } from '@niangjia/db';
import type { Config } from './config';
import type { Actor, Ctx } from './http/context';
import { recordAudit } from './modules/audit/service';
import { hashPassword } from './modules/identity/passwords';

/** Writes a line for the operator (the console, not the log). */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** How the audit trail names the person at the console. */
export function operatorName(): string {
  return `cli:${userInfo().username}`;
}

export async function rootOrg(db: Database) {
  return db.kysely.selectFrom('orgs').selectAll().where('parent_id', 'is', null).executeTakeFirst();
}

/**
 * The operator at the console acts on the whole tree through the same services and the same
 * row-level security as a signed-in admin; the audit trail names them as cli:<system user>
 * (or `system` for what the server does by itself at first start).
 */
export function asOperator<T>(db: Database, fn: (ctx: Ctx) => Promise<T>, name = operatorName()): Promise<T> {
  return operatorRunner(db, name)(fn);
}

/**
 * A runner for a whole operator command (an import runs thousands of units of work): the root is
 * looked up once, and every unit carries the command's one request id in the audit trail.
 */
export function operatorRunner(
  db: Database,
  name = operatorName(),
): <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T> {
  const requestId = `cli-${randomBytes(4).toString('hex')}`;
  let actor: Promise<Actor> | undefined;
  const resolve = async (): Promise<Actor> => {
    const root = await rootOrg(db);
    if (!root)
      throw new Error('There is no organisation yet: start the server once, or run `niangjia org add` first');
    const roles: Role[] = ['admin'];
    return {
      userId: '',
      username: name,
      displayName: 'operator',
      orgId: root.id,
      orgCode: root.code,
      orgName: root.name,
      orgLevel: root.level,
      orgPath: root.path,
      roles,
      permissions: permissionsOf(roles),
      mustChangePassword: false,
      sessionTokenHash: '',
    };
  };
  return async (fn) => {
    actor ??= resolve();
    const a = await actor;
    return db.scoped({ userId: '', orgPath: a.orgPath }, (tx) =>
      fn({ tx, actor: a, requestId, clientAddress: null }),
    );
  };
}

/** Serialises first-start work across server processes starting together. */
const BOOTSTRAP_LOCK = 7_364_201_506;

/** Creates the root of the organisation tree (there is one), recorded in the audit trail. */
export async function createRootOrg(
  tx: Tx,
  org: { code: string; name: string; level: OrgLevel },
  by: string,
): Promise<string> {
  const code = OrgCode.parse(org.code);
  const name = OrgName.parse(org.name);
  const root = await tx
    .insertInto('orgs')
    .values({ code, name, level: org.level, path: `/${code}/` })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(
    tx,
    { userId: null, username: by, requestId: null, clientAddress: null },
    {
      action: 'create',
      entity: 'org',
      entityId: code,
      orgId: root.id,
      after: { code, name, level: org.level, parentCode: null, active: true },
    },
  );
  return root.id;
}

/**
 * First start: creates the root organisation when there is none, and the `admin` user when there
 * are no users, with NIANGJIA_ADMIN_PASSWORD or a random password printed once.
 * Returns whether the installation was empty.
 */
export async function bootstrap(db: Database, config: Config): Promise<{ fresh: boolean }> {
  const anyUser = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyUser) return { fresh: false };
  const password = config.adminPassword ?? randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  const created = await db.system(async (tx) => {
    await sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`.execute(tx);
    // Another process may have done it while this one waited for the lock.
    if (await tx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return false;
    const root =
      (await tx.selectFrom('orgs').select(['id']).where('parent_id', 'is', null).executeTakeFirst())?.id ??
      (await createRootOrg(tx, { ...config.rootOrg, level: 'national' }, 'system'));
    const admin = await tx
      .insertInto('users')
      .values({
        username: 'admin',
        display_name: '系统管理员',
        org_id: root,
        roles: ['admin'],
        password_hash: passwordHash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      { userId: null, username: 'system', requestId: null, clientAddress: null },
      {
        action: 'create',
        entity: 'user',
        entityId: admin.id,
        orgId: root,
        after: { username: 'admin', roles: ['admin'] },
      },
    );
    return true;
  });
  if (!created) return { fresh: false };
  print('First start: created the user "admin" at the root organisation.');
  if (config.adminPassword) print('Its password is the one in NIANGJIA_ADMIN_PASSWORD.');
  else print(`Its password, shown only this once: ${password}`);
  return { fresh: true };
}

/** The secret that signs session cookies: configured, or generated once and kept in the database. */
export async function sessionSecret(db: Database, config: Config): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  return db.system(async (tx) => {
    await tx
      .insertInto('settings')
      .values({ key: 'session_secret', value: randomBytes(32).toString('base64url') })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await tx
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'session_secret')
      .executeTakeFirstOrThrow();
    return row.value;
  });
}

export function isRole(value: string): value is Role {
  return (ROLE_NAMES as string[]).includes(value);
}
