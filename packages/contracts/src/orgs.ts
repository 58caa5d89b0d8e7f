import { z } from 'zod';

/** National → region/province → city → district/county → grassroots union, top to bottom. */
export const ORG_LEVELS = ['national', 'region', 'city', 'district', 'grassroots'] as const;
export const OrgLevel = z.enum(ORG_LEVELS);
export type OrgLevel = z.infer<typeof OrgLevel>;

export function levelRank(level: OrgLevel): number {
  return ORG_LEVELS.indexOf(level);
}

/** A code is a string (a division code such as 640104, or any office code): letters, digits, '-'. */
export const OrgCode = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,32}$/, 'code: 1 to 32 letters, digits or "-"')
  .meta({ description: 'Organisation code, unique in the whole system (e.g. 640104)', example: '640104' });

export const OrgName = z.string().trim().min(1).max(100);

export const Org = z
  .object({
    code: OrgCode,
    name: z.string(),
    level: OrgLevel,
    parentCode: OrgCode.nullable(),
    active: z.boolean(),
    childCount: z.number().int(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Org' });
export type Org = z.infer<typeof Org>;

export const OrgDetail = Org.extend({
  /** From the user's own scope root down to this node's parent: what the user may see of the path. */
  ancestors: z.array(z.object({ code: OrgCode, name: z.string(), level: OrgLevel })),
}).meta({ id: 'OrgDetail' });
export type OrgDetail = z.infer<typeof OrgDetail>;

export const OrgListQuery = z.object({
  parent: OrgCode.optional().meta({ description: "Children of this node; default: the user's own node" }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .optional()
    .meta({ description: 'Search the whole subtree by code or name' }),
  includeInactive: z.stringbool().default(false),
});
export type OrgListQuery = z.infer<typeof OrgListQuery>;

export const OrgList = z.object({ items: z.array(Org) }).meta({ id: 'OrgList' });

export const CreateOrg = z
  .object({ code: OrgCode, name: OrgName, level: OrgLevel, parentCode: OrgCode })
  .meta({ id: 'CreateOrg' });
export type CreateOrg = z.infer<typeof CreateOrg>;

export const RenameOrg = z.object({ name: OrgName }).meta({ id: 'RenameOrg' });
export const MoveOrg = z.object({ parentCode: OrgCode }).meta({ id: 'MoveOrg' });
