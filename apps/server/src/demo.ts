import type { OrgLevel, Role, SetFund } from '@niangjia/contracts';
import { type Database, sql } from '@niangjia/db';
import { type CalendarDate, todayInShanghai } from '@niangjia/domain';
import type { Config } from './config';
import { CASEWORKER, DEMO_SEED, generateHistory, MANAGER } from './demo/history';
import { generateLedger } from './demo/ledger';
import { demoPolicy } from './demo/policy';
import { type ScopedRun, writeHistory, writeLedger } from './demo/write';
import type { Ctx } from './http/context';
import { setFund } from './modules/assistance/funds';
import { hashPassword } from './modules/identity/passwords';
import { createUser } from './modules/identity/users';
import { createOrg } from './modules/orgs/service';
import { evaluateAll } from './modules/policy/evaluations';
import { operatorRunner, print } from './operator';

/** The district whose households the demo makes up (the founding report's own). */
const DEMO_DISTRICT = '640104';

/** The demo world: Ningxia → Yinchuan → its districts and counties (GB/T 2260 codes) → unions. */
const DEMO_ORGS: { code: string; name: string; level: OrgLevel; parent: string }[] = [
  { code: '640000', name: '宁夏回族自治区总工会', level: 'region', parent: '' },
  { code: '640100', name: '银川市总工会', level: 'city', parent: '640000' },
  { code: '640104', name: '兴庆区总工会', level: 'district', parent: '640100' },
  { code: '640105', name: '西夏区总工会', level: 'district', parent: '640100' },
  { code: '640106', name: '金凤区总工会', level: 'district', parent: '640100' },
  { code: '640121', name: '永宁县总工会', level: 'district', parent: '640100' },
  { code: '640122', name: '贺兰县总工会', level: 'district', parent: '640100' },
  { code: '640181', name: '灵武市总工会', level: 'district', parent: '640100' },
  { code: '640104001', name: '兴庆区环卫服务中心工会', level: 'grassroots', parent: '640104' },
  { code: '640104002', name: '兴庆区建筑业联合工会', level: 'grassroots', parent: '640104' },
  { code: '640104003', name: '兴庆区商贸流通业联合工会', level: 'grassroots', parent: '640104' },
  { code: '640104004', name: '兴庆区快递物流行业工会联合会', level: 'grassroots', parent: '640104' },
  { code: '640104005', name: '兴庆区餐饮服务业联合工会', level: 'grassroots', parent: '640104' },
  { code: '640105001', name: '西夏区工业园区联合工会', level: 'grassroots', parent: '640105' },
];

/** One user per role at 兴庆区 (640104). */
export const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'xq-admin', displayName: '兴庆区系统管理员', role: 'admin' },
  { username: 'xq-manager', displayName: '马主任', role: 'manager' },
  { username: 'xq-caseworker', displayName: '李帮扶', role: 'caseworker' },
  { username: 'xq-rights', displayName: '王维权', role: 'rights_officer' },
  { username: 'xq-employment', displayName: '张就业', role: 'employment_officer' },
  { username: 'xq-mutualaid', displayName: '杨互助', role: 'mutual_aid_clerk' },
  { username: 'xq-auditor', displayName: '赵审计', role: 'auditor' },
];

export interface DemoOptions {
  /**
   * The households of 兴庆区 with their archive history since 2009 (default: yes). The test
   * harness leaves them out: most tests need only the organisations and users.
   */
  households?: boolean;
  /** The identification policy of Ningxia and Yinchuan (demo/policy.ts; default: yes). */
  policy?: boolean;
  /** The assistance ledger of 2009-2014 that gives Table 1 (default: yes, with the households). */
  ledger?: boolean;
  /** The generator's seed: the same seed and day give the same data. */
  seed?: number;
  /** The day the demo is made (Asia/Shanghai; default today): nothing happens after it. */
  asOf?: CalendarDate;
}

export interface DemoResult {
  orgsCreated: number;
  usersCreated: number;
  /** Households added, or null when they were left out or already there. */
  households: number | null;
}

/** Creates what is missing of the demo world; running it again changes nothing. */
export async function runDemo(
  db: Database,
  config: Config,
  actorName?: string,
  options: DemoOptions = {},
): Promise<DemoResult> {
  const passwordHash = await hashPassword(config.demoPassword);
  const run = operatorRunner(db, actorName);
  const result = await run(async (ctx) => {
    let orgsCreated = 0;
    let usersCreated = 0;
    for (const org of DEMO_ORGS) {
      const exists = await ctx.tx
        .selectFrom('orgs')
        .select('id')
        .where('code', '=', org.code)
        .executeTakeFirst();
      if (exists) continue;
      await createOrg(ctx, { ...org, parentCode: org.parent || ctx.actor.orgCode });
      orgsCreated++;
    }
    for (const u of DEMO_USERS) {
      const exists = await ctx.tx
        .selectFrom('users')
        .select('id')
        .where('username', '=', u.username)
        .executeTakeFirst();
      if (exists) continue;
      const input = {
        username: u.username,
        displayName: u.displayName,
        orgCode: '640104',
        roles: [u.role],
        password: '',
      };
      // Demo users sign in straight away with the printed password.
      await createUser(ctx, input, passwordHash, { mustChangePassword: false });
      usersCreated++;
    }
    return { orgsCreated, usersCreated };
  });
  print(`Demo world: ${result.orgsCreated} organisations and ${result.usersCreated} users added.`);
  if (options.policy !== false && (await run(demoPolicy)))
    print(
      'Demo policy: the 2013 and national rule sets with their parameters for 640000 and 640100 (illustrative values marked).',
    );
  print(`Demo users at 640104 兴庆区总工会, password "${config.demoPassword}":`);
  for (const u of DEMO_USERS) print(`  ${u.username.padEnd(15)} ${u.role}`);
  const households = options.households === false ? null : await demoHouseholds(db, run, options);
  if (options.households !== false && options.ledger !== false) await demoLedger(db, run, options);
  if (options.households !== false && (await run((ctx) => demoFunds(ctx, options.asOf ?? todayInShanghai()))))
    print('Demo funds: budgets of the four fund sources of 640104 for this year (illustrative).');
  return { ...result, households };
}

/** This year's budgets of 兴庆区's four fund sources (illustrative), once: when it has no fund. */
async function demoFunds(ctx: Ctx, asOf: CalendarDate): Promise<boolean> {
  const any = await ctx.tx.selectFrom('funds').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  const year = Number(asOf.slice(0, 4));
  const budgets: [SetFund['source'], number][] = [
    ['central_finance', 20_000_000],
    ['local_finance', 30_000_000],
    ['union_dues', 50_000_000],
    ['donation', 10_000_000],
  ];
  for (const [source, budgetFen] of budgets)
    await setFund(ctx, { org: DEMO_DISTRICT, source, year, budgetFen, note: '演示数据（示例预算）' });
  return true;
}

/**
 * The district's assistance ledger of 2009-2014 (demo/ledger.ts): payments to the heads of its
 * archived households, while archived, adding up to Table 1 of the founding report. Generated from
 * the archives in the database, so that an installation whose demo households came before the
 * ledger gets it too; once: when the district has any ledger line, nothing is added.
 */
async function demoLedger(
  db: Database,
  run: ReturnType<typeof operatorRunner>,
  { seed = DEMO_SEED }: DemoOptions,
): Promise<void> {
  const found = await run(async (ctx) => {
    const district = await ctx.tx
      .selectFrom('orgs')
      .select(['id', 'code', 'name', 'level', 'path'])
      .where('code', '=', DEMO_DISTRICT)
      .executeTakeFirstOrThrow();
    const inDistrict = sql<boolean>`l.org_id in (select o.id from orgs o where starts_with(o.path, ${district.path}))`;
    const any = await ctx.tx
      .selectFrom('ledger_entries as l')
      .select('l.id')
      .where(inDistrict)
      .limit(1)
      .execute();
    if (any.length) return null;
    const archives = await ctx.tx
      .selectFrom('archives as a')
      .innerJoin('households as h', 'h.id', 'a.household_id')
      .innerJoin('people as p', 'p.id', 'h.head_person_id')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .select([
        'p.id as person_id',
        'p.id_number',
        'p.name',
        'o.code as org_code',
        'o.id as org_id',
        'a.archived_on',
        'a.exited_on',
      ])
      .where(sql<boolean>`starts_with(o.path, ${district.path})`)
      .where('a.archived_on', 'is not', null)
      .execute();
    return {
      actor: {
        ...ctx.actor,
        orgId: district.id,
        orgCode: district.code,
        orgName: district.name,
        orgLevel: district.level,
        orgPath: district.path,
      },
      requestId: ctx.requestId,
      archives,
    };
  });
  if (!found) {
    print('Demo ledger: already there, none added.');
    return;
  }
  if (found.archives.length === 0) return;
  const payments = generateLedger(
    found.archives.map((a) => ({
      idNumber: a.id_number,
      name: a.name,
      orgCode: a.org_code,
      archivedOn: a.archived_on as string,
      exitedOn: a.exited_on,
    })),
    seed,
  );
  const personIds = new Map(found.archives.map((a) => [a.id_number, a.person_id]));
  const orgIds = new Map(found.archives.map((a) => [a.org_code, a.org_id]));
  const scoped: ScopedRun = (fn) =>
    db.scoped({ userId: '', orgPath: found.actor.orgPath }, (tx) =>
      fn({ tx, actor: found.actor, requestId: found.requestId, clientAddress: null }),
    );
  await writeLedger(scoped, payments, personIds, orgIds);
  const total = payments.reduce((s, p) => s + p.amountFen, 0);
  print(
    `Demo ledger: ${payments.length} payments of 2009-2014, ${(total / 100).toFixed(2)} yuan in all, to the heads of archived households (Table 1).`,
  );
}

/**
 * The households of 兴庆区 and their archive history (demo/history.ts), written in bulk in the
 * district's scope. Once: when generated people are there already, nothing is added.
 */
async function demoHouseholds(
  db: Database,
  run: ReturnType<typeof operatorRunner>,
  { seed = DEMO_SEED, asOf = todayInShanghai() }: DemoOptions,
): Promise<number | null> {
  const before = await run(async (ctx) => {
    const done = await ctx.tx
      .selectFrom('people')
      .select('id')
      .where('source', '=', 'demo')
      .limit(1)
      .executeTakeFirst();
    if (done) return null;
    const district = await ctx.tx
      .selectFrom('orgs')
      .select(['id', 'code', 'name', 'level', 'path'])
      .where('code', '=', DEMO_DISTRICT)
      .executeTakeFirstOrThrow();
    const orgs = await ctx.tx
      .selectFrom('orgs')
      .select(['id', 'code'])
      .where(sql<boolean>`starts_with(path, ${district.path})`)
      .execute();
    const users = await ctx.tx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('username', 'in', [CASEWORKER, MANAGER])
      .execute();
    // Numbers already in use anywhere (the operator sees the whole tree) are never generated.
    const taken = await ctx.tx
      .selectFrom('people')
      .select('id_number')
      .where('id_number', 'like', '64%')
      .execute();
    return {
      actor: {
        ...ctx.actor,
        orgId: district.id,
        orgCode: district.code,
        orgName: district.name,
        orgLevel: district.level,
        orgPath: district.path,
      },
      requestId: ctx.requestId,
      refs: {
        orgIds: new Map(orgs.map((o) => [o.code, o.id])),
        userIds: new Map(users.map((u) => [u.username, u.id])),
      },
      taken: taken.map((t) => t.id_number),
    };
  });
  if (!before) {
    print('Demo households: already there, none added.');
    return null;
  }
  const history = generateHistory({ seed, asOf, taken: before.taken });
  // The district's scope, not the root's: row-level security checks every row written.
  const scoped: ScopedRun = (fn) =>
    db.scoped({ userId: '', orgPath: before.actor.orgPath }, (tx) =>
      fn({ tx, actor: before.actor, requestId: before.requestId, clientAddress: null }),
    );
  const written = await writeHistory(history, scoped, before.refs);
  print(
    `Demo households: ${written.households} households (${written.people} people) in ${DEMO_DISTRICT} and its unions, ${written.archives} archives since 2009 as of ${asOf} (seed ${seed}).`,
  );
  // Each household evaluated under the policy in force on the demo's day, as after a change of the
  // rules: the household page shows a decision and its basis. None without the demo's policy.
  const evaluated = await evaluateAll(scoped, { asOf, reason: 'bulk', missing: 'skip' });
  if (evaluated.evaluated > 0)
    print(
      `Demo evaluations as of ${asOf}: ${Object.entries(evaluated.byCategory)
        .map(([category, n]) => `${category} ${n}`)
        .join(', ')}.`,
    );
  return written.households;
}
