import { CreateOrg, ORG_LEVELS, type OrgLevel } from '@niangjia/contracts';
import { Database, DataDirLockedError, MigrationError, migrate } from '@niangjia/db';
import { Command, Option } from 'commander';
import { type Config, ConfigError, loadConfig } from './config';
import { runDemo } from './demo';
import { hashPassword } from './modules/identity/passwords';
import { createUser } from './modules/identity/users';
import { createOrg } from './modules/orgs/service';
import { asOperator, createRootOrg, isRole, operatorName, operatorRunner, print, rootOrg } from './operator';
import { serve } from './serve';

/** Opens the database for one command (taking the embedded data directory), migrated. */
async function withDatabase<T>(
  config: Config,
  command: string,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const db = await Database.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    command,
    poolSize: 2,
  });
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

function program(): Command {
  const config = () => loadConfig();
  const cmd = new Command('niangjia')
    .description('niangjia 娘家: the workers’ service center platform')
    .showHelpAfterError();

  cmd
    .command('serve')
    .description('start the HTTP server (migrates the database first)')
    .option('--demo-if-empty', 'on an empty installation, create the demo world')
    .action(async (opts: { demoIfEmpty?: boolean }) => {
      await serve(config(), { demoIfEmpty: Boolean(opts.demoIfEmpty) });
    });

  cmd
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      await withDatabase(config(), 'niangjia migrate', async (db) => {
        const applied = await migrate(db);
        print(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      });
    });

  const org = cmd.command('org').description('organisations');
  org
    .command('add')
    .description('add an organisation (without --parent: the root, on an empty installation)')
    .argument('<code>', 'unique code, e.g. 640104')
    .argument('<name>', 'name, e.g. 兴庆区总工会')
    .addOption(new Option('--level <level>', 'level').choices(ORG_LEVELS).makeOptionMandatory())
    .option('--parent <code>', 'parent organisation code')
    .action(async (code: string, name: string, opts: { level: OrgLevel; parent?: string }) => {
      await withDatabase(config(), `niangjia org add ${code}`, async (db) => {
        if (!opts.parent) {
          if (await rootOrg(db))
            throw new UsageError('There is already a root organisation: give --parent CODE');
          const input = CreateOrg.pick({ code: true, name: true }).safeParse({ code, name });
          if (!input.success) throw new UsageError(input.error.issues.map((i) => i.message).join('; '));
          await db.system((tx) => createRootOrg(tx, { ...input.data, level: opts.level }, operatorName()));
        } else {
          const parentCode = opts.parent;
          await asOperator(db, (ctx) => createOrg(ctx, { code, name, level: opts.level, parentCode }));
        }
        print(`Added organisation ${code} ${name}.`);
      });
    });

  const user = cmd.command('user').description('users');
  user
    .command('add')
    .description('add a user at an organisation with one or more roles')
    .argument('<username>')
    .requiredOption('--org <code>', 'organisation code')
    .requiredOption('--role <role...>', 'role (repeat for several)')
    .requiredOption('--password <password>', 'initial password (at least 10 characters)')
    .option('--name <display name>', 'display name (default: the username)')
    .action(
      async (username: string, opts: { org: string; role: string[]; password: string; name?: string }) => {
        const bad = opts.role.filter((r) => !isRole(r));
        if (bad.length) throw new UsageError(`Unknown role ${bad.join(', ')}`);
        const { CreateUser } = await import('@niangjia/contracts');
        const input = CreateUser.safeParse({
          username,
          displayName: opts.name ?? username,
          orgCode: opts.org,
          roles: opts.role,
          password: opts.password,
        });
        if (!input.success) throw new UsageError(input.error.issues.map((i) => i.message).join('; '));
        await withDatabase(config(), `niangjia user add ${username}`, async (db) => {
          const passwordHash = await hashPassword(input.data.password);
          await asOperator(db, (ctx) =>
            createUser(ctx, input.data, passwordHash, { mustChangePassword: false }),
          );
          print(`Added user ${input.data.username} at ${opts.org} (${opts.role.join(', ')}).`);
        });
      },
    );

  cmd
    .command('demo')
    .description(
      'create the demo world (organisations of Yinchuan, one user per role at 640104, households of 640104 with their archive history since 2009, the assistance ledger of 2009-2014); idempotent',
    )
    .option('--seed <n>', 'seed of the generated households (the same seed and day give the same data)')
    .option('--no-ledger', 'leave out the assistance ledger of 2009-2014 (to import one instead)')
    .action(async (opts: { seed?: string; ledger: boolean }) => {
      const seed = opts.seed === undefined ? undefined : Number(opts.seed);
      if (seed !== undefined && !Number.isSafeInteger(seed)) throw new UsageError('--seed: a whole number');
      const c = config();
      await withDatabase(c, 'niangjia demo', async (db) => {
        const { bootstrap } = await import('./operator');
        await bootstrap(db, c);
        await runDemo(db, c, undefined, { seed, ledger: opts.ledger });
      });
    });

  const report = cmd.command('report').description('statistics computed from the records');
  report
    .command('archives')
    .description('peak number of archived households per year (Table 3 of the founding report)')
    .option('--org <code>', "only this organisation's subtree")
    .requiredOption('--from <year>', 'first year, e.g. 2009')
    .requiredOption('--to <year>', 'last year, included, e.g. 2014')
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: { org?: string; from: string; to: string; json?: boolean }) => {
      const { ArchivePeaksQuery } = await import('@niangjia/contracts');
      const input = ArchivePeaksQuery.safeParse({ from: opts.from, to: opts.to, org: opts.org });
      if (!input.success)
        throw new UsageError(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
      const { archivePeaks } = await import('./modules/registry/reports');
      await withDatabase(config(), 'niangjia report archives', async (db) => {
        const result = await operatorRunner(db)((ctx) => archivePeaks(ctx, input.data));
        if (opts.json) {
          print(JSON.stringify(result));
          return;
        }
        print(`Peak number of archived households per year${opts.org ? ` in ${opts.org}` : ''}:`);
        for (const r of result.rows) print(`  ${r.year}  ${String(r.peakArchived).padStart(6)}`);
      });
    });

  report
    .command('assistance')
    .description(
      'assistance per year: person-times and amounts from the ledger (Table 1 of the founding report)',
    )
    .option('--org <code>', "only payments of this organisation's subtree")
    .requiredOption('--from <year>', 'first year, e.g. 2009')
    .requiredOption('--to <year>', 'last year, included, e.g. 2014')
    .addOption(
      new Option('--by <dimension>', 'also per type of aid or per fund source').choices(['type', 'fund']),
    )
    .option('--json', 'print the report as one JSON object')
    .action(
      async (opts: { org?: string; from: string; to: string; by?: 'type' | 'fund'; json?: boolean }) => {
        const { AssistanceReportQuery, AID_TYPES, FUND_SOURCES } = await import('@niangjia/contracts');
        const input = AssistanceReportQuery.safeParse({ from: opts.from, to: opts.to, org: opts.org });
        if (!input.success)
          throw new UsageError(
            input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '),
          );
        const { assistanceReport } = await import('./modules/assistance/reports');
        await withDatabase(config(), 'niangjia report assistance', async (db) => {
          const result = await operatorRunner(db)((ctx) => assistanceReport(ctx, input.data));
          const by = opts.by === 'type' ? result.byType : opts.by === 'fund' ? result.byFund : undefined;
          if (opts.json) {
            const { rows, total, growth } = result;
            print(
              JSON.stringify(
                by
                  ? { rows, total, growth, [opts.by === 'type' ? 'byType' : 'byFund']: by }
                  : { rows, total, growth },
              ),
            );
            return;
          }
          const yuan = (fen: number) => (fen / 100).toFixed(2).padStart(14);
          const pct = (g: number | null) =>
            g === null ? '—' : `${g >= 0 ? '+' : ''}${(g * 100).toFixed(1)} %`;
          print(`Assistance per year${opts.org ? ` in ${opts.org}` : ''} (person-times, yuan):`);
          for (const r of result.rows)
            print(`  ${r.year}  ${String(r.personTimes).padStart(8)}  ${yuan(r.amountFen)}`);
          print(`  total ${String(result.total.personTimes).padStart(8)}  ${yuan(result.total.amountFen)}`);
          print(
            `  ${input.data.to} against ${input.data.from}: person-times ${pct(result.growth.personTimes)}, amount ${pct(result.growth.amount)}`,
          );
          if (by) {
            const table = opts.by === 'type' ? AID_TYPES : FUND_SOURCES;
            for (const r of by)
              print(
                `  ${r.year}  ${(table.find((e) => e.code === r.code)?.zh ?? r.code).padEnd(4, '　')}  ${String(r.personTimes).padStart(8)}  ${yuan(r.amountFen)}`,
              );
          }
        });
      },
    );

  const policy = cmd
    .command('policy')
    .description('identification policy: dated, regional parameters and rule sets');
  const zodUsage = (issues: { path: PropertyKey[]; message: string }[]) =>
    new UsageError(issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  policy
    .command('set')
    .description(
      'set a parameter of an organisation from a date (an open-ended earlier version ends the day before)',
    )
    .argument('<key>', 'parameter, e.g. dibaoMonthly')
    .argument('<value>', 'value as written: yuan (300), a ratio (1.5) or a count (5)')
    .requiredOption('--org <code>', 'organisation the value applies to (and those below it)')
    .requiredOption('--from <date>', 'first day in force, YYYY-MM-DD')
    .option('--to <date>', 'last day in force, YYYY-MM-DD (default: until another version)')
    .option('--source <text>', 'the document the value comes from')
    .action(
      async (
        key: string,
        value: string,
        opts: { org: string; from: string; to?: string; source?: string },
      ) => {
        const { SetParameter } = await import('@niangjia/contracts');
        const input = SetParameter.safeParse({
          key,
          value,
          org: opts.org,
          validFrom: opts.from,
          validTo: opts.to,
          source: opts.source,
        });
        if (!input.success) throw zodUsage(input.error.issues);
        const { setParameter } = await import('./modules/policy/service');
        await withDatabase(config(), `niangjia policy set ${key}`, async (db) => {
          const v = await operatorRunner(db)((ctx) => setParameter(ctx, input.data));
          print(
            `${v.key} = ${v.valueText} at ${v.org} from ${v.validFrom}${v.validTo ? ` to ${v.validTo}` : ''}.`,
          );
        });
      },
    );
  policy
    .command('get')
    .description(
      "the value of a parameter in force for an organisation on a date (its own or the nearest ancestor's)",
    )
    .argument('<key>', 'parameter, e.g. dibaoMonthly')
    .requiredOption('--org <code>', 'organisation')
    .option('--as-of <date>', 'date, YYYY-MM-DD (default: today in Shanghai)')
    .option('--json', 'print the version as one JSON object')
    .action(async (key: string, opts: { org: string; asOf?: string; json?: boolean }) => {
      const { ParameterKeySchema } = await import('@niangjia/contracts');
      const k = ParameterKeySchema.safeParse(key);
      if (!k.success)
        throw new UsageError(`Unknown parameter ${key}: ${ParameterKeySchema.options.join(', ')}`);
      const asOf = await asOfOption(opts.asOf);
      const { parameterInForce } = await import('./modules/policy/service');
      await withDatabase(config(), `niangjia policy get ${key}`, async (db) => {
        const v = await operatorRunner(db)((ctx) =>
          parameterInForce(ctx, { key: k.data, org: opts.org, asOf }),
        );
        if (opts.json) return print(JSON.stringify(v));
        print(
          `${v.key} = ${v.valueText} (${v.org} ${v.orgName}, ${v.validFrom} – ${v.validTo ?? ''}${v.source ? `; ${v.source}` : ''})`,
        );
      });
    });
  policy
    .command('history')
    .description("every version of the parameters that apply to an organisation (its own and its ancestors')")
    .argument('[key]', 'only this parameter')
    .requiredOption('--org <code>', 'organisation')
    .option('--json', 'print the versions as one JSON array')
    .action(async (key: string | undefined, opts: { org: string; json?: boolean }) => {
      const { ParameterKeySchema } = await import('@niangjia/contracts');
      const k = key === undefined ? undefined : ParameterKeySchema.safeParse(key);
      if (k && !k.success)
        throw new UsageError(`Unknown parameter ${key}: ${ParameterKeySchema.options.join(', ')}`);
      const { parameterHistory } = await import('./modules/policy/service');
      await withDatabase(config(), 'niangjia policy history', async (db) => {
        const versions = await operatorRunner(db)((ctx) => parameterHistory(ctx, opts.org, k?.data));
        if (opts.json) return print(JSON.stringify(versions));
        for (const v of versions)
          print(
            `${v.key.padEnd(31)} ${v.valueText.padStart(8)}  ${v.org.padEnd(10)} ${v.validFrom} – ${(v.validTo ?? '').padEnd(10)}  ${v.source ?? ''}`,
          );
      });
    });
  policy
    .command('rule-set')
    .description('choose the rule set (and its options) an organisation applies from a date')
    .argument('<rule-set>', 'legacy-2013 or national-2016')
    .requiredOption('--org <code>', 'organisation')
    .requiredOption('--from <date>', 'first day in force, YYYY-MM-DD')
    .option('--to <date>', 'last day in force, YYYY-MM-DD')
    .option(
      '--impute-min-wage',
      'count the minimum wage as the income of each healthy, unemployed member of working age not in school',
    )
    .option(
      '--apply-exclusions',
      'refuse a household with an exclusion (car, two homes…) whatever its income',
    )
    .option('--source <text>', 'the document of the decision')
    .action(
      async (
        ruleSet: string,
        opts: {
          org: string;
          from: string;
          to?: string;
          imputeMinWage?: boolean;
          applyExclusions?: boolean;
          source?: string;
        },
      ) => {
        const { SetRuleSet } = await import('@niangjia/contracts');
        const input = SetRuleSet.safeParse({
          ruleSet,
          org: opts.org,
          validFrom: opts.from,
          validTo: opts.to,
          source: opts.source,
          options: {
            imputeMinWage: Boolean(opts.imputeMinWage),
            applyExclusions: Boolean(opts.applyExclusions),
          },
        });
        if (!input.success) throw zodUsage(input.error.issues);
        const { setRuleSet } = await import('./modules/policy/service');
        await withDatabase(config(), 'niangjia policy rule-set', async (db) => {
          const v = await operatorRunner(db)((ctx) => setRuleSet(ctx, input.data));
          print(`${v.org} applies ${v.ruleSet} from ${v.validFrom}${v.validTo ? ` to ${v.validTo}` : ''}.`);
        });
      },
    );

  cmd
    .command('evaluate')
    .description('evaluate every household again under the policy in force, storing each decision')
    .option('--org <code>', "only this organisation's subtree")
    .option('--as-of <date>', 'date of the evaluation, YYYY-MM-DD (default: today in Shanghai)')
    .option('--json', 'print the report as one JSON object')
    .action(async (opts: { org?: string; asOf?: string; json?: boolean }) => {
      const asOf = await asOfOption(opts.asOf);
      const { evaluateAll } = await import('./modules/policy/evaluations');
      await withDatabase(config(), 'niangjia evaluate', async (db) => {
        const report = await evaluateAll(operatorRunner(db), {
          org: opts.org,
          asOf,
          onProgress: opts.json
            ? undefined
            : (done, total) => {
                process.stderr.write(`\r${done} / ${total}`);
              },
        });
        const { evaluated, changed, byCategory } = report;
        if (opts.json) return print(JSON.stringify({ evaluated, changed, byCategory }));
        process.stderr.write('\n');
        print(`Evaluated ${report.evaluated} households as of ${asOf}; ${report.changed} changed.`);
        for (const [category, n] of Object.entries(report.byCategory)) print(`  ${category.padEnd(16)} ${n}`);
      });
    });

  cmd
    .command('simulate')
    .description(
      'what-if: every household not exited, evaluated under a base policy and a proposal; nothing is written',
    )
    .requiredOption('--base <file>', 'the base policy, JSON: { "ruleSet", "parameters", "options" }')
    .requiredOption('--proposal <file>', 'the proposed policy, JSON, as the base')
    .option('--org <code>', "only this organisation's subtree")
    .option('--as-of <date>', 'date, YYYY-MM-DD (default: today in Shanghai)')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: { base: string; proposal: string; org?: string; asOf?: string; json?: boolean }) => {
      const { readFile } = await import('node:fs/promises');
      const { PolicyFile } = await import('@niangjia/contracts');
      const { formatFen } = await import('@niangjia/domain');
      const asOf = await asOfOption(opts.asOf);
      const policyFile = async (file: string) => {
        let json: unknown;
        try {
          json = JSON.parse(await readFile(file, 'utf8'));
        } catch (err) {
          throw new UsageError(`${file}: ${(err as Error).message}`);
        }
        const parsed = PolicyFile.safeParse(json);
        if (!parsed.success)
          throw new UsageError(
            `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'policy'}: ${i.message}`).join('; ')}`,
          );
        return parsed.data;
      };
      const base = await policyFile(opts.base);
      const proposal = await policyFile(opts.proposal);
      const { simulate } = await import('./modules/policy/simulation');
      await withDatabase(config(), 'niangjia simulate', async (db) => {
        const r = await simulate(operatorRunner(db), { base, proposal, org: opts.org, asOf });
        const side = (x: typeof r.base) => ({
          eligible: x.eligible,
          byCategory: x.byCategory,
          costFen: x.costFen,
        });
        if (opts.json)
          return print(
            JSON.stringify({
              population: r.population,
              base: side(r.base),
              proposal: side(r.proposal),
              entering: r.entering,
              leaving: r.leaving,
            }),
          );
        print(`Population as of ${asOf}: ${r.population} households not exited.`);
        for (const [name, x] of [
          ['Base', r.base],
          ['Proposal', r.proposal],
        ] as const)
          print(
            `${name.padEnd(9)} eligible ${String(x.eligible).padStart(7)}  living aid ${formatFen(x.costFen, 'en')} a year  ${JSON.stringify(x.byCategory)}`,
          );
        print(`Entering: ${r.entering}. Leaving: ${r.leaving}. Decisions that differ: ${r.changedCount}.`);
      });
    });

  cmd
    .command('exits')
    .description(
      "archived households the exit rules point at on a date, each with its reasons (exiting stays a person's step)",
    )
    .option('--org <code>', "only this organisation's subtree")
    .option('--as-of <date>', 'date, YYYY-MM-DD (default: today in Shanghai)')
    .option('--json', 'print the list as one JSON object')
    .action(async (opts: { org?: string; asOf?: string; json?: boolean }) => {
      const asOf = await asOfOption(opts.asOf);
      const { exitCandidates } = await import('./modules/policy/exits');
      await withDatabase(config(), 'niangjia exits', async (db) => {
        const { items: candidates, unavailable } = await exitCandidates(operatorRunner(db), {
          asOf,
          org: opts.org,
        });
        if (opts.json)
          return print(JSON.stringify({ asOf, count: candidates.length, candidates, unavailable }));
        for (const u of unavailable) print(`  ${u.message}`);
        print(`Exit candidates as of ${asOf}: ${candidates.length}.`);
        for (const c of candidates)
          print(
            `  ${c.headName.padEnd(6)} ${c.headIdNumber}  ${c.org}  archived ${c.archivedOn}  ${c.reasons
              .map((r) =>
                r.reason === 'time_limit'
                  ? `time limit passed ${r.dueOn}`
                  : `income above 低保 since ${r.since} (${r.months} months)`,
              )
              .join('; ')}`,
          );
      });
    });

  const imports = cmd.command('import').description('import exchange workbooks (.xlsx)');
  imports
    .command('survey')
    .description(
      'import a survey workbook 困难职工摸底调查表 (TEMPLATES.md §1): valid rows are saved, each bad one reported',
    )
    .argument('<file>', 'the .xlsx file')
    .option('--dry-run', 'check everything, save nothing')
    .option('--json', 'print the report as one JSON object')
    .action(async (file: string, opts: { dryRun?: boolean; json?: boolean }) => {
      const { existsSync } = await import('node:fs');
      if (!existsSync(file)) throw new UsageError(`No such file: ${file}`);
      const { importSurvey } = await import('./modules/registry/survey-import');
      const { todayInShanghai } = await import('@niangjia/domain');
      await withDatabase(config(), 'niangjia import survey', async (db) => {
        const report = await importSurvey(file, operatorRunner(db), {
          dryRun: Boolean(opts.dryRun),
          today: todayInShanghai(),
        });
        if (opts.json) {
          const { warnings: _w, ...rest } = report;
          print(JSON.stringify(rest));
          return;
        }
        const h = report.households;
        const m = report.members;
        print(
          `${opts.dryRun ? 'Dry run, nothing saved. ' : ''}Households: ${h.imported} imported, ${h.updated} updated, ${h.rejected} rejected.`,
        );
        print(`Members: ${m.imported} imported, ${m.rejected} rejected.`);
        for (const e of [...report.errors, ...report.warnings])
          print(`  ${e.sheet}${e.row ? ` row ${e.row}` : ''}${e.column ? ` ${e.column}` : ''}: ${e.message}`);
      });
    });

  imports
    .command('ledger')
    .description(
      'import an assistance ledger 帮扶救助发放台账 (TEMPLATES.md §2): valid rows are saved, each bad one reported; rows already in the ledger are left unchanged',
    )
    .argument('<file>', 'the .xlsx file')
    .option('--org <code>', 'the paying organisation of rows without 所属工会')
    .option('--dry-run', 'check everything, save nothing')
    .option('--json', 'print the report as one JSON object')
    .action(async (file: string, opts: { org?: string; dryRun?: boolean; json?: boolean }) => {
      const { existsSync } = await import('node:fs');
      if (!existsSync(file)) throw new UsageError(`No such file: ${file}`);
      const { importLedger } = await import('./modules/assistance/ledger-import');
      const { todayInShanghai } = await import('@niangjia/domain');
      await withDatabase(config(), 'niangjia import ledger', async (db) => {
        const report = await importLedger(file, operatorRunner(db), {
          dryRun: Boolean(opts.dryRun),
          today: todayInShanghai(),
          org: opts.org,
        });
        if (opts.json) {
          const { imported, unchanged, rejected, errors } = report;
          print(JSON.stringify({ imported, unchanged, rejected, errors }));
          return;
        }
        print(
          `${opts.dryRun ? 'Dry run, nothing saved. ' : ''}Payments: ${report.imported} imported, ${report.unchanged} unchanged, ${report.rejected} rejected; ${report.peopleCreated} people registered from the ledger.`,
        );
        for (const e of [...report.errors, ...report.warnings])
          print(`  ${e.sheet}${e.row ? ` row ${e.row}` : ''}${e.column ? ` ${e.column}` : ''}: ${e.message}`);
      });
    });

  const exports = cmd.command('export').description('export exchange workbooks (.xlsx)');
  exports
    .command('households')
    .description('export households to a survey workbook with exactly the import headers')
    .option('--org <code>', "only this organisation's subtree")
    .requiredOption('--out <file>', 'the .xlsx file to write')
    .action(async (opts: { org?: string; out: string }) => {
      const { exportSurvey } = await import('./modules/registry/survey-export');
      await withDatabase(config(), 'niangjia export households', async (db) => {
        const counts = await exportSurvey(opts.out, operatorRunner(db), { org: opts.org });
        print(`Exported ${counts.households} households and ${counts.members} members to ${opts.out}.`);
      });
    });

  exports
    .command('ledger')
    .description('export the assistance ledger (payments standing) with exactly the import headers')
    .option('--org <code>', "only this organisation's subtree")
    .option('--from <date>', 'paid on or after, YYYY-MM-DD')
    .option('--to <date>', 'paid on or before, YYYY-MM-DD')
    .option('--type <type>', 'type of aid (code or Chinese label)')
    .option('--fund <fund>', 'fund source (code or Chinese label)')
    .requiredOption('--out <file>', 'the .xlsx file to write')
    .action(
      async (opts: {
        org?: string;
        from?: string;
        to?: string;
        type?: string;
        fund?: string;
        out: string;
      }) => {
        const { LedgerQuery, AID_TYPES, FUND_SOURCES } = await import('@niangjia/contracts');
        const code = (table: readonly { code: string; zh: string }[], v?: string) =>
          v === undefined ? undefined : (table.find((e) => e.zh === v)?.code ?? v);
        const input = LedgerQuery.safeParse({
          org: opts.org,
          from: opts.from,
          to: opts.to,
          aidType: code(AID_TYPES, opts.type),
          fundSource: code(FUND_SOURCES, opts.fund),
        });
        if (!input.success)
          throw new UsageError(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const { exportLedger } = await import('./modules/assistance/ledger');
        await withDatabase(config(), 'niangjia export ledger', async (db) => {
          const counts = await exportLedger(opts.out, operatorRunner(db), input.data);
          print(`Exported ${counts.payments} payments to ${opts.out}.`);
        });
      },
    );

  cmd
    .command('openapi')
    .description('write the OpenAPI document')
    .option('--out <file>', 'file to write (default: standard output)')
    .action(async (opts: { out?: string }) => {
      const { writeOpenApi } = await import('./openapi');
      await writeOpenApi(opts.out);
    });
  return cmd;
}

class UsageError extends Error {}

/** The `--as-of` option: a calendar date, today in Shanghai when it is not given. */
async function asOfOption(value: string | undefined): Promise<string> {
  const { isCalendarDate, todayInShanghai } = await import('@niangjia/domain');
  const asOf = value ?? todayInShanghai();
  if (!isCalendarDate(asOf)) throw new UsageError(`--as-of: not a date YYYY-MM-DD: ${asOf}`);
  return asOf;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (
      err instanceof ConfigError ||
      err instanceof DataDirLockedError ||
      err instanceof UsageError ||
      err instanceof MigrationError
    ) {
      console.error(err.message);
      process.exit(2);
    }
    const e = err as { code?: string; status?: number; message?: string };
    // An AppError from a service: the operator's input was refused.
    if (typeof e.status === 'number' && e.status < 500) {
      console.error(`Refused: ${e.message}`);
      process.exit(1);
    }
    console.error(err);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.ts')) {
  await main(process.argv);
}
