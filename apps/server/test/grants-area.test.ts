import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdInput } from './factories';
import { backend, type TestApp, testApp } from './harness';

let t: TestApp;
let manager: string;
beforeAll(async () => {
  t = await testApp();
  manager = await t.login('xq-manager');
});
afterAll(() => t?.close());

const api = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { cookie: manager },
    ...(payload === undefined ? {} : { payload }),
  });

async function archivedHousehold(orgCode: string) {
  const res = await api('POST', '/households', householdInput(orgCode));
  expect(res.statusCode, res.body).toBe(201);
  await t.db.kysely
    .updateTable('archives')
    .set({ status: 'archived', category: 'deep', archived_on: '2014-06-01' })
    .where('id', '=', res.json().archiveId)
    .execute();
  return (await api('GET', `/households/${res.json().id}`)).json().head.id as string;
}

describe(`a program's area on ${backend}`, () => {
  it("proposes only to households of the program's organisation and below, whatever the filters say", async () => {
    const inside = await archivedHousehold('640104001');
    const outside = await archivedHousehold('640104002');
    await api('PUT', '/assistance/funds', {
      org: '640104001',
      source: 'union_dues',
      year: 2015,
      budgetFen: 1_000_000,
    });
    const program = await api('POST', '/assistance/programs', {
      org: '640104001',
      name: '环卫工会2015年送温暖',
      aidType: 'festival',
      startsOn: '2015-01-01',
      endsOn: '2015-12-31',
      fundSources: ['union_dues'],
      defaultAmountFen: 30_000,
    });
    expect(program.statusCode, program.body).toBe(201);
    const id = program.json().id;
    const refused = await api('POST', '/assistance/grants', { programId: id, personId: outside });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.code).toBe('outside_program');
    // The district's filter still gives only the union's households.
    const batch = await api('POST', '/assistance/grants/batch', {
      programId: id,
      filters: { org: '640104' },
    });
    expect(batch.json()).toMatchObject({ matched: 1, proposed: 1 });
    const grants = (await api('GET', `/assistance/grants?programId=${id}`)).json();
    expect(grants.items.map((g: { personId: string }) => g.personId)).toEqual([inside]);
  });
});

describe(`caps across organisations on ${backend}`, () => {
  it("counts what the district granted when a union below it proposes: the cap is the household's", async () => {
    const admin = await t.login('admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: admin },
      payload: {
        username: 'hw-manager',
        displayName: '环卫工会主席',
        orgCode: '640104001',
        roles: ['manager'],
        password: 'union-manager-password',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    await t.db.kysely
      .updateTable('users')
      .set({ must_change_password: false })
      .where('username', '=', 'hw-manager')
      .execute();
    const union = await t.login('hw-manager', 'union-manager-password');
    const person = await archivedHousehold('640104001');
    // The district gives the household 10 of its 12 months of 低保 (deep: 3,600 yuan a year).
    await api('PUT', '/assistance/funds', {
      org: '640104',
      source: 'local_finance',
      year: 2016,
      budgetFen: 10_000_000,
    });
    const district = (
      await api('POST', '/assistance/programs', {
        org: '640104',
        name: '2016年生活救助',
        aidType: 'living',
        startsOn: '2016-01-01',
        endsOn: '2016-12-31',
        fundSources: ['local_finance'],
      })
    ).json().id;
    expect(
      (await api('POST', '/assistance/grants', { programId: district, personId: person, amountFen: 300_000 }))
        .statusCode,
    ).toBe(201);
    // The union, which cannot see the district's grant, proposes living aid too: 600 yuan are left.
    const asUnion = (method: 'POST' | 'PUT', url: string, payload: unknown) =>
      t.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: union }, payload });
    await asUnion('PUT', '/assistance/funds', {
      org: '640104001',
      source: 'union_dues',
      year: 2016,
      budgetFen: 1_000_000,
    });
    const own = (
      await asUnion('POST', '/assistance/programs', {
        org: '640104001',
        name: '环卫工会2016年生活救助',
        aidType: 'living',
        startsOn: '2016-01-01',
        endsOn: '2016-12-31',
        fundSources: ['union_dues'],
      })
    ).json().id;
    const grant = await asUnion('POST', '/assistance/grants', { programId: own, personId: person });
    expect(grant.statusCode, grant.body).toBe(201);
    expect(grant.json()).toMatchObject({ amountFen: 60_000, capFen: 60_000 });
  });
});

describe(`changing an amount on ${backend}`, () => {
  it('checks the cap as it stands now, and whoever changed the amount may not approve it', async () => {
    const person = await archivedHousehold('640104001');
    await api('PUT', '/assistance/funds', {
      org: '640104',
      source: 'donation',
      year: 2017,
      budgetFen: 10_000_000,
    });
    const program = async (name: string) =>
      (
        await api('POST', '/assistance/programs', {
          org: '640104',
          name,
          aidType: 'living',
          startsOn: '2017-01-01',
          endsOn: '2017-12-31',
          fundSources: ['donation'],
        })
      ).json().id;
    const first = (
      await api('POST', '/assistance/grants', {
        programId: await program('2017年生活救助（一）'),
        personId: person,
        amountFen: 100_000,
      })
    ).json();
    const second = (
      await api('POST', '/assistance/grants', {
        programId: await program('2017年生活救助（二）'),
        personId: person,
      })
    ).json();
    expect(second.amountFen).toBe(260_000);
    // The first grant's stored cap (3,600 yuan) no longer holds: 1,000 yuan are left for it.
    const over = await api('PUT', `/assistance/grants/${first.id}/amount`, { amountFen: 360_000 });
    expect(over.json().error.details).toMatchObject({ code: 'over_cap', capFen: 100_000 });
    const admin = await t.login('xq-admin');
    const changed = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/assistance/grants/${first.id}/amount`,
      headers: { cookie: admin },
      payload: { amountFen: 90_000 },
    });
    expect(changed.json()).toMatchObject({ amountFen: 90_000, capFen: 100_000 });
    const ownChange = await t.app.inject({
      method: 'POST',
      url: `/api/v1/assistance/grants/${first.id}/approve`,
      headers: { cookie: admin },
      payload: {},
    });
    expect(ownChange.json().error.details.code).toBe('own_proposal');
  });
});
