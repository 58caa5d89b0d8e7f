import { z } from 'zod';
import { OrgCode } from './orgs';
import { PersonHousehold } from './person';

/**
 * Why two person records may be one person (issue 3; the rules and their indexes: ADR 0014). A
 * pair found by several rules is one line of the review queue with every reason.
 */
export const DUPLICATE_REASONS = [
  { code: 'same_name_birth', zh: '姓名、出生日期相同', en: 'Same name and birth date' },
  { code: 'same_phone', zh: '联系电话相同', en: 'Same phone number' },
  { code: 'id_one_digit', zh: '身份证号仅一位不同', en: 'ID numbers one digit apart' },
] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number]['code'];
export const DuplicateReasonCode = z.enum(
  DUPLICATE_REASONS.map((r) => r.code) as [DuplicateReason, ...DuplicateReason[]],
);

/** One side of a possible duplicate, as the queue compares them: masked like every list (PIPL). */
export const DuplicatePerson = z
  .object({
    id: z.uuid(),
    name: z.string(),
    idNumberMasked: z.string(),
    sex: z.enum(['male', 'female']),
    birthYear: z.number().int(),
    /** The first three and last four digits only. */
    phoneMasked: z.string().nullable(),
    orgCode: OrgCode,
    orgName: z.string(),
    source: z.string().meta({ description: 'How the record came: survey, manual, ledger' }),
    createdAt: z.iso.datetime(),
    households: z.array(PersonHousehold),
  })
  .meta({ id: 'DuplicatePerson' });
export type DuplicatePerson = z.infer<typeof DuplicatePerson>;

export const DuplicateCandidate = z
  .object({
    /** The candidate to merge or dismiss (the pair's other reasons go with it). */
    id: z.uuid(),
    reasons: z.array(DuplicateReasonCode).min(1),
    foundAt: z.iso.datetime(),
    a: DuplicatePerson,
    b: DuplicatePerson,
  })
  .meta({ id: 'DuplicateCandidate' });
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;

export const DuplicateListQuery = z.object({
  reason: DuplicateReasonCode.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type DuplicateListQuery = z.infer<typeof DuplicateListQuery>;

export const DuplicateList = z
  .object({ items: z.array(DuplicateCandidate), total: z.number().int() })
  .meta({ id: 'DuplicateList' });
export type DuplicateList = z.infer<typeof DuplicateList>;

export const DismissDuplicate = z
  .object({
    note: z
      .string()
      .trim()
      .min(1, 'say why they are different people')
      .max(500)
      .meta({ description: 'Why these are two people (kept in the audit trail)' }),
  })
  .meta({ id: 'DismissDuplicate' });
export type DismissDuplicate = z.infer<typeof DismissDuplicate>;

export const MergeDuplicate = z
  .object({ keep: z.uuid().meta({ description: 'The record that stays: one of the pair' }) })
  .meta({ id: 'MergeDuplicate' });
export type MergeDuplicate = z.infer<typeof MergeDuplicate>;

export const MergeResult = z
  .object({
    kept: z.uuid(),
    merged: z.uuid(),
    /** Households whose head became the kept record. */
    headOf: z.array(z.uuid()),
    /** Households in which the kept record took the merged one's place as a member. */
    memberOf: z.array(z.uuid()),
    /**
     * Households still headed by the merged record, because the kept one already heads a household
     * (one household per head): they are the kept person's through `mergedInto` (ADR 0014).
     */
    stillHeadedByMerged: z.array(z.uuid()),
  })
  .meta({ id: 'MergeResult' });
export type MergeResult = z.infer<typeof MergeResult>;
