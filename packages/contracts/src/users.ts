import { z } from 'zod';
import { ROLE_NAMES, type Role } from './access';
import { OrgCode, OrgLevel } from './orgs';

export const RoleName = z.enum(ROLE_NAMES as [Role, ...Role[]]);

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'username: 2 to 64 letters, digits, ".", "_" or "-"');

/** At least 10 characters; the length is what matters (NIST SP 800-63B), not character classes. */
export const NewPassword = z.string().min(10, 'password: at least 10 characters').max(200);

export const User = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    orgCode: OrgCode,
    orgName: z.string(),
    roles: z.array(RoleName),
    active: z.boolean(),
    mustChangePassword: z.boolean(),
    lastLoginAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const UserListQuery = z.object({
  org: OrgCode.optional().meta({
    description: "Users of this node's subtree; default: the user's own scope",
  }),
  q: z.string().trim().min(1).max(50).optional(),
  role: RoleName.optional(),
  active: z.stringbool().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type UserListQuery = z.infer<typeof UserListQuery>;

export const UserList = z.object({ items: z.array(User), total: z.number().int() }).meta({ id: 'UserList' });

export const CreateUser = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1).max(50),
    orgCode: OrgCode,
    roles: z.array(RoleName).min(1).max(7),
    password: NewPassword,
  })
  .meta({ id: 'CreateUser' });
export type CreateUser = z.infer<typeof CreateUser>;

export const UpdateUser = z
  .object({
    displayName: z.string().trim().min(1).max(50).optional(),
    orgCode: OrgCode.optional(),
    roles: z.array(RoleName).min(1).max(7).optional(),
  })
  .meta({ id: 'UpdateUser' });
export type UpdateUser = z.infer<typeof UpdateUser>;

export const ResetPassword = z.object({ password: NewPassword }).meta({ id: 'ResetPassword' });

export const UserId = z.object({ id: z.uuid() });

export const Me = z
  .object({
    user: z.object({
      id: z.uuid(),
      username: z.string(),
      displayName: z.string(),
      mustChangePassword: z.boolean(),
    }),
    organisation: z.object({ code: OrgCode, name: z.string(), level: OrgLevel }),
    roles: z.array(RoleName),
    permissions: z.array(z.string()),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export const Login = z
  .object({ username: z.string().trim().toLowerCase().min(1).max(64), password: z.string().min(1).max(200) })
  .meta({ id: 'Login' });
export type Login = z.infer<typeof Login>;

export const ChangePassword = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: NewPassword })
  .meta({ id: 'ChangePassword' });
