import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildXlsx } from '../src/modules/registry/workbook/test-workbooks';
import { residentId } from './factories';
import { backend, freshDatabase } from './harness';

const bin = join(import.meta.dirname, '../bin/niangjia.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'niangjia-cli-'));
let env: NodeJS.ProcessEnv;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  env = {
    ...process.env,
    NIANGJIA_DATA_DIR: dataDir,
    NIANGJIA_ADMIN_PASSWORD: 'cli-admin-password',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  if (backend === 'postgres') {
    // A fresh database of its own, handed to the CLI as an operator would: DATABASE_URL.
    const db = await freshDatabase();
    const name = (
      await db.kysely
        .selectNoFrom((eb) => eb.fn<string>('current_database').as('n'))
        .executeTakeFirstOrThrow()
    ).n;
    const u = new URL(process.env.NIANGJIA_TEST_DATABASE_URL as string);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    // Start from nothing: the CLI migrates by itself.
    await db.kysely.schema.dropSchema('public').cascade().execute();
    await db.kysely.schema.createSchema('public').execute();
    dropDatabase = () => db.close();
  }
});
afterAll(async () => {
  await dropDatabase?.();
  rmSync(dataDir, { recursive: true, force: true });
});

function cli(...args: string[]) {
  const res = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

// The demo's households (thousands) make the data directory slower to open for every command after it.
describe(`the niangjia command on ${backend}`, { timeout: 120_000 }, () => {
  it('creates the demo world once, and again changes nothing; its archives give Table 3', () => {
    const first = cli('demo');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('Demo world: 14 organisations and 7 users added.');
    expect(first.out).toMatch(/xq-caseworker\s+caseworker/);
    expect(first.out).toMatch(/Demo households: \d{4} households/);
    const second = cli('demo');
    expect(second.code).toBe(0);
    expect(second.out).toContain('Demo world: 0 organisations and 0 users added.');
    expect(second.out).toContain('Demo households: already there, none added.');
    const report = cli('report', 'archives', '--org', '640104', '--from', '2009', '--to', '2014', '--json');
    expect(report.err).toBe('');
    expect(JSON.parse(report.out)).toEqual({
      rows: [
        { year: 2009, peakArchived: 1090 },
        { year: 2010, peakArchived: 830 },
        { year: 2011, peakArchived: 780 },
        { year: 2012, peakArchived: 630 },
        { year: 2013, peakArchived: 481 },
        { year: 2014, peakArchived: 407 },
      ],
    });
    // Table 1, from the demo's ledger of individual payments.
    const assistance = cli(
      'report',
      'assistance',
      '--org',
      '640104',
      '--from',
      '2009',
      '--to',
      '2014',
      '--json',
    );
    expect(assistance.err).toBe('');
    expect(JSON.parse(assistance.out)).toEqual({
      rows: [
        { year: 2009, personTimes: 1155, amountFen: 53_580_000 },
        { year: 2010, personTimes: 609, amountFen: 36_440_000 },
        { year: 2011, personTimes: 2235, amountFen: 83_950_000 },
        { year: 2012, personTimes: 3307, amountFen: 93_990_000 },
        { year: 2013, personTimes: 2355, amountFen: 80_190_000 },
        { year: 2014, personTimes: 2671, amountFen: 80_530_000 },
      ],
      total: { personTimes: 12_332, amountFen: 428_680_000 },
      growth: { personTimes: 1.313, amount: 0.503 },
    });
    const wrong = cli('report', 'archives', '--from', '2014', '--to', '2009');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('--to');
  });

  it('adds organisations and users, and refuses what is wrong with a clear message', () => {
    const add = cli(
      'org',
      'add',
      '640104006',
      '兴庆区家政服务业工会',
      '--level',
      'grassroots',
      '--parent',
      '640104',
    );
    expect(add.code).toBe(0);
    const again = cli('org', 'add', '640104006', '重复', '--level', 'grassroots', '--parent', '640104');
    expect(again.code).toBe(1);
    expect(again.err).toContain('already in use');
    const badLevel = cli('org', 'add', 'X', 'x', '--level', 'street', '--parent', '640104');
    expect(badLevel.code).not.toBe(0);
    expect(badLevel.err).toMatch(/street.*(national|choices)/s);
    const user = cli(
      'user',
      'add',
      'cli-worker',
      '--org',
      '640104006',
      '--role',
      'caseworker',
      '--role',
      'auditor',
      '--password',
      'long-password-1',
    );
    expect(user.err).toBe('');
    expect(user.out).toContain('Added user cli-worker at 640104006 (caseworker, auditor).');
    const badRole = cli(
      'user',
      'add',
      'cli-x',
      '--org',
      '640104',
      '--role',
      'boss',
      '--password',
      'long-password-1',
    );
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('Unknown role boss');
  });

  it('sets and reads policy parameters, evaluates, simulates and lists exit candidates, each as one JSON object', async () => {
    const { writeFileSync } = await import('node:fs');
    const get = cli('policy', 'get', 'dibaoMonthly', '--org', '640104001', '--as-of', '2015-06-30', '--json');
    expect(get.err).toBe('');
    expect(JSON.parse(get.out)).toMatchObject({
      key: 'dibaoMonthly',
      value: 30_000,
      valueText: '300',
      org: '640100',
    });
    const set = cli(
      'policy',
      'set',
      'dibaoMonthly',
      '660',
      '--org',
      '640104',
      '--from',
      '2026-01-01',
      '--source',
      '测试文件',
    );
    expect(set.err).toBe('');
    expect(set.out).toContain('dibaoMonthly = 660 at 640104 from 2026-01-01.');
    const overlap = cli('policy', 'set', 'dibaoMonthly', '1', '--org', '640104', '--from', '2026-01-01');
    expect(overlap.code).toBe(1);
    expect(overlap.err).toContain('already has a version from 2026-01-01');
    const badValue = cli('policy', 'set', 'legacyMultiplier', 'x', '--org', '640104', '--from', '2026-01-01');
    expect(badValue.code).toBe(2);
    expect(badValue.err).toContain('legacyMultiplier takes a decimal');

    const evaluated = cli('evaluate', '--org', '640104001', '--as-of', '2026-06-30', '--json');
    expect(evaluated.err).toBe('');
    const report = JSON.parse(evaluated.out);
    expect(Object.keys(report)).toEqual(['evaluated', 'changed', 'byCategory']);
    expect(report.evaluated).toBeGreaterThan(0);
    expect(Object.values(report.byCategory as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
      report.evaluated,
    );

    const base = join(dataDir, 'base.json');
    const proposal = join(dataDir, 'proposal.json');
    writeFileSync(base, JSON.stringify({ ruleSet: 'legacy-2013' }));
    writeFileSync(proposal, JSON.stringify({ ruleSet: 'national-2016', parameters: { dibaoMonthly: 400 } }));
    const simulated = cli(
      'simulate',
      '--base',
      base,
      '--proposal',
      proposal,
      '--org',
      '640104',
      '--as-of',
      '2026-06-30',
      '--json',
    );
    expect(simulated.err).toBe('');
    const sim = JSON.parse(simulated.out);
    expect(Object.keys(sim)).toEqual(['population', 'base', 'proposal', 'entering', 'leaving']);
    expect(sim.population).toBeGreaterThan(0);
    // Who enters minus who leaves is the change in the number eligible.
    expect(sim.entering - sim.leaving).toBe(sim.proposal.eligible - sim.base.eligible);
    writeFileSync(
      proposal,
      JSON.stringify({ ruleSet: 'national-2016', parameters: { dibaoMonthly: 'lots' } }),
    );
    const badFile = cli('simulate', '--base', base, '--proposal', proposal, '--json');
    expect(badFile.code).toBe(2);
    expect(badFile.err).toContain('parameters.dibaoMonthly');

    const exits = cli('exits', '--as-of', '2026-06-30', '--json');
    expect(exits.err).toBe('');
    const list = JSON.parse(exits.out);
    expect(list).toMatchObject({ asOf: '2026-06-30' });
    expect(list.count).toBe(list.candidates.length);
    for (const c of list.candidates) expect(c.reasons.length).toBeGreaterThan(0);
  });

  it('imports a survey workbook and prints the report as one JSON object; a second import changes nothing', async () => {
    const file = join(dataDir, 'survey.xlsx');
    const head = residentId('640104', '1970-03-03', 301);
    await buildXlsx(file, [
      {
        name: '家庭',
        rows: [
          [
            '户主姓名',
            '户主身份证号',
            '所属工会',
            '户口类型',
            '是否农民工',
            '工资性收入',
            '主要致困原因',
            '调查日期',
          ],
          ['王大山', head, '640104001', '城镇', '否', 21600, '6', '2015-03-02'],
          ['无名', '123', '640104001', '城镇', '否', 100, '6', '2015-03-02'],
        ],
      },
      {
        name: '家庭成员',
        rows: [
          ['户主身份证号', '姓名', '身份证号', '与户主关系'],
          [head, '王小山', residentId('640104', '2001-01-01', 302), '子女'],
        ],
      },
    ]);
    const first = cli('import', 'survey', file, '--json');
    expect(first.err).toBe('');
    const report = JSON.parse(first.out);
    expect(Object.keys(report)).toEqual(['households', 'members', 'errors']);
    expect(report.households).toEqual({ imported: 1, updated: 0, rejected: 1 });
    expect(report.members).toEqual({ imported: 1, rejected: 0 });
    expect(report.errors).toEqual([
      expect.objectContaining({ sheet: '家庭', row: 3, column: '户主身份证号' }),
    ]);
    const second = JSON.parse(cli('import', 'survey', file, '--json').out);
    expect(second.households).toEqual({ imported: 0, updated: 0, rejected: 1 });
    expect(second.members).toEqual({ imported: 0, rejected: 0 });
  });

  it('imports an assistance ledger and prints the report as one JSON object; a second import changes nothing', async () => {
    const file = join(dataDir, 'ledger.xlsx');
    await buildXlsx(file, [
      {
        name: '发放记录',
        rows: [
          ['身份证号', '姓名', '帮扶类型', '金额', '发放日期', '资金来源'],
          [residentId('640104', '1966-06-06', 401), '周一', '生活救助', 600, '2015-02-02', '工会经费'],
          [residentId('640104', '1966-06-06', 402), '周二', '生活救助', -5, '2015-02-02', '工会经费'],
        ],
      },
    ]);
    const first = cli('import', 'ledger', file, '--org', '640104005', '--json');
    expect(first.err).toBe('');
    const report = JSON.parse(first.out);
    expect(report).toEqual({
      imported: 1,
      unchanged: 0,
      rejected: 1,
      errors: [expect.objectContaining({ sheet: '发放记录', row: 3, column: '金额' })],
    });
    expect(JSON.parse(cli('import', 'ledger', file, '--org', '640104005', '--json').out)).toMatchObject({
      imported: 0,
      unchanged: 1,
      rejected: 1,
    });
    const out = join(dataDir, 'ledger-export.xlsx');
    const exported = cli('export', 'ledger', '--org', '640104005', '--from', '2015-01-01', '--out', out);
    expect(exported.err).toBe('');
    expect(exported.out).toContain('Exported 1 payments');
  });

  it('stops at start-up on a wrong variable, naming it', () => {
    const res = spawnSync(process.execPath, [bin, 'migrate'], {
      env: { ...env, PORT: 'x' },
      encoding: 'utf8',
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('PORT="x"');
  });

  it.runIf(backend === 'pglite')(
    'refuses a second process on the embedded data directory, naming the holder, until it stops',
    async () => {
      const server: ChildProcess = spawn(process.execPath, [bin, 'serve'], { env: { ...env, PORT: '0' } });
      let output = '';
      server.stdout?.on('data', (d) => (output += d));
      server.stderr?.on('data', (d) => (output += d));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000);
        server.stdout?.on('data', () => {
          if (output.includes('is listening')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const blocked = cli('migrate');
      expect(blocked.code).toBe(2);
      // The command starts itself again with its heap flags (bin/niangjia.mjs): the holder is the
      // process it started.
      const holder = readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, 'utf8').trim();
      expect(holder).toMatch(/^\d+$/);
      expect(blocked.err).toContain(`is in use by process ${holder}`);
      expect(blocked.err).toContain('niangjia serve');
      const exited = new Promise<number | null>((r) => server.on('exit', (code) => r(code)));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      const after = cli('migrate');
      expect(after.err).toBe('');
      expect(after.out).toContain('The database is up to date.');
    },
  );
});
