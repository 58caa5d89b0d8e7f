import { readFile } from 'node:fs/promises';
import { XLSX_MEDIA_TYPE } from '@niangjia/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../src/jobs/handlers';
import { JobRunner } from '../src/jobs/runner';
import { readAll, SURVEY_WORKBOOK } from '../src/modules/registry/workbook';
import { buildXlsx, scratchDir } from '../src/modules/registry/workbook/test-workbooks';
import { residentId } from './factories';
import { type TestApp, testApp } from './harness';

let t: TestApp;
let dir: Awaited<ReturnType<typeof scratchDir>>;
let caseworker: string;
let runner: JobRunner;
beforeAll(async () => {
  t = await testApp();
  dir = await scratchDir();
  caseworker = await t.login('xq-caseworker');
  runner = new JobRunner(t.db, jobHandlers);
});
afterAll(async () => {
  await dir?.remove();
  await t?.close();
});

const HOUSEHOLD_HEADERS = [
  '户主姓名',
  '户主身份证号',
  '所属工会',
  '户口类型',
  '是否农民工',
  '工资性收入',
  '主要致困原因',
  '调查日期',
];
const MEMBER_HEADERS = ['户主身份证号', '姓名', '身份证号', '与户主关系'];
const head1 = residentId('640104', '1971-01-11', 601);
const head2 = residentId('640104', '1972-02-12', 602);
const child = residentId('640104', '2004-04-14', 603);

async function upload(file: string, cookie = caseworker, filename = 'survey.xlsx') {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/imports/survey?filename=${encodeURIComponent(filename)}`,
    headers: { cookie, 'content-type': XLSX_MEDIA_TYPE },
    payload: await readFile(file),
  });
}

/** Runs queued jobs until none is left, then answers the job as the page would see it. */
async function finished(jobId: string, cookie = caseworker) {
  while (await runner.runOnce()) {}
  const res = await t.app.inject({ url: `/api/v1/jobs/${jobId}`, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function householdCount(cookie = caseworker): Promise<number> {
  const res = await t.app.inject({ url: '/api/v1/households?pageSize=100', headers: { cookie } });
  return res.json().items.length;
}

describe('survey import from the browser: upload, preview, import', () => {
  let uploadId: string;

  it('previews an upload as a dry run: every problem by sheet, row and column, nothing saved', async () => {
    const file = await buildXlsx(dir.path('ui.xlsx'), [
      {
        name: '家庭',
        rows: [
          HOUSEHOLD_HEADERS,
          ['周一', head1, '640104001', '城镇', '否', 20000, '1', '2016-05-05'],
          // Row 3: an unknown organisation and a date in the future.
          ['吴二', head2, '640104999', '城镇', '否', 20000, '1', '2099-01-01'],
        ],
      },
      { name: '家庭成员', rows: [MEMBER_HEADERS, [head1, '周小一', child, '子女']] },
    ]);
    const before = await householdCount();
    const res = await upload(file);
    expect(res.statusCode, res.body).toBe(202);
    ({ uploadId } = res.json());
    const job = await finished(res.json().jobId);
    expect(job.status).toBe('succeeded');
    expect(job.progress.fraction).toBe(1);
    expect(job.result).toMatchObject({
      uploadId,
      filename: 'survey.xlsx',
      dryRun: true,
      households: { imported: 1, updated: 0, rejected: 1 },
      members: { imported: 1, rejected: 0 },
      errorsNotListed: 0,
    });
    expect(job.result.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual(
      expect.arrayContaining([[3, '所属工会']]),
    );
    expect(await householdCount()).toBe(before);
  });

  it('imports the upload for real when asked, and a second import changes nothing', async () => {
    const before = await householdCount();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/survey/${uploadId}/commit`,
      headers: { cookie: caseworker },
    });
    expect(res.statusCode, res.body).toBe(202);
    const job = await finished(res.json().jobId);
    expect(job.result).toMatchObject({ dryRun: false, households: { imported: 1, rejected: 1 } });
    expect(await householdCount()).toBe(before + 1);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/survey/${uploadId}/commit`,
      headers: { cookie: caseworker },
    });
    const second = await finished(again.json().jobId);
    expect(second.result.households).toEqual({ imported: 0, updated: 0, rejected: 1 });
    expect(second.result.members).toEqual({ imported: 0, rejected: 0 });
  });

  it('queues the search for possible duplicates of the people it registered, found in the background', async () => {
    // Someone registered by hand; the file then has the same name and birth date under another number.
    const { householdInput } = await import('./factories');
    const input = householdInput('640104003', { size: 1, name: '郑七' });
    input.head.idNumber = residentId('640104', '1968-08-08', 691);
    input.head.name = '郑七';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/households',
      headers: { cookie: caseworker },
      payload: input,
    });
    expect(res.statusCode, res.body).toBe(201);
    const file = await buildXlsx(dir.path('twin.xlsx'), [
      {
        name: '家庭',
        rows: [
          HOUSEHOLD_HEADERS,
          ['郑七', residentId('640104', '1968-08-08', 692), '640104001', '城镇', '否', 1, '1', '2016-05-05'],
        ],
      },
      { name: '家庭成员', rows: [MEMBER_HEADERS] },
    ]);
    const up = await upload(file);
    await finished(up.json().jobId);
    const commit = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/survey/${up.json().uploadId}/commit`,
      headers: { cookie: caseworker },
    });
    // finished() runs every queued job: the import, then the search it queued.
    expect((await finished(commit.json().jobId)).result.households.imported).toBe(1);
    const queue = await t.app.inject({ url: '/api/v1/registry/duplicates', headers: { cookie: caseworker } });
    const pairs = queue.json().items as { a: { name: string }; b: { name: string }; reasons: string[] }[];
    // Same name and birth date; the sequence numbers 691 and 692 also differ by one digit.
    expect(
      pairs.filter((p) => p.a.name === '郑七' && p.b.name === '郑七').map((p) => [...p.reasons].sort()),
    ).toEqual([['id_one_digit', 'same_name_birth']]);
  });

  it('audits the upload without its content', async () => {
    const admin = await t.login('xq-admin');
    const res = await t.app.inject({
      url: `/api/v1/audit?entity=upload&entityId=${uploadId}`,
      headers: { cookie: admin },
    });
    const entries = res.json().items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'create', username: 'xq-caseworker' });
    expect(JSON.stringify(entries[0].changes)).not.toMatch(/\d{17}[\dX]/);
  });

  it('refuses what is not a workbook, and a name that is not .xlsx', async () => {
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports/survey?filename=a.xlsx',
      headers: { cookie: caseworker, 'content-type': 'application/octet-stream' },
      payload: Buffer.from('户主姓名,户主身份证号\n'),
    });
    expect(text.statusCode).toBe(400);
    expect(text.json().error.details[0].message).toMatch(/xlsx/);
    const csv = await upload(dir.path('ui.xlsx'), caseworker, 'survey.csv');
    expect(csv.statusCode).toBe(400);
  });

  it("keeps another district's uploads out of reach", async () => {
    const root = await t.login('admin');
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: root },
      payload: {
        username: 'xx-caseworker',
        displayName: '西夏区帮扶',
        orgCode: '640105',
        roles: ['caseworker'],
        password: 'outsider-password-1',
      },
    });
    const outsider = await t.login('xx-caseworker', 'outsider-password-1');
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { cookie: outsider },
      payload: { currentPassword: 'outsider-password-1', newPassword: 'outsider-password-2' },
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/survey/${uploadId}/commit`,
      headers: { cookie: outsider },
    });
    expect(res.statusCode).toBe(404);
  });

  it('serves an empty template with exactly the import headers', async () => {
    const res = await t.app.inject({
      url: '/api/v1/imports/survey/template.xlsx',
      headers: { cookie: caseworker },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_MEDIA_TYPE);
    const file = dir.path('template.xlsx');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, res.rawPayload);
    const read = await readAll(file, SURVEY_WORKBOOK);
    expect(read.issues).toEqual([]);
    expect(read.rows).toEqual([]);
    expect(read.ends.map((e) => e.sheet)).toEqual(['家庭', '家庭成员']);
  });
});

describe('export of a filtered household list', () => {
  it('writes the filtered households with the import headers, audited, and they import again unchanged', async () => {
    const { householdInput } = await import('./factories');
    for (const migrant of [true, false]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/households',
        headers: { cookie: caseworker },
        payload: householdInput('640104005', { size: 2, migrant, name: migrant ? '农民工户' : '城镇户' }),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const res = await t.app.inject({
      url: '/api/v1/exports/households.xlsx?org=640104005&migrant=true',
      headers: { cookie: caseworker },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''");
    const file = dir.path('filtered.xlsx');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, res.rawPayload);
    const read = await readAll(file, SURVEY_WORKBOOK);
    expect(read.issues).toEqual([]);
    const heads = read.rows
      .filter((r) => r.sheet === '家庭')
      .map((r) => (r.values as { headName: string }).headName);
    expect(heads).toEqual([expect.stringMatching(/^农民工户/)]);
    expect(read.rows.filter((r) => r.sheet === '家庭成员')).toHaveLength(1);
    // Re-imported through the browser's way: nothing changes.
    const up = await upload(file);
    const preview = await finished(up.json().jobId);
    expect(preview.result).toMatchObject({
      households: { imported: 0, updated: 0, rejected: 0 },
      members: { imported: 0, rejected: 0 },
      errors: [],
    });
    const admin = await t.login('xq-admin');
    const trail = await t.app.inject({
      url: '/api/v1/audit?entity=household_export&username=xq-caseworker',
      headers: { cookie: admin },
    });
    expect(trail.json().items).toHaveLength(1);
  });

  it('is refused without the full view of personal data, and empty outside the scope', async () => {
    const employment = await t.login('xq-employment');
    const refused = await t.app.inject({
      url: '/api/v1/exports/households.xlsx',
      headers: { cookie: employment },
    });
    expect(refused.statusCode).toBe(403);
    const outsider = await t.login('xx-caseworker', 'outsider-password-2');
    const res = await t.app.inject({ url: '/api/v1/exports/households.xlsx', headers: { cookie: outsider } });
    expect(res.statusCode).toBe(200);
    const file = dir.path('outsider.xlsx');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, res.rawPayload);
    expect((await readAll(file, SURVEY_WORKBOOK)).rows).toEqual([]);
  });
});
