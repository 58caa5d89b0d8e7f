import { checkCharacter } from '@niangjia/domain';

/** A valid, made-up resident ID number (GB 11643) — never a real person's. */
export function residentId(division: string, birth: string, seq: number): string {
  const first17 = `${division}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return `${first17}${checkCharacter(first17)}`;
}

let counter = 0;
/** A surveyed household of `size` people at an organisation, as the API takes it. */
export function householdInput(orgCode: string, { size = 3, name = '测试户主', migrant = false } = {}) {
  counter++;
  const seq = (n: number) => (counter * 10 + n) % 1000;
  return {
    orgCode,
    head: {
      idNumber: residentId('640104', '1975-05-05', seq(1)),
      name: `${name}${counter}`,
      migrantWorker: migrant,
      householdRegistration: 'urban' as const,
    },
    members: Array.from({ length: size - 1 }, (_, i) => ({
      idNumber: residentId('640104', '2005-06-06', seq(i + 2)),
      name: `成员${counter}-${i + 1}`,
      relation: 'child' as const,
    })),
    income: { wageIncomeFen: 2_160_000 },
    surveyDate: '2015-03-02',
    primaryCause: '6' as const,
    secondaryCauses: ['9' as const],
  };
}
