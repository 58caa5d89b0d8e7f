import type { Writable } from 'node:stream';
import type { HouseholdFilters } from '@niangjia/contracts';
import { sql } from '@niangjia/db';
import type { Ctx } from '../../http/context';
import { matchingHouseholds } from './households';
import type { Runner } from './survey-import';
import {
  SURVEY_HOUSEHOLDS,
  SURVEY_MEMBERS,
  type SurveyHousehold,
  type SurveyMember,
  writeWorkbook,
} from './workbook';

const BATCH = 1000;

/**
 * Writes the households of the scope matching the list's filters (all of them without filters) to
 * a survey workbook with exactly the import's headers, so that the export imports again unchanged.
 * Households are walked in batches by id, each in its own scoped transaction, and streamed out;
 * the members sheet walks the same households again.
 */
export async function exportSurvey(
  target: string | Writable,
  run: Runner,
  filters: HouseholdFilters = {},
): Promise<{ households: number; members: number }> {
  const counts = { households: 0, members: 0 };

  /** The matching households' ids, a batch at a time, in id order. */
  async function* batches<T>(read: (ctx: Ctx, ids: string[]) => Promise<T[]>): AsyncGenerator<T> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const { ids, rows } = await run(async (ctx) => {
        const matching = await matchingHouseholds(ctx, filters);
        const page = await matching
          .select('h.id')
          .where('h.id', '>', after)
          .orderBy('h.id')
          .limit(BATCH)
          .execute();
        const ids = page.map((r) => r.id);
        return { ids, rows: ids.length ? await read(ctx, ids) : [] };
      });
      yield* rows;
      if (ids.length < BATCH) return;
      after = ids[ids.length - 1] as string;
    }
  }

  async function* households(): AsyncGenerator<SurveyHousehold> {
    const rows = batches((ctx, ids) =>
      ctx.tx
        .selectFrom('households as h')
        .innerJoin('people as p', 'p.id', 'h.head_person_id')
        .innerJoin('orgs as o', 'o.id', 'h.org_id')
        .leftJoin('employers as e', 'e.id', 'p.employer_id')
        .selectAll('h')
        .select([
          'p.name',
          'p.id_number',
          'p.phone',
          'p.household_registration',
          'p.migrant_worker',
          'o.code as org_code',
          'e.name as employer_name',
          'e.credit_code as employer_credit_code',
        ])
        .where(sql<boolean>`h.id = any(${ids}::uuid[])`)
        .orderBy('h.id')
        .execute(),
    );
    for await (const r of rows) {
      counts.households++;
      // The current archive's causes, from the household's copy (primary first).
      const [primary, ...secondary] = r.archive_causes;
      yield {
        headName: r.name,
        headIdNumber: r.id_number,
        phone: r.phone ?? undefined,
        orgCode: r.org_code,
        employerName: r.employer_name ?? undefined,
        employerCreditCode: r.employer_credit_code ?? undefined,
        householdRegistration: r.household_registration as SurveyHousehold['householdRegistration'],
        migrantWorker: r.migrant_worker,
        housingType: (r.housing_type ?? undefined) as SurveyHousehold['housingType'],
        housingAreaCentiM2: r.housing_area_centi_m2 ?? undefined,
        wageIncomeFen: r.wage_income_fen,
        businessIncomeFen: r.business_income_fen,
        propertyIncomeFen: r.property_income_fen,
        transferIncomeFen: r.transfer_income_fen,
        otherIncomeFen: r.other_income_fen,
        medicalCostFen: r.medical_cost_fen,
        disabilityCostFen: r.disability_cost_fen,
        educationCostFen: r.education_cost_fen,
        housingCostFen: r.housing_cost_fen,
        otherRigidCostFen: r.other_rigid_cost_fen,
        employmentCostFen: r.employment_cost_fen,
        primaryCause: primary as SurveyHousehold['primaryCause'],
        secondaryCauses: secondary as SurveyHousehold['secondaryCauses'],
        surveyDate: r.survey_date as string,
        surveyor: r.surveyor ?? undefined,
      } as SurveyHousehold;
    }
  }

  async function* members(): AsyncGenerator<SurveyMember> {
    const rows = batches((ctx, ids) =>
      ctx.tx
        .selectFrom('household_members as m')
        .innerJoin('households as h', 'h.id', 'm.household_id')
        .innerJoin('people as head', 'head.id', 'h.head_person_id')
        .innerJoin('people as p', 'p.id', 'm.person_id')
        .select([
          'head.id_number as head_id_number',
          'p.name',
          'p.id_number',
          'm.relation',
          'm.health',
          'm.activity',
          'm.monthly_income_fen',
        ])
        .where(sql<boolean>`m.household_id = any(${ids}::uuid[])`)
        .orderBy('m.household_id')
        .orderBy('m.id')
        .execute(),
    );
    for await (const r of rows) {
      counts.members++;
      yield {
        headIdNumber: r.head_id_number,
        name: r.name,
        idNumber: r.id_number,
        relation: r.relation as SurveyMember['relation'],
        health: (r.health ?? undefined) as SurveyMember['health'],
        activity: (r.activity ?? undefined) as SurveyMember['activity'],
        monthlyIncomeFen: r.monthly_income_fen ?? undefined,
      } as SurveyMember;
    }
  }

  await writeWorkbook(target, [
    { spec: SURVEY_HOUSEHOLDS, rows: households() },
    { spec: SURVEY_MEMBERS, rows: members() },
  ]);
  return counts;
}
