import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import {
  ACTIVITY_STATES,
  ARCHIVE_CATEGORIES,
  ARCHIVE_ORIGINS,
  EXIT_REASONS,
  HARDSHIP_CAUSES,
  HEALTH_STATES,
  HOUSEHOLD_REGISTRATIONS,
  HOUSING_TYPES,
  type HouseholdDetail,
  type PersonDetail,
  RELATIONS,
  URGENCIES,
} from '@niangjia/contracts';
import { Alert, Button, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useHousehold, useObjections, usePerson } from '../../../api/registry';
import type zhCN from '../../../i18n/zh-CN';
import { ErrorResult } from '../../../layout/ErrorResult';
import { PageSpinner } from '../../../layout/PageSpinner';
import { usePermissions } from '../../../lib/access';
import { formatDate, formatDateTime } from '../../../lib/format';
import { usePageTitle } from '../../../lib/page-title';
import { actionLabel, statusLabel, useCodeLabel, useCodeLang } from '../../../lib/registry-labels';
import { birthOf, COST_ITEMS, INCOME_ITEMS, itemKey, useMoney } from '../household-detail/shared';
import './print.css';

type FieldKey = keyof (typeof zhCN)['householdPrint']['fields'];

const CHECKED = '☑';
const UNCHECKED = '☐';

/** A label cell and its value; `span` widens the value over further columns. */
function Field({ label, children, span = 1 }: { label: string; children?: ReactNode; span?: number }) {
  return (
    <>
      <th scope="row">{label}</th>
      <td colSpan={span}>{children}</td>
    </>
  );
}

/** A row of check boxes for a code table, the chosen codes ticked. */
function Choices({
  table,
  chosen,
  note,
}: {
  table: readonly { code: string; zh: string; en: string }[];
  chosen: readonly string[];
  note?: (code: string) => string | null;
}) {
  const lang = useCodeLang();
  return (
    <span className="print-choices">
      {table.map((entry) => (
        <span key={entry.code} className="print-choice">
          {chosen.includes(entry.code) ? CHECKED : UNCHECKED} {entry[lang]}
          {note?.(entry.code) ?? ''}
        </span>
      ))}
    </span>
  );
}

/** Zero-employment household: yes when every activity is known and none is work; unknown otherwise. */
function zeroEmployment(household: HouseholdDetail): boolean | null {
  const people = [household.head, ...household.members];
  if (people.some((p) => p.activity === 'employed')) return false;
  return people.every((p) => p.activity !== null) ? true : null;
}

function Sheet({ household, head }: { household: HouseholdDetail; head: PersonDetail | undefined }) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const label = useCodeLabel();
  const money = useMoney();
  const f = (key: FieldKey) => t(`householdPrint.fields.${key}`);
  const { archive, figures, income } = household;
  const yesNo = (value: boolean | null | undefined) =>
    value === null || value === undefined ? '' : value ? t('common.yes') : t('common.no');
  const nonWageFen = figures.incomeFen - income.wageIncomeFen;
  const zero = zeroEmployment(household);
  const objections = useObjections(archive?.id);
  const objectionCount = objections.data?.length ?? 0;
  const upheldCount = objections.data?.filter((o) => o.upheld === true).length ?? 0;

  return (
    <article className="archive-print" data-testid="archive-print" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <header className="print-title">
        <h1>{t('householdPrint.title')}</h1>
        <div className="print-meta">
          <span>
            {t('householdPrint.labelled', { label: f('organisation') })}
            {t('householdPrint.orgName', { name: household.orgName, code: household.orgCode })}
          </span>
          <span>
            {t('householdPrint.labelled', { label: f('archiveNo') })}
            <span className="mono">{archive ? archive.id.slice(0, 8).toUpperCase() : ''}</span>
          </span>
          <span>
            {t('householdPrint.labelled', { label: f('surveyDate') })}
            {household.surveyDate ? formatDate(household.surveyDate) : ''}
          </span>
        </div>
      </header>

      <section className="print-section">
        <h2>{t('householdPrint.sectionWorker')}</h2>
        <table className="print-grid">
          <colgroup>
            <col className="print-label" />
            <col />
            <col className="print-label" />
            <col />
            <col className="print-label" />
            <col />
          </colgroup>
          <tbody>
            <tr>
              <Field label={f('name')}>{household.head.name}</Field>
              <Field label={f('sex')}>{t(`registry.sex.${household.head.sex}`)}</Field>
              <Field label={f('ethnicity')}>{head?.ethnicity ?? ''}</Field>
            </tr>
            <tr>
              <Field label={f('idNumber')} span={3}>
                <span className="mono print-id" data-testid="print-head-idNumber">
                  {household.head.idNumber}
                </span>
              </Field>
              <Field label={f('birthDate')}>{birthOf(household.head)}</Field>
            </tr>
            <tr>
              <Field label={f('politicalStatus')} />
              <Field label={f('health')}>{label(HEALTH_STATES, household.head.health)}</Field>
              <Field label={f('disability')}>{head?.disability ?? ''}</Field>
            </tr>
            <tr>
              <Field label={f('workStatus')}>{label(ACTIVITY_STATES, household.head.activity)}</Field>
              <Field label={f('modelWorker')} />
              <Field label={f('maritalStatus')} />
            </tr>
            <tr>
              <Field label={f('registration')}>
                {label(HOUSEHOLD_REGISTRATIONS, household.head.householdRegistration)}
              </Field>
              <Field label={f('registrationDivision')} />
              <Field label={f('singleParent')} />
            </tr>
            <tr>
              <Field label={f('employer')} span={3}>
                {head?.employer?.name ?? ''}
              </Field>
              <Field label={f('employerType')} />
            </tr>
            <tr>
              <Field label={f('employerState')} />
              <Field label={f('medicalInsurance')}>{head?.medicalInsurance ?? ''}</Field>
              <Field label={f('unionMember')}>{yesNo(head?.unionMember)}</Field>
            </tr>
            <tr>
              <Field label={f('phone')}>{household.head.phone ?? ''}</Field>
              <Field label={f('migrantWorker')}>{yesNo(household.head.migrantWorker)}</Field>
              <Field label={f('zeroEmployment')}>{yesNo(zero)}</Field>
            </tr>
            <tr>
              <Field label={f('housingType')}>{label(HOUSING_TYPES, household.housingType)}</Field>
              <Field label={f('housingArea')}>
                <span className="print-unit">㎡</span>
              </Field>
              <Field label={f('selfHelp')} />
            </tr>
            <tr>
              <Field label={f('bank')}>{head?.bank?.name ?? ''}</Field>
              <Field label={f('bankBranch')}>{head?.bank?.branch ?? ''}</Field>
              <Field label={f('bankCard')}>
                <span className="mono">{head?.bank?.cardMasked ?? ''}</span>
              </Field>
            </tr>
          </tbody>
        </table>
      </section>

      <section className="print-section">
        <h2>{t('householdPrint.sectionArchive')}</h2>
        <table className="print-grid">
          <colgroup>
            <col className="print-label" />
            <col />
          </colgroup>
          <tbody>
            <tr>
              <Field label={f('category')}>
                <Choices
                  table={ARCHIVE_CATEGORIES.slice(0, 3)}
                  chosen={archive?.category ? [archive.category] : []}
                />
                {archive?.category && !ARCHIVE_CATEGORIES.slice(0, 3).some((c) => c.code === archive.category)
                  ? ` ${CHECKED} ${label(ARCHIVE_CATEGORIES, archive.category)}`
                  : null}
              </Field>
            </tr>
            <tr>
              <Field label={f('origin')}>
                <Choices table={ARCHIVE_ORIGINS} chosen={archive ? [archive.origin] : []} />
                <span className="print-gap" />
                {t('householdPrint.labelled', { label: f('urgency') })}
                {archive ? label(URGENCIES, archive.urgency) : ''}
              </Field>
            </tr>
            <tr>
              <Field label={f('causes')}>
                <Choices
                  table={HARDSHIP_CAUSES}
                  chosen={archive ? [archive.primaryCause, ...archive.secondaryCauses] : []}
                  note={(code) =>
                    archive?.primaryCause === code
                      ? t('householdPrint.primary')
                      : archive?.secondaryCauses.includes(code as never)
                        ? t('householdPrint.secondary')
                        : null
                  }
                />
              </Field>
            </tr>
          </tbody>
        </table>
      </section>

      <section className="print-section">
        <h2>{t('householdPrint.sectionMembers')}</h2>
        <table className="print-table" data-testid="print-members">
          <colgroup>
            <col style={{ width: '9%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '23%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '9%' }} />
            <col style={{ width: '9%' }} />
            <col style={{ width: '9%' }} />
            <col style={{ width: '8%' }} />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th>{f('relation')}</th>
              <th>{f('name')}</th>
              <th>{f('idNumber')}</th>
              <th>{f('monthlyIncome')}</th>
              <th>{f('health')}</th>
              <th>{f('medicalInsurance')}</th>
              <th>{f('workStatus')}</th>
              <th>{f('education')}</th>
              <th>{f('employerOrSchool')}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>{t('householdPrint.headRelation')}</td>
              <td>{household.head.name}</td>
              <td className="mono print-id">{household.head.idNumber}</td>
              <td className="print-money" />
              <td>{label(HEALTH_STATES, household.head.health)}</td>
              <td>{head?.medicalInsurance ?? ''}</td>
              <td>{label(ACTIVITY_STATES, household.head.activity)}</td>
              <td>{head?.education ?? ''}</td>
              <td>{head?.employer?.name ?? ''}</td>
            </tr>
            {household.members.map((m) => (
              <tr key={m.id}>
                <td>{label(RELATIONS, m.relation)}</td>
                <td>{m.name}</td>
                <td className="mono print-id">{m.idNumber}</td>
                <td className="print-money">
                  {m.monthlyIncomeFen === null ? '' : money(m.monthlyIncomeFen)}
                </td>
                <td>{label(HEALTH_STATES, m.health)}</td>
                <td />
                <td>{label(ACTIVITY_STATES, m.activity)}</td>
                <td />
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="print-section">
        <h2>{t('householdPrint.sectionIncome')}</h2>
        <table className="print-table" data-testid="print-income">
          <colgroup>
            <col style={{ width: '27%' }} />
            <col style={{ width: '23%' }} />
            <col style={{ width: '27%' }} />
            <col style={{ width: '23%' }} />
          </colgroup>
          <thead>
            <tr>
              <th>{t('householdPrint.incomeItem')}</th>
              <th>{t('householdPrint.amount')}</th>
              <th>{t('householdPrint.costItem')}</th>
              <th>{t('householdPrint.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {INCOME_ITEMS.map((item, i) => {
              const cost = COST_ITEMS[i];
              return (
                <tr key={item}>
                  <td>{t(`registry.items.${itemKey(item)}`)}</td>
                  <td className="print-money">{money(income[item])}</td>
                  <td>{cost ? t(`registry.items.${itemKey(cost)}`) : ''}</td>
                  <td className="print-money">{cost ? money(income[cost]) : ''}</td>
                </tr>
              );
            })}
            <tr className="print-total">
              <td>{t('registry.figures.incomeTotal')}</td>
              <td className="print-money">{money(figures.incomeFen)}</td>
              <td>{t('registry.figures.deductionsTotal')}</td>
              <td className="print-money">{money(figures.deductionsFen)}</td>
            </tr>
            <tr>
              <td>{f('nonWageIncome')}</td>
              <td className="print-money">{money(nonWageFen)}</td>
              <td>{t('registry.items.employmentCost')}</td>
              <td className="print-money">{money(income.employmentCostFen)}</td>
            </tr>
          </tbody>
        </table>
        <table className="print-grid print-figures" data-testid="print-figures">
          <colgroup>
            <col style={{ width: '13%' }} />
            <col style={{ width: '12%' }} />
            <col style={{ width: '15%' }} />
            <col style={{ width: '15%' }} />
            <col style={{ width: '27%' }} />
            <col style={{ width: '18%' }} />
          </colgroup>
          <tbody>
            <tr>
              <Field label={f('householdSize')}>{t('registry.persons', { count: figures.size })}</Field>
              <Field label={t('registry.figures.perCapitaMonthlyIncome')}>
                <strong>{money(figures.perCapitaMonthlyIncomeFen)}</strong>
              </Field>
              <Field label={t('registry.figures.perCapitaMonthlyNet')}>
                <strong>{money(figures.perCapitaMonthlyNetFen)}</strong>
              </Field>
            </tr>
          </tbody>
        </table>
        <p className="print-note">{t('registry.figures.perCapitaNote')}</p>
      </section>

      {archive ? (
        <section className="print-section">
          <h2>{t('householdPrint.sectionHistory')}</h2>
          <table className="print-table" data-testid="print-history">
            <colgroup>
              <col style={{ width: '14%' }} />
              <col style={{ width: '16%' }} />
              <col style={{ width: '14%' }} />
              <col style={{ width: '18%' }} />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th>{t('householdPrint.stepDate')}</th>
                <th>{t('householdPrint.stepAction')}</th>
                <th>{t('householdPrint.stepStatus')}</th>
                <th>{t('householdPrint.stepBy')}</th>
                <th>{t('householdPrint.stepComment')}</th>
              </tr>
            </thead>
            <tbody>
              {archive.steps.map((step) => (
                <tr key={`${step.at}-${step.action}-${step.toStatus}`}>
                  <td className="mono print-nowrap">{formatDate(step.onDate)}</td>
                  <td>{actionLabel(step.action, lang, t('householdDetail.stepSurvey'))}</td>
                  <td>{statusLabel(step.toStatus, lang)}</td>
                  <td className="print-nowrap">{step.username}</td>
                  <td className="print-wrap">{step.comment}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="print-note">
            {archive.publicityStartedOn
              ? t('householdPrint.publicityLine', {
                  start: formatDate(archive.publicityStartedOn),
                  end: formatDate(archive.publicityEndsOn),
                  count: objectionCount,
                  upheld: upheldCount,
                })
              : t('householdPrint.noPublicity')}
            {archive.exitedOn
              ? ` ${t('householdPrint.exitLine', {
                  date: formatDate(archive.exitedOn),
                  reason: label(EXIT_REASONS, archive.exitReason),
                })}`
              : ''}
          </p>
        </section>
      ) : null}

      <section className="print-section print-signatures" data-testid="print-signatures">
        <h2>{t('householdPrint.sectionSignatures')}</h2>
        <table className="print-grid">
          <colgroup>
            <col className="print-label" />
            <col />
            <col className="print-label" />
            <col />
            <col className="print-label" />
            <col />
          </colgroup>
          <tbody>
            <tr>
              <Field label={t('householdPrint.filledBy')}>{household.surveyor ?? ''}</Field>
              <Field label={t('householdPrint.reviewedBy')} />
              <Field label={t('householdPrint.enteredBy')} />
            </tr>
          </tbody>
        </table>
        <div className="print-sign-box">
          <div className="print-sign-title">{t('householdPrint.headSignature')}</div>
          <div className="print-sign-text">{t('householdPrint.headDeclaration')}</div>
          <div className="print-sign-line">
            <span>{t('householdPrint.labelled', { label: t('householdPrint.signature') })}</span>
            <span className="print-blank" />
            <span>{t('householdPrint.date')}</span>
          </div>
        </div>
        {(
          [
            ['unitOpinion', false],
            ['grassrootsOpinion', true],
            ['districtOpinion', true],
          ] as const
        ).map(([key, stamp]) => (
          <div className="print-sign-box" key={key}>
            <div className="print-sign-title">{t(`householdPrint.${key}`)}</div>
            <div className="print-sign-space" />
            <div className="print-sign-line">
              <span>{t('householdPrint.labelled', { label: t('householdPrint.signature') })}</span>
              <span className="print-blank" />
              {stamp ? <span className="print-stamp">{t('householdPrint.stamp')}</span> : null}
              <span>{t('householdPrint.date')}</span>
            </div>
          </div>
        ))}
      </section>
      <footer className="print-footer">
        {t('householdPrint.footer', { at: formatDateTime(new Date().toISOString()) })}
      </footer>
    </article>
  );
}

/**
 * The national archive form of a household, to print and sign (户主签字, 基层工会 and 区县工会
 * opinions with their stamps). Whole ID numbers only for a holder of person:read_full, whose
 * opening of this page is the audited full read; masked otherwise.
 */
export default function HouseholdPrintPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const full = can('person:read_full');
  const query = useHousehold(id, full);
  const household = query.data;
  const head = usePerson(household?.head.id, false);
  usePageTitle(
    household ? `${household.head.name} · ${t('householdPrint.pageTitle')}` : t('householdPrint.pageTitle'),
  );

  if (query.isPending || (household && head.isPending)) return <PageSpinner />;
  if (query.isError || !household)
    return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;

  return (
    <div className="print-page">
      <div className="print-toolbar no-print">
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(`/households/${household.id}`)}>
            {t('householdPrint.back')}
          </Button>
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            onClick={() => window.print()}
            data-testid="print-button"
          >
            {t('householdPrint.print')}
          </Button>
        </Space>
        <Alert
          type={household.fullView ? 'warning' : 'info'}
          showIcon
          data-testid="print-id-note"
          title={household.fullView ? t('householdPrint.fullIdNote') : t('householdPrint.maskedIdNote')}
        />
      </div>
      <Sheet household={household} head={head.data} />
    </div>
  );
}
