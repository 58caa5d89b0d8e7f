import { z } from 'zod';

export const AUDIT_ACTIONS = [
  'create',
  'update',
  'deactivate',
  'activate',
  'move',
  'password_reset',
  'password_change',
  'login',
  'login_failed',
  'logout',
  // A full view of a person's personal data.
  'read',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** Changed fields: before and after. Secrets (password hashes) never appear, only that they changed. */
export const AuditChanges = z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }));
export type AuditChanges = z.infer<typeof AuditChanges>;

export const AuditEntry = z
  .object({
    id: z.string().meta({ description: 'Increasing identifier (a 64-bit integer as a string)' }),
    at: z.iso.datetime(),
    username: z.string().nullable(),
    orgCode: z.string().nullable(),
    action: AuditAction,
    entity: z.string(),
    entityId: z.string().nullable(),
    changes: AuditChanges.nullable(),
    requestId: z.string().nullable(),
    clientAddress: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64).optional(),
  entity: z.string().trim().min(1).max(50).optional(),
  entityId: z.string().trim().min(1).max(100).optional(),
  action: AuditAction.optional(),
  from: z.iso.date().optional().meta({ description: 'First day, Asia/Shanghai calendar date' }),
  to: z.iso.date().optional().meta({ description: 'Last day, inclusive, Asia/Shanghai calendar date' }),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditList = z
  .object({ items: z.array(AuditEntry), total: z.number().int() })
  .meta({ id: 'AuditList' });
