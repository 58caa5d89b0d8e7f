/**
 * Made-up survey rows for tests and measurements: ID numbers and credit codes are built from
 * invented digits with their check characters, so they are valid and belong to nobody on record.
 */
import { checkCharacter, creditCodeCheckCharacter } from '@niangjia/domain';
import type { SurveyHousehold, SurveyMember } from './sheet-spec';

/** Districts of Yinchuan (GB/T 2260) used as address codes. */
export const DIVISIONS = ['640104', '640105', '640106', '640121'] as const;

/** An 18-character resident ID number for an address code, a birth date YYYYMMDD and a sequence. */
export function residentId(division: string, birth: string, sequence: number): string {
  const first17 = `${division}${birth}${String(sequence % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** A unified social credit code of a company registered in Yinchuan, from a number. */
export function creditCode(n: number): string {
  const first17 = `91640100${String(n % 1e9).padStart(9, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** Household number i, every field filled, deterministic. */
export function sampleHousehold(i: number): SurveyHousehold {
  const year = 1955 + (i % 50);
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + (i % 28)).padStart(2, '0');
  return {
    headName: `户主${i}`,
    headIdNumber: residentId(DIVISIONS[i % 4] as string, `${year}${month}${day}`, i),
    phone: `139${String(i).padStart(8, '0')}`,
    orgCode: '640104',
    employerName: `银川某某有限公司${i % 97}`,
    employerCreditCode: creditCode(i),
    householdRegistration: i % 3 === 0 ? 'rural' : 'urban',
    migrantWorker: i % 5 === 0,
    housingType: 'rented',
    housingAreaCentiM2: 3000 + (i % 9000),
    wageIncomeFen: (i * 7919) % 6_000_000,
    businessIncomeFen: (i % 7) * -1_234,
    propertyIncomeFen: 0,
    transferIncomeFen: 5358,
    otherIncomeFen: 1,
    medicalCostFen: (i * 31) % 100_000,
    disabilityCostFen: 0,
    educationCostFen: 150_000,
    housingCostFen: 120_099,
    otherRigidCostFen: 10,
    employmentCostFen: 99,
    primaryCause: String(1 + (i % 10)) as SurveyHousehold['primaryCause'],
    secondaryCauses: i % 2 === 0 ? ['6', '9'] : ['3'],
    surveyDate: `2025-${month}-${day}`,
    surveyor: '王调查',
  };
}

/** The first member (a spouse) of household i. */
export function sampleMember(i: number): SurveyMember {
  const head = sampleHousehold(i);
  return {
    headIdNumber: head.headIdNumber,
    name: `配偶${i}`,
    idNumber: residentId(DIVISIONS[(i + 1) % 4] as string, '19800101', i + 1),
    relation: 'spouse',
    health: 'chronic',
    activity: 'unemployed',
    monthlyIncomeFen: 180_000,
  };
}
