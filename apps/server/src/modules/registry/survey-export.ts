import { sql } from '@niangjia/db';
import { findOrg } from '../orgs/service';
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
 * Writes the households of the scope (or of one organisation's subtree) to a survey workbook with
 * exactly the import's headers, so that the export imports again unchanged. Rows are read in
 * batches, each in its own scoped transaction, and streamed to the file.
 */
export async function exportSurvey(
  file: string,
  run: Runner,
  { orgCode }: { orgCode?: string } = {},
): Promise<{ households: number; members: number }> {
  const counts = { households: 0, members: 0 };
  const prefix = orgCode ? await run(async (ctx) => (await findOrg(ctx, orgCode)).path) : undefined;

  async function* households(): AsyncGenerator<SurveyHousehold> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await run((ctx) =>
        ctx.tx
          .selectFrom('households as h')
          .innerJoin('people as p', 'p.id', 'h.head_person_id')
          .innerJoin('orgs as o', 'o.id', 'h.org_id')
          .leftJoin('employers as e', 'e.id', 'p.employer_id')
          .leftJoinLateral(
            (eb) =>
              eb
                .selectFrom('archives')
                .select(['primary_cause', 'secondary_causes'])
                .whereRef('archives.household_id', '=', 'h.id')
                .orderBy('created_at', 'desc')
                .limit(1)
                .as('a'),
            (join) => join.onTrue(),
          )
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
            'a.primary_cause',
            'a.secondary_causes',
          ])
          .$if(prefix !== undefined, (q) => q.where(sql<boolean>`starts_with(o.path, ${prefix})`))
          .where('h.id', '>', after)
          .orderBy('h.id')
          .limit(BATCH)
          .execute(),
      );
      for (const r of rows) {
        counts.households++;
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
          primaryCause: r.primary_cause as SurveyHousehold['primaryCause'],
          secondaryCauses: (r.secondary_causes ?? []) as SurveyHousehold['secondaryCauses'],
          surveyDate: r.survey_date as string,
          surveyor: r.surveyor ?? undefined,
        } as SurveyHousehold;
      }
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1]?.id as string;
    }
  }

  async function* members(): AsyncGenerator<SurveyMember> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await run((ctx) =>
        ctx.tx
          .selectFrom('household_members as m')
          .innerJoin('households as h', 'h.id', 'm.household_id')
          .innerJoin('people as head', 'head.id', 'h.head_person_id')
          .innerJoin('people as p', 'p.id', 'm.person_id')
          .innerJoin('orgs as o', 'o.id', 'h.org_id')
          .select([
            'm.id',
            'head.id_number as head_id_number',
            'p.name',
            'p.id_number',
            'm.relation',
            'm.health',
            'm.activity',
            'm.monthly_income_fen',
          ])
          .$if(prefix !== undefined, (q) => q.where(sql<boolean>`starts_with(o.path, ${prefix})`))
          .where('m.id', '>', after)
          .orderBy('m.id')
          .limit(BATCH)
          .execute(),
      );
      for (const r of rows) {
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
      if (rows.length < BATCH) return;
      after = rows[rows.length - 1]?.id as string;
    }
  }

  await writeWorkbook(file, [
    { spec: SURVEY_HOUSEHOLDS, rows: households() },
    { spec: SURVEY_MEMBERS, rows: members() },
  ]);
  return counts;
}
