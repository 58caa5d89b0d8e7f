// The survey import benchmark (issue 3): a 100,000-household workbook (one member each) imported
// with `niangjia import survey FILE --json`, as an operator would, on the embedded database and on
// the PostgreSQL server. Measured: wall time of the command and its peak resident memory (VmHWM of
// the process, which holds the embedded database's worker too). Target: under 60 s and 1 GiB.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sampleHousehold, sampleMember } from '../apps/server/src/modules/registry/workbook/generate';
import { SURVEY_HOUSEHOLDS, SURVEY_MEMBERS } from '../apps/server/src/modules/registry/workbook/sheet-spec';
import { writeWorkbook } from '../apps/server/src/modules/registry/workbook/writer';
import { checkCharacter } from '../packages/domain/src/index';
import { type Benchmark, round2, table } from './lib';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'apps/server/bin/niangjia.mjs');
const SERVER_URL = process.env.NIANGJIA_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MiB = 2 ** 20;
/** Divisions of Ningxia the demo's people do not come from: the file's numbers are nobody's on record. */
const HEAD_DIVISIONS = ['640205', '640221'] as const;
const MEMBER_DIVISION = '640381';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红建国志海波宁夏回兰凤花荣梅琴云飞鹏辉斌龙';

/** A Chinese name of two or three characters, as the survey's people have (the list's name search works on them). */
function chineseName(i: number): string {
  const given = GIVEN[(i * 7) % GIVEN.length] as string;
  return `${SURNAMES[i % SURNAMES.length]}${given}${i % 3 === 0 ? '' : GIVEN[(i * 13 + 5) % GIVEN.length]}`;
}

/** A resident ID number unique to (kind, i): 1,000 sequence numbers per birth date. */
function uniqueId(division: string, firstBirth: string, i: number): string {
  const birth = new Date(`${firstBirth}T00:00:00Z`);
  birth.setUTCDate(birth.getUTCDate() + Math.floor(i / 1000));
  const first17 = `${division}${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(i % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

function* households(n: number) {
  for (let i = 0; i < n; i++)
    yield {
      ...sampleHousehold(i),
      headName: chineseName(i),
      headIdNumber: uniqueId(HEAD_DIVISIONS[i % 2] as string, '1955-01-01', i),
      orgCode: `64010400${1 + (i % 5)}`,
    };
}

function* members(n: number) {
  for (let i = 0; i < n; i++)
    yield {
      ...sampleMember(i),
      name: chineseName(i + 7),
      headIdNumber: uniqueId(HEAD_DIVISIONS[i % 2] as string, '1955-01-01', i),
      idNumber: uniqueId(MEMBER_DIVISION, '1980-01-01', i),
    };
}

/** The benchmark's workbook: `count` households of new people, one new member each. */
export async function writeSurveyWorkbook(file: string, count: number): Promise<void> {
  await writeWorkbook(file, [
    { spec: SURVEY_HOUSEHOLDS, rows: households(count) },
    { spec: SURVEY_MEMBERS, rows: members(count) },
  ]);
}

interface Run {
  seconds: number;
  peakRssMiB: number;
  /** CPU time of the command's process (all its threads), user + system, as last sampled. */
  cpuSeconds: number;
  report: { households: Record<string, number>; members: Record<string, number>; errors: unknown[] };
}

/** Runs the CLI, polling its peak resident set (VmHWM) and its CPU time until it exits. */
async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  let peak = 0;
  let cpuTicks = 0;
  // The command starts itself again with its heap flags (bin/niangjia.mjs): what is measured is
  // the process doing the work, the one child of the first, once it is there.
  let worker: number | undefined;
  const poll = setInterval(async () => {
    worker ??= Number(
      (await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').catch(() => '')).trim() ||
        Number.NaN,
    );
    if (Number.isNaN(worker)) worker = undefined;
    const pid = worker ?? child.pid;
    const hwm = async (p: number | undefined) =>
      Number(/VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${p}/status`, 'utf8').catch(() => ''))?.[1] ?? 0);
    // Both processes' peaks added (the first one only waits, about 50 MiB): at least the real peak.
    const kb = worker ? (await hwm(worker)) + (await hwm(child.pid)) : await hwm(child.pid);
    peak = Math.max(peak, kb * 1024);
    // /proc/PID/stat: utime and stime are fields 14 and 15, counted after the command's name.
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    if (worker && ticks > cpuTicks) cpuTicks = ticks;
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`niangjia ${args.join(' ')} exited with ${code}: ${err || out}`);
  const lines = out.trim().split('\n');
  // Clock ticks are 100 a second on Linux (getconf CLK_TCK).
  return {
    seconds,
    peakRssMiB: peak / MiB,
    cpuSeconds: cpuTicks / 100,
    report: JSON.parse(lines.at(-1) as string),
  };
}

export const surveyImport: Benchmark = {
  name: 'survey-import',
  description: 'survey workbook import: 100,000 households + 100,000 members, CLI, both back ends',
  async run({ quick, log }) {
    const count = quick ? 10_000 : 100_000;
    const dir = await mkdtemp(join(tmpdir(), 'niangjia-bench-import-'));
    const file = join(dir, 'survey.xlsx');
    const rows: (string | number)[][] = [];
    const figures: Record<string, unknown> = {};
    const targets: Awaited<ReturnType<Benchmark['run']>>['targets'] = [];
    try {
      log(`writing a workbook of ${count} households and ${count} members`);
      await writeSurveyWorkbook(file, count);
      const size = (await stat(file)).size;
      figures.fileMiB = round2(size / MiB);

      const dbName = 'niangjia_bench_import';
      const admin = new pg.Client({ connectionString: SERVER_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.query(`create database ${dbName}`);
      await admin.end();
      const serverUrl = new URL(SERVER_URL);
      serverUrl.pathname = `/${dbName}`;

      const backends = [
        { name: 'PGlite (embedded)', env: { NIANGJIA_DATA_DIR: join(dir, 'data') } },
        { name: 'PostgreSQL server', env: { DATABASE_URL: serverUrl.toString() } },
      ];
      for (const backend of backends) {
        const env = { ...process.env, NIANGJIA_ADMIN_PASSWORD: 'bench-admin-password', ...backend.env };
        delete env.DATABASE_URL;
        Object.assign(env, backend.env);
        log(`${backend.name}: migrate and set up the demo organisations`);
        await runSetup(['demo'], env);
        for (const pass of ['first import', 'second import (same file)'] as const) {
          log(`${backend.name}: ${pass}`);
          const r = await runCli(['import', 'survey', file, '--json'], env);
          log(
            `  ${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB: ${JSON.stringify(r.report.households)}`,
          );
          rows.push([
            backend.name,
            pass,
            r.report.households.imported ?? 0,
            r.report.members.imported ?? 0,
            r.report.errors.length,
            r.seconds.toFixed(1),
            r.cpuSeconds.toFixed(1),
            r.peakRssMiB.toFixed(0),
          ]);
          figures[`${backend.name} · ${pass}`] = {
            seconds: round2(r.seconds),
            cpuSeconds: round2(r.cpuSeconds),
            peakRssMiB: Math.round(r.peakRssMiB),
            households: r.report.households,
            members: r.report.members,
            errors: r.report.errors.length,
          };
          if (pass === 'first import') {
            if (r.report.households.imported !== count || r.report.members.imported !== count)
              throw new Error(
                `${backend.name}: expected ${count} households and members, got ${JSON.stringify(r.report)}`,
              );
            targets.push(
              {
                name: `${backend.name}: import time`,
                threshold: '< 60 s',
                measured: `${r.seconds.toFixed(1)} s`,
                met: r.seconds < 60,
              },
              {
                name: `${backend.name}: peak memory`,
                threshold: '< 1024 MiB',
                measured: `${r.peakRssMiB.toFixed(0)} MiB`,
                met: r.peakRssMiB < 1024,
              },
            );
          }
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return {
      backend: 'PGlite (embedded) and PostgreSQL server',
      parameters: { households: count, members: count },
      figures,
      targets,
      markdown: [
        `A workbook of ${count.toLocaleString('en')} households and ${count.toLocaleString('en')} members ` +
          `(${figures.fileMiB} MiB), imported with \`niangjia import survey FILE --json\` into a fresh database ` +
          'holding the demo organisations, then imported again (nothing changes). Time is the whole command ' +
          "(start, migrations check, reading the file and writing its rows); memory is the process's peak resident set " +
          "(VmHWM; the command starts itself again with its heap flags, and the two processes' peaks are added), " +
          'which includes the embedded database when it is used. CPU is the time the working process used on all ' +
          'its threads (with the embedded database, its worker thread too; the server does its work in its own ' +
          'processes): against the wall time, it says how much of the import waited for the database.',
        '',
        table(
          [
            'back end',
            'run',
            'households imported',
            'members imported',
            'errors',
            'seconds',
            'CPU s (process)',
            'peak RSS MiB',
          ],
          rows,
        ),
      ].join('\n'),
    };
  },
};

async function runSetup(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`niangjia ${args.join(' ')} exited with ${code}: ${err}`);
}
