/**
 * The household form's values and their translation to the API's `CreateHousehold` (money typed in
 * yuan, sent in fen) and back (the server's field paths to the form's field names).
 */
import type { CreateHousehold, SurveyItems } from '@niangjia/contracts';
import type { Dayjs } from 'dayjs';
import { DATE_FORMAT } from '../../../lib/format';
import { yuanTextToFen } from '../../../lib/money';

export interface PersonValues {
  name?: string;
  idNumber?: string;
  phone?: string;
  householdRegistration?: string;
  health?: string;
  activity?: string;
  migrantWorker?: boolean;
}

export interface MemberValues extends PersonValues {
  relation?: string;
  /** Yuan, as typed. */
  monthlyIncome?: string;
}

/** The survey items without their `Fen` suffix: the form holds yuan. */
export type ItemName = keyof SurveyItems extends `${infer N}Fen` ? N : never;

export const INCOME_ITEMS: readonly ItemName[] = [
  'wageIncome',
  'businessIncome',
  'propertyIncome',
  'transferIncome',
  'otherIncome',
];
export const COST_ITEMS: readonly ItemName[] = [
  'medicalCost',
  'disabilityCost',
  'educationCost',
  'housingCost',
  'otherRigidCost',
];
export const OTHER_ITEMS: readonly ItemName[] = ['employmentCost'];
const ALL_ITEMS: readonly ItemName[] = [...INCOME_ITEMS, ...COST_ITEMS, ...OTHER_ITEMS];

export interface HouseholdValues {
  head?: PersonValues;
  housingType?: string;
  members?: MemberValues[];
  /** Yuan per year, as typed. */
  income?: Partial<Record<ItemName, string>>;
  primaryCause?: string;
  secondaryCauses?: string[];
  urgency?: string;
  origin?: string;
  surveyDate?: Dayjs | null;
  surveyor?: string;
  orgCode?: string;
}

const PERSON_FIELDS = [
  'name',
  'idNumber',
  'phone',
  'householdRegistration',
  'health',
  'activity',
  'migrantWorker',
] as const;
const MEMBER_FIELDS = [...PERSON_FIELDS, 'relation', 'monthlyIncome'] as const;
const TOP_FIELDS = [
  'housingType',
  'primaryCause',
  'secondaryCauses',
  'urgency',
  'origin',
  'surveyDate',
  'surveyor',
  'orgCode',
] as const;

const blank = (text: string | undefined) => {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
};

function person(values: PersonValues | undefined) {
  return {
    name: values?.name?.trim() ?? '',
    idNumber: values?.idNumber?.trim() ?? '',
    phone: blank(values?.phone),
    householdRegistration: values?.householdRegistration,
    health: values?.health,
    activity: values?.activity,
    migrantWorker: values?.migrantWorker ?? false,
  };
}

/** Yuan text → fen; empty → `empty`; not an amount → NaN (the schema then refuses it). */
function fen(text: string | undefined, empty: number | undefined): number | undefined {
  if (!text?.trim()) return empty;
  return yuanTextToFen(text) ?? Number.NaN;
}

/** The body to validate with `CreateHousehold` and send (not yet parsed). */
export function toBody(values: HouseholdValues): unknown {
  const income: Record<string, number | undefined> = {};
  for (const item of ALL_ITEMS) {
    // Wages are required by the survey (0 when there are none); the others default to 0.
    income[`${item}Fen`] = fen(values.income?.[item], item === 'wageIncome' ? undefined : 0);
  }
  const primary = values.primaryCause;
  return {
    orgCode: values.orgCode?.trim() ?? '',
    head: person(values.head),
    members: (values.members ?? []).map((member) => ({
      ...person(member),
      relation: member.relation,
      monthlyIncomeFen: fen(member.monthlyIncome, undefined),
    })),
    housingType: values.housingType,
    income,
    surveyDate: values.surveyDate ? values.surveyDate.format(DATE_FORMAT) : undefined,
    surveyor: blank(values.surveyor),
    primaryCause: primary,
    secondaryCauses: (values.secondaryCauses ?? []).filter((cause) => cause !== primary),
    urgency: values.urgency ?? 'normal',
    origin: values.origin ?? 'new',
  } satisfies Record<keyof CreateHousehold, unknown>;
}

export type FieldName = (string | number)[];

/**
 * The form field of a path into the body (`['body', 'members', 0, 'idNumber']`, or the same dotted),
 * or undefined when the path names no field of the form (then the problem is shown apart).
 */
export function fieldOf(path: readonly PropertyKey[] | string, memberCount: number): FieldName | undefined {
  const raw = typeof path === 'string' ? path.split('.') : path.map(String);
  const segments: (string | number)[] = raw.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (segments[0] === 'body') segments.shift();
  const [first, second, third] = segments;
  if (typeof first !== 'string') return undefined;
  if ((TOP_FIELDS as readonly string[]).includes(first)) return [first];
  if (first === 'head' && typeof second === 'string' && (PERSON_FIELDS as readonly string[]).includes(second))
    return ['head', second];
  if (
    first === 'members' &&
    typeof second === 'number' &&
    second < memberCount &&
    typeof third === 'string'
  ) {
    const name = third === 'monthlyIncomeFen' ? 'monthlyIncome' : third;
    if ((MEMBER_FIELDS as readonly string[]).includes(name)) return ['members', second, name];
  }
  if (first === 'income' && typeof second === 'string') {
    const name = second.replace(/Fen$/, '');
    if ((ALL_ITEMS as readonly string[]).includes(name)) return ['income', name];
  }
  return undefined;
}

/** Sums of fen, and the per-capita monthly figures the server computes (rounded down). */
export function previewFigures(values: HouseholdValues) {
  const sum = (items: readonly ItemName[]) =>
    items.reduce(
      (total, item) => {
        const text = values.income?.[item];
        const value = text?.trim() ? yuanTextToFen(text) : 0;
        return value === undefined || total === undefined ? undefined : total + value;
      },
      0 as number | undefined,
    );
  const size = 1 + (values.members?.length ?? 0);
  const incomeFen = sum(INCOME_ITEMS);
  const deductionsFen = sum(COST_ITEMS);
  return {
    size,
    incomeFen,
    deductionsFen,
    perCapitaMonthlyIncomeFen: incomeFen === undefined ? undefined : Math.floor(incomeFen / size / 12),
    perCapitaMonthlyNetFen:
      incomeFen === undefined || deductionsFen === undefined
        ? undefined
        : Math.floor((incomeFen - deductionsFen) / size / 12),
  };
}
