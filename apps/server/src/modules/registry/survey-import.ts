import type { CreateHousehold } from '@niangjia/contracts';
import { isUniqueViolation } from '@niangjia/db';
import { parseResidentId, type ResidentId } from '@niangjia/domain';
import type { Ctx } from '../../http/context';
import { AppError } from '../../http/errors';
import { addMember, createHousehold, findHouseholdOfHead, updateSurveyItems } from './households';
import {
  readWorkbook,
  type SheetIssue,
  SURVEY_HOUSEHOLDS,
  SURVEY_MEMBERS,
  type SurveyHousehold,
  type SurveyMember,
} from './workbook';

export interface ImportError {
  sheet: string;
  row?: number;
  column?: string;
  message: string;
}

/** The report of `niangjia import survey --json`, and of the import page. */
export interface SurveyImportReport {
  households: { imported: number; updated: number; rejected: number };
  members: { imported: number; rejected: number };
  errors: ImportError[];
  warnings: ImportError[];
}

/** Runs one unit of work in its own scoped transaction (a request's `run`, or the operator's). */
export type Runner = <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>;

/** Thrown inside a dry run's transaction so that nothing it wrote is kept. */
class DryRun extends Error {
  constructor(readonly outcome: unknown) {
    super('dry run');
  }
}

const HOUSEHOLD_COLUMNS: Record<string, string> = {
  orgCode: '所属工会',
  surveyDate: '调查日期',
  'head.idNumber': '户主身份证号',
  'head.name': '户主姓名',
};

/** Where in the sheet a service's refusal belongs: the column its field path names. */
function columnOf(err: AppError, fallback: string, columns: Record<string, string>): string {
  const details = err.details as { path?: (string | number)[] } | { path: (string | number)[] }[] | undefined;
  const path = Array.isArray(details) ? details[0]?.path : details?.path;
  const key = path
    ?.slice(1)
    .filter((p) => typeof p === 'string')
    .join('.');
  return (key && columns[key]) || fallback;
}

/** The refusal in the words of the report's readers (the services answer the API in English). */
function messagesOf(err: AppError): string[] {
  if (Array.isArray(err.details))
    return (err.details as { message: string }[]).map((d) => d.message).filter(Boolean);
  const d = (err.details ?? {}) as { reason?: string; orgCode?: string; orgName?: string; idNumber?: string };
  const where = d.orgName ? `${d.orgName}（${d.orgCode}）` : '';
  switch (d.reason) {
    case 'person_kept_elsewhere':
      return [`身份证号 ${d.idNumber} 的人员由 ${where} 登记管理，请先与该单位联系`];
    case 'person_in_open_household':
      return [`身份证号 ${d.idNumber} 的人员已在 ${where} 的在册家庭中`];
    case 'name_mismatch':
      return [`身份证号 ${d.idNumber} 在档案中登记的姓名与本行不同`];
    case 'head_has_household':
      return ['该户主已有家庭档案'];
    case 'household_elsewhere':
      return ['该户主的家庭登记在另一个工会，不能通过导入改变所属工会'];
    case 'org_inactive':
      return ['所属工会已停用'];
    case 'org_not_found':
      return ['所属工会不存在，或不在您的管理范围内'];
  }
  return [err.message];
}

function toCreate(v: SurveyHousehold): CreateHousehold {
  return {
    orgCode: v.orgCode,
    head: {
      idNumber: v.headIdNumber,
      name: v.headName,
      phone: v.phone,
      householdRegistration: v.householdRegistration,
      migrantWorker: v.migrantWorker,
    },
    members: [],
    housingType: v.housingType,
    income: {
      wageIncomeFen: v.wageIncomeFen,
      businessIncomeFen: v.businessIncomeFen ?? 0,
      propertyIncomeFen: v.propertyIncomeFen ?? 0,
      transferIncomeFen: v.transferIncomeFen ?? 0,
      otherIncomeFen: v.otherIncomeFen ?? 0,
      medicalCostFen: v.medicalCostFen ?? 0,
      disabilityCostFen: v.disabilityCostFen ?? 0,
      educationCostFen: v.educationCostFen ?? 0,
      housingCostFen: v.housingCostFen ?? 0,
      otherRigidCostFen: v.otherRigidCostFen ?? 0,
      employmentCostFen: v.employmentCostFen ?? 0,
    },
    surveyDate: v.surveyDate,
    surveyor: v.surveyor,
    primaryCause: v.primaryCause,
    secondaryCauses: v.secondaryCauses ?? [],
    urgency: 'normal',
    origin: 'new',
  } as CreateHousehold;
}

/**
 * Imports a survey workbook (TEMPLATES.md §1): every valid row is saved, every invalid one is
 * reported by sheet, Excel row and column with each reason, and saves nothing. Households are
 * matched by the head's ID number, so a second import of the same file changes nothing. A member
 * whose household row was rejected is rejected too. The file is read twice, households first,
 * streaming, so the order of the sheets does not matter and no sheet is held in memory.
 * With `dryRun` every row runs in a transaction that is rolled back: the report is what an
 * import would do, and nothing is saved.
 */
export async function importSurvey(
  file: string,
  run: Runner,
  { dryRun = false, today }: { dryRun?: boolean; today: string },
): Promise<SurveyImportReport> {
  const report: SurveyImportReport = {
    households: { imported: 0, updated: 0, rejected: 0 },
    members: { imported: 0, rejected: 0 },
    errors: [],
    warnings: [],
  };
  /** A problem of a whole sheet or header: an error (rows not read) or a warning. */
  const noteIssue = (issue: SheetIssue) =>
    (issue.severity === 'error' ? report.errors : report.warnings).push({
      sheet: issue.sheet,
      row: issue.row,
      column: issue.column,
      message: issue.message,
    });
  /** Every person of the file so far (head or member) → where first seen: a second row is refused. */
  const seenPeople = new Map<string, string>();
  const seenAt = (id: string, where: string): string | undefined => {
    const before = seenPeople.get(id);
    if (!before) seenPeople.set(id, where);
    return before;
  };
  /** Head ID number → what became of its household row in this file. */
  const heads = new Map<string, 'new' | 'existing' | 'rejected'>();

  // A unit of work that keeps its writes, or (dry run) only tells what it would have done.
  const attempt = async <T>(fn: (ctx: Ctx) => Promise<T>): Promise<T> => {
    if (!dryRun) return run(fn);
    try {
      await run(async (ctx) => {
        throw new DryRun(await fn(ctx));
      });
    } catch (err) {
      if (err instanceof DryRun) return err.outcome as T;
      throw err;
    }
    throw new Error('unreachable');
  };

  for await (const event of readWorkbook(file, [SURVEY_HOUSEHOLDS], { today })) {
    if (event.type === 'issue') {
      noteIssue(event);
      continue;
    }
    if (event.type !== 'row') continue;
    const v = event.values as SurveyHousehold;
    if (!event.ok) {
      report.households.rejected++;
      if (v.headIdNumber) heads.set(v.headIdNumber, 'rejected');
      for (const e of event.errors)
        report.errors.push({ sheet: e.sheet, row: e.row, column: e.column, message: e.message });
      continue;
    }
    const before = seenAt(v.headIdNumber, `“家庭”第${event.row}行`);
    if (before) {
      report.households.rejected++;
      report.errors.push({
        sheet: event.sheet,
        row: event.row,
        column: '户主身份证号',
        message: `此人已在本表${before}出现`,
      });
      continue;
    }
    try {
      const outcome = await attempt(async (ctx) => {
        const input = toCreate(v);
        const existing = await findHouseholdOfHead(ctx, v.headIdNumber);
        if (existing) return (await updateSurveyItems(ctx, existing, input)) ? 'updated' : 'unchanged';
        await createHousehold(ctx, input, { today, source: 'survey' });
        return 'imported';
      });
      heads.set(v.headIdNumber, outcome === 'imported' ? 'new' : 'existing');
      if (outcome === 'imported') report.households.imported++;
      if (outcome === 'updated') report.households.updated++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      heads.set(v.headIdNumber, 'rejected');
      report.households.rejected++;
      const column = columnOf(err, '户主身份证号', HOUSEHOLD_COLUMNS);
      for (const message of messagesOf(err))
        report.errors.push({ sheet: event.sheet, row: event.row, column, message });
    }
  }

  for await (const event of readWorkbook(file, [SURVEY_MEMBERS], { today })) {
    if (event.type === 'issue') {
      noteIssue(event);
      continue;
    }
    if (event.type !== 'row') continue;
    const v = event.values as SurveyMember;
    const reject = (column: string, message: string) => {
      report.members.rejected++;
      report.errors.push({ sheet: event.sheet, row: event.row, column, message });
    };
    if (!event.ok) {
      report.members.rejected++;
      for (const e of event.errors)
        report.errors.push({ sheet: e.sheet, row: e.row, column: e.column, message: e.message });
      continue;
    }
    const before = seenAt(v.idNumber, `“家庭成员”第${event.row}行`);
    if (before) {
      report.members.rejected++;
      report.errors.push({
        sheet: event.sheet,
        row: event.row,
        column: '身份证号',
        message: `此人已在本表${before}出现`,
      });
      continue;
    }
    const state = heads.get(v.headIdNumber);
    if (state === 'rejected') {
      reject('户主身份证号', '所属家庭的行未通过，成员一并不予导入');
      continue;
    }
    try {
      const added = await attempt(async (ctx) => {
        const household = await findHouseholdOfHead(ctx, v.headIdNumber);
        // A household new in a dry run does not exist: check the member on its own.
        if (!household && !(dryRun && state === 'new'))
          throw new AppError('not_found', '户主不在本表“家庭”页，也不在现有档案中');
        const parsed = parseResidentId(v.idNumber, { today });
        if (!parsed.ok)
          throw new AppError('validation_failed', parsed.errors.map((e) => e.messageZh).join('；'));
        return addMember(ctx, household ?? null, toMemberInput(v), parsed.value as ResidentId, 'survey');
      });
      if (added) report.members.imported++;
    } catch (err) {
      if (err instanceof AppError) {
        const column = err.code === 'not_found' ? '户主身份证号' : '身份证号';
        report.members.rejected++;
        for (const message of messagesOf(err))
          report.errors.push({ sheet: event.sheet, row: event.row, column, message });
        continue;
      }
      if (isUniqueViolation(err)) {
        reject('身份证号', '该成员已在此家庭中');
        continue;
      }
      throw err;
    }
  }
  return report;
}

function toMemberInput(v: SurveyMember) {
  return {
    idNumber: v.idNumber,
    name: v.name,
    relation: v.relation,
    health: v.health,
    activity: v.activity,
    monthlyIncomeFen: v.monthlyIncomeFen,
    migrantWorker: false,
  } as const;
}
