/**
 * The demo's identification policy: the multipliers and limits of the rules as their documents
 * write them, set for Ningxia (640000), and Yinchuan's 低保 line and minimum wage (640100). The 低保
 * line of 300 yuan is the founding report's; other years are not published in DOMAIN.md, so it is
 * kept for the whole period and marked illustrative. Set through the policy service, audited, once.
 */
import { type SetParameter, SetRuleSet } from '@niangjia/contracts';
import type { Ctx } from '../http/context';
import { setParameter, setRuleSet } from '../modules/policy/service';

const ILLUSTRATIVE = '演示数据（示例值，非官方公布）';

const PARAMETERS: Omit<SetParameter, 'validTo'>[] = [
  {
    key: 'legacyMultiplier',
    value: '1.5',
    org: '640000',
    validFrom: '2013-01-01',
    source: '宁工办发[2013]39号',
  },
  {
    key: 'relativeMultiplier',
    value: '2',
    org: '640000',
    validFrom: '2016-01-01',
    source: '全国解困脱困标准（相对困难：2倍低保）',
  },
  {
    key: 'accidentCostShare',
    value: '0.8',
    org: '640000',
    validFrom: '2016-01-01',
    source: `意外致困的一种地方做法：支出超过收入的80%；${ILLUSTRATIVE}`,
  },
  {
    key: 'exitYearsWithoutObjectiveCause',
    value: '5',
    org: '640000',
    validFrom: '2013-01-01',
    source: '创始报告：无客观原因的建档期限3年或5年',
  },
  {
    key: 'exitMonthsAboveDibao',
    value: '6',
    org: '640000',
    validFrom: '2013-01-01',
    source: '人均收入连续6个月高于低保即脱困的常见做法',
  },
  {
    key: 'publicityWorkingDays',
    value: '5',
    org: '640000',
    validFrom: '2013-01-01',
    source: '建档程序：公示不少于5个工作日',
  },
  { key: 'livingAidMonthsDeep', value: '12', org: '640000', validFrom: '2009-01-01', source: ILLUSTRATIVE },
  {
    key: 'livingAidMonthsRelative',
    value: '8',
    org: '640000',
    validFrom: '2009-01-01',
    source: ILLUSTRATIVE,
  },
  {
    key: 'medicalAidShareRelative',
    value: '0.8',
    org: '640000',
    validFrom: '2009-01-01',
    source: '相对困难职工医疗救助不超过自付部分的80%（全国做法）',
  },
  {
    key: 'medicalAidCumulativeCap',
    value: '150000',
    org: '640000',
    validFrom: '2009-01-01',
    source: '医疗救助累计上限15万元（全国做法）',
  },
  {
    key: 'educationAidCapBasic',
    value: '3000',
    org: '640000',
    validFrom: '2009-01-01',
    source: '助学救助：学前及义务教育每生每年不超过3000元',
  },
  {
    key: 'educationAidCapHigher',
    value: '10000',
    org: '640000',
    validFrom: '2009-01-01',
    source: '助学救助：高中及以上每生每年不超过10000元',
  },
  {
    key: 'trainingSubsidyCap',
    value: '3000',
    org: '640000',
    validFrom: '2009-01-01',
    source: '取得证书后培训补贴不超过3000元',
  },
  {
    key: 'emergencyAidCap',
    value: '10000',
    org: '640000',
    validFrom: '2009-01-01',
    source: '意外事故致伤救助不超过10000元',
  },
  {
    key: 'trainingShareOfCentralFunds',
    value: '0.3',
    org: '640000',
    validFrom: '2009-01-01',
    source: '创始报告：中央财政帮扶资金可用不超过30%用于培训',
  },
  {
    key: 'grantSecondApprovalAbove',
    value: '2000',
    org: '640000',
    validFrom: '2009-01-01',
    source: ILLUSTRATIVE,
  },
  {
    key: 'workingAgeFrom',
    value: '16',
    org: '640000',
    validFrom: '2013-01-01',
    source: '劳动法第15条：禁止招用未满16周岁的未成年人',
  },
  { key: 'workingAgeTo', value: '60', org: '640000', validFrom: '2013-01-01', source: ILLUSTRATIVE },
  {
    key: 'dibaoMonthly',
    value: '300',
    org: '640100',
    validFrom: '2009-01-01',
    source: `创始报告所述低保线300元；${ILLUSTRATIVE}`,
  },
  {
    key: 'minWageMonthly',
    value: '900',
    org: '640100',
    validFrom: '2009-01-01',
    source: '宁夏最低工资标准一类区（2012年4月1日前）',
  },
  {
    key: 'minWageMonthly',
    value: '1100',
    org: '640100',
    validFrom: '2012-04-01',
    source: '宁夏最低工资标准一类区，2012年4月1日起',
  },
];

/** Sets the demo's policy when no parameter has been set anywhere yet; says whether it did. */
export async function demoPolicy(ctx: Ctx): Promise<boolean> {
  const any = await ctx.tx.selectFrom('policy_parameters').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  for (const p of PARAMETERS) await setParameter(ctx, p);
  await setRuleSet(
    ctx,
    SetRuleSet.parse({
      ruleSet: 'legacy-2013',
      org: '640000',
      validFrom: '2013-01-01',
      source: '宁工办发[2013]39号',
    }),
  );
  await setRuleSet(
    ctx,
    SetRuleSet.parse({
      ruleSet: 'national-2016',
      org: '640000',
      validFrom: '2016-01-01',
      source: '全国解困脱困标准',
    }),
  );
  return true;
}
