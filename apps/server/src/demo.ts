import type { OrgLevel, Role } from '@niangjia/contracts';
import type { Database } from '@niangjia/db';
import type { Config } from './config';
import { hashPassword } from './modules/identity/passwords';
import { createUser } from './modules/identity/users';
import { createOrg } from './modules/orgs/service';
import { asOperator, print } from './operator';

/** The demo world: Ningxia → Yinchuan → its districts and counties (GB/T 2260 codes) → unions. */
const DEMO_ORGS: { code: string; name: string; level: OrgLevel; parent: string }[] = [
  { code: '640000', name: '宁夏回族自治区总工会', level: 'region', parent: '' },
  { code: '640100', name: '银川市总工会', level: 'city', parent: '640000' },
  { code: '640104', name: '兴庆区总工会', level: 'district', parent: '640100' },
  { code: '640105', name: '西夏区总工会', level: 'district', parent: '640100' },
  { code: '640106', name: '金凤区总工会', level: 'district', parent: '640100' },
  { code: '640121', name: '永宁县总工会', level: 'district', parent: '640100' },
  { code: '640122', name: '贺兰县总工会', level: 'district', parent: '640100' },
  { code: '640181', name: '灵武市总工会', level: 'district', parent: '640100' },
  { code: '640104001', name: '兴庆区环卫服务中心工会', level: 'grassroots', parent: '640104' },
  { code: '640104002', name: '兴庆区建筑业联合工会', level: 'grassroots', parent: '640104' },
  { code: '640104003', name: '兴庆区商贸流通业联合工会', level: 'grassroots', parent: '640104' },
  { code: '640104004', name: '兴庆区快递物流行业工会联合会', level: 'grassroots', parent: '640104' },
  { code: '640104005', name: '兴庆区餐饮服务业联合工会', level: 'grassroots', parent: '640104' },
  { code: '640105001', name: '西夏区工业园区联合工会', level: 'grassroots', parent: '640105' },
];

/** One user per role at 兴庆区 (640104). */
export const DEMO_USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'xq-admin', displayName: '兴庆区系统管理员', role: 'admin' },
  { username: 'xq-manager', displayName: '马主任', role: 'manager' },
  { username: 'xq-caseworker', displayName: '李帮扶', role: 'caseworker' },
  { username: 'xq-rights', displayName: '王维权', role: 'rights_officer' },
  { username: 'xq-employment', displayName: '张就业', role: 'employment_officer' },
  { username: 'xq-mutualaid', displayName: '杨互助', role: 'mutual_aid_clerk' },
  { username: 'xq-auditor', displayName: '赵审计', role: 'auditor' },
];

/** Creates what is missing of the demo world; running it again changes nothing. */
export async function runDemo(
  db: Database,
  config: Config,
  actorName?: string,
): Promise<{ orgsCreated: number; usersCreated: number }> {
  const passwordHash = await hashPassword(config.demoPassword);
  const result = await asOperator(
    db,
    async (ctx) => {
      let orgsCreated = 0;
      let usersCreated = 0;
      for (const org of DEMO_ORGS) {
        const exists = await ctx.tx
          .selectFrom('orgs')
          .select('id')
          .where('code', '=', org.code)
          .executeTakeFirst();
        if (exists) continue;
        await createOrg(ctx, { ...org, parentCode: org.parent || ctx.actor.orgCode });
        orgsCreated++;
      }
      for (const u of DEMO_USERS) {
        const exists = await ctx.tx
          .selectFrom('users')
          .select('id')
          .where('username', '=', u.username)
          .executeTakeFirst();
        if (exists) continue;
        const input = {
          username: u.username,
          displayName: u.displayName,
          orgCode: '640104',
          roles: [u.role],
          password: '',
        };
        // Demo users sign in straight away with the printed password.
        await createUser(ctx, input, passwordHash, { mustChangePassword: false });
        usersCreated++;
      }
      return { orgsCreated, usersCreated };
    },
    actorName,
  );
  print(`Demo world: ${result.orgsCreated} organisations and ${result.usersCreated} users added.`);
  print(`Demo users at 640104 兴庆区总工会, password "${config.demoPassword}":`);
  for (const u of DEMO_USERS) print(`  ${u.username.padEnd(15)} ${u.role}`);
  return result;
}
