import { permissionsOf, SetParameter, SetRuleSet } from '@niangjia/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../src/http/context';
import {
  parameterHistory,
  parameterInForce,
  parametersInForce,
  ruleSetInForce,
  setParameter,
  setRuleSet,
} from '../src/modules/policy/service';
import { asOperator } from '../src/operator';
import { type TestApp, testApp } from './harness';

/**
 * Policy parameters and rule sets as dated, regional data: the value in force is the
 * organisation's own or its nearest ancestor's on the date; versions never overlap; every change
 * is audited; a user sees the values that apply to them but sets only those of their subtree.
 */
let t: TestApp;
const asRoot = <T>(fn: (ctx: Ctx) => Promise<T>) => asOperator(t.db, fn);

/** A runner acting as a manager of one organisation (its subtree is the scope). */
async function scopedTo(code: string) {
  const org = await t.db.kysely
    .selectFrom('orgs')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  const actor = {
    userId: '',
    username: `test-${code}`,
    displayName: code,
    orgId: org.id,
    orgCode: org.code,
    orgName: org.name,
    orgLevel: org.level,
    orgPath: org.path,
    roles: ['manager' as const],
    permissions: permissionsOf(['manager']),
    mustChangePassword: false,
    sessionTokenHash: '',
  };
  return <T>(fn: (ctx: Ctx) => Promise<T>) =>
    t.db.scoped({ userId: '', orgPath: org.path }, (tx) =>
      fn({ tx, actor, requestId: 'test', clientAddress: null }),
    );
}

const set = (input: Record<string, unknown>) => asRoot((ctx) => setParameter(ctx, SetParameter.parse(input)));
const get = (key: 'dibaoMonthly' | 'legacyMultiplier', org: string, asOf: string) =>
  asRoot((ctx) => parameterInForce(ctx, { key, org, asOf }));

beforeAll(async () => {
  t = await testApp({}, { households: false, policy: false });
  await set({ key: 'dibaoMonthly', value: '300', org: '640100', validFrom: '2013-01-01', source: '示例' });
  await set({ key: 'dibaoMonthly', value: '330', org: '640100', validFrom: '2015-07-01' });
  await set({
    key: 'dibaoMonthly',
    value: '350.5',
    org: '640104',
    validFrom: '2016-01-01',
    validTo: '2016-12-31',
  });
  await set({
    key: 'legacyMultiplier',
    value: '1.5',
    org: '640000',
    validFrom: '2013-01-01',
    source: '宁工办发[2013]39号',
  });
});
afterAll(() => t?.close());

describe('the value in force', () => {
  it('is the organisation’s own version on the date, else the nearest ancestor’s', async () => {
    const at = async (org: string, day: string) => {
      const v = await get('dibaoMonthly', org, day);
      return [v.valueText, v.value, v.org];
    };
    expect(await at('640104001', '2014-01-01')).toEqual(['300', 30_000, '640100']);
    expect(await at('640104001', '2015-06-30')).toEqual(['300', 30_000, '640100']);
    expect(await at('640104001', '2015-07-01')).toEqual(['330', 33_000, '640100']);
    expect(await at('640104001', '2016-12-31')).toEqual(['350.5', 35_050, '640104']);
    expect(await at('640104001', '2017-01-01')).toEqual(['330', 33_000, '640100']);
    // A sibling district never sees 640104's own line.
    expect(await at('640105', '2016-06-01')).toEqual(['330', 33_000, '640100']);
  });

  it('says clearly when there is none', async () => {
    await expect(get('dibaoMonthly', '640104', '2012-12-31')).rejects.toMatchObject({
      code: 'not_found',
      message: 'No value of dibaoMonthly is in force for 640104 on 2012-12-31',
    });
  });

  it('gives every parameter in force at once, as the rule sets read them', async () => {
    const org = await t.db.kysely
      .selectFrom('orgs')
      .select('id')
      .where('code', '=', '640104001')
      .executeTakeFirstOrThrow();
    const p = await asRoot((ctx) => parametersInForce(ctx, org.id, '2016-03-01'));
    expect(p.dibaoMonthly).toMatchObject({ value: 35_050, orgCode: '640104', validFrom: '2016-01-01' });
    expect(p.legacyMultiplier).toMatchObject({
      value: 15_000,
      orgCode: '640000',
      source: '宁工办发[2013]39号',
    });
    expect(p.relativeMultiplier).toBeUndefined();
  });
});

describe('versions', () => {
  it('closes the open-ended version a new one starts inside, and audits both changes', async () => {
    const history = async () =>
      (await asRoot((ctx) => parameterHistory(ctx, '640100', 'dibaoMonthly'))).map((v) => [
        v.org,
        v.valueText,
        v.validFrom,
        v.validTo,
      ]);
    expect(await history()).toEqual([
      ['640100', '330', '2015-07-01', null],
      ['640100', '300', '2013-01-01', '2015-06-30'],
    ]);
    const entries = await t.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'entity', 'changes'])
      .where('entity', '=', 'policy_parameter')
      .orderBy('id')
      .execute();
    expect(entries.map((e) => e.action)).toEqual(['create', 'update', 'create', 'create', 'create']);
    expect(entries[1]?.changes).toEqual({ validTo: { before: null, after: '2015-06-30' } });
    expect(entries[0]?.changes).toMatchObject({
      value: { before: null, after: 30_000 },
      source: { after: '示例' },
    });
  });

  it('lets a version with an end interrupt an open-ended one: the old value comes back the day after', async () => {
    await set({ key: 'dibaoMonthly', value: '400', org: '640105', validFrom: '2014-01-01' });
    await set({
      key: 'dibaoMonthly',
      value: '450',
      org: '640105',
      validFrom: '2016-01-01',
      validTo: '2016-12-31',
    });
    const own = (await asRoot((ctx) => parameterHistory(ctx, '640105', 'dibaoMonthly')))
      .filter((v) => v.org === '640105')
      .map((v) => [v.valueText, v.validFrom, v.validTo]);
    expect(own).toEqual([
      ['400', '2017-01-01', null],
      ['450', '2016-01-01', '2016-12-31'],
      ['400', '2014-01-01', '2015-12-31'],
    ]);
    expect((await get('dibaoMonthly', '640105', '2017-06-01')).valueText).toBe('400');
  });

  it('refuses a version that overlaps another, naming it, and changes nothing', async () => {
    const before = await t.db.kysely.selectFrom('policy_parameters').selectAll().execute();
    // Inside the district's closed 2016 version.
    await expect(
      set({ key: 'dibaoMonthly', value: '360', org: '640104', validFrom: '2016-06-01' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message:
        'dibaoMonthly of 640104 already has a version from 2016-01-01 to 2016-12-31 that overlaps 2016-06-01',
    });
    // The same first day as an existing version.
    await expect(
      set({ key: 'dibaoMonthly', value: '360', org: '640100', validFrom: '2015-07-01' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    // Before an open-ended version, reaching into it.
    await expect(
      set({
        key: 'dibaoMonthly',
        value: '290',
        org: '640100',
        validFrom: '2012-01-01',
        validTo: '2013-01-01',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await t.db.kysely.selectFrom('policy_parameters').selectAll().execute()).toEqual(before);
  });

  it('takes values as people write them, exactly, and refuses what is not one', () => {
    expect(
      SetParameter.safeParse({ key: 'dibaoMonthly', value: '312.5', org: '640104', validFrom: '2020-01-01' })
        .success,
    ).toBe(true);
    const bad = (key: string, value: string) =>
      SetParameter.safeParse({ key, value, org: '640104', validFrom: '2020-01-01' }).error?.issues.map(
        (i) => i.message,
      );
    expect(bad('dibaoMonthly', '312.555')).toEqual([
      'dibaoMonthly takes an amount in yuan with at most two decimals, e.g. 300 or 312.50',
    ]);
    expect(bad('legacyMultiplier', '-1')).toEqual([
      'legacyMultiplier takes a decimal with at most four decimals, e.g. 1.5 or 0.8',
    ]);
    expect(bad('publicityWorkingDays', '5.5')).toEqual(['publicityWorkingDays takes a whole number, e.g. 5']);
    expect(bad('noSuchKey', '1')).toHaveLength(1);
  });
});

describe('history', () => {
  it('lets the application close a version but never change one', async () => {
    const version = await t.db.kysely
      .selectFrom('policy_parameters')
      .select('id')
      .where('key', '=', 'dibaoMonthly')
      .where('valid_to', 'is not', null)
      .executeTakeFirstOrThrow();
    await expect(
      asRoot((ctx) =>
        ctx.tx.updateTable('policy_parameters').set({ value: 1 }).where('id', '=', version.id).execute(),
      ),
    ).rejects.toThrow(/may only be closed/);
    await expect(
      asRoot((ctx) =>
        ctx.tx
          .updateTable('policy_parameters')
          .set({ valid_to: '2030-01-01' })
          .where('id', '=', version.id)
          .execute(),
      ),
    ).rejects.toThrow(/may only be closed/);
  });
});

describe('scope', () => {
  it('lets a district read the values set above it and set only its own', async () => {
    const xq = await scopedTo('640104');
    const v = await xq((ctx) =>
      parameterInForce(ctx, { key: 'dibaoMonthly', org: '640104001', asOf: '2015-08-01' }),
    );
    expect([v.valueText, v.org, v.orgName]).toEqual(['330', '640100', '银川市总工会']);
    // The city is outside its subtree: as if it did not exist.
    await expect(
      xq((ctx) =>
        setParameter(
          ctx,
          SetParameter.parse({ key: 'dibaoMonthly', value: '1', org: '640100', validFrom: '2030-01-01' }),
        ),
      ),
    ).rejects.toMatchObject({ code: 'not_found' });
    const own = await xq((ctx) =>
      setParameter(
        ctx,
        SetParameter.parse({ key: 'minWageMonthly', value: '1100', org: '640104', validFrom: '2012-04-01' }),
      ),
    );
    expect(own).toMatchObject({ value: 110_000, org: '640104' });
    // Another district sees neither 640104's versions nor its history.
    const xx = await scopedTo('640105');
    expect((await xx((ctx) => parameterHistory(ctx, '640105'))).map((h) => h.org)).not.toContain('640104');
    await expect(xx((ctx) => parameterHistory(ctx, '640104'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('rule sets', () => {
  it('are chosen per organisation from a date, with their options, inherited below', async () => {
    const choose = (input: Record<string, unknown>) =>
      asRoot((ctx) => setRuleSet(ctx, SetRuleSet.parse(input)));
    await choose({
      ruleSet: 'legacy-2013',
      org: '640000',
      validFrom: '2013-01-01',
      source: '宁工办发[2013]39号',
    });
    await choose({
      ruleSet: 'national-2016',
      org: '640000',
      validFrom: '2016-01-01',
      options: { imputeMinWage: true, applyExclusions: true },
    });
    const org = await t.db.kysely
      .selectFrom('orgs')
      .select('id')
      .where('code', '=', '640104001')
      .executeTakeFirstOrThrow();
    const at = (day: string) => asRoot((ctx) => ruleSetInForce(ctx, org.id, day));
    expect(await at('2012-12-31')).toBeUndefined();
    expect(await at('2015-12-31')).toMatchObject({
      ruleSet: 'legacy-2013',
      validTo: '2015-12-31',
      options: { imputeMinWage: false, applyExclusions: false },
    });
    expect(await at('2016-01-01')).toMatchObject({
      ruleSet: 'national-2016',
      org: '640000',
      options: { imputeMinWage: true, applyExclusions: true },
    });
    expect(
      SetRuleSet.safeParse({ ruleSet: 'national-2020', org: '640000', validFrom: '2020-01-01' }).success,
    ).toBe(false);
  });
});
