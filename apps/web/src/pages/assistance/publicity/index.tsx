import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { AID_TYPES, type GrantView } from '@niangjia/contracts';
import { Alert, Button, Empty, Segmented, Space } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ALL_GRANTS_CAP, useAllGrants, useProgram } from '../../../api/grants';
import { ErrorResult } from '../../../layout/ErrorResult';
import { PageSpinner } from '../../../layout/PageSpinner';
import { formatDate } from '../../../lib/format';
import { formatYuan } from '../../../lib/money';
import { usePageTitle } from '../../../lib/page-title';
import { useCodeLabel, useCodeLang } from '../../../lib/registry-labels';
import './sheet.css';

/** Grants whose approval stands: they were (or are being) publicised. */
const PUBLICISED = new Set(['approved', 'objected', 'paid']);

/**
 * 公示名单: the people a program's grants were approved for, to post on the union's notice board
 * for its publicity: one list per day of approval (each has its own period), ID numbers masked, the
 * period and how to object. Printed on A4 without anything of the application around it.
 */
export default function PublicityPage() {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const label = useCodeLabel();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const programQuery = useProgram(id);
  const program = programQuery.data;
  const grantsQuery = useAllGrants(id);
  usePageTitle(program ? `${program.name} · ${t('publicity.pageTitle')}` : t('publicity.pageTitle'));

  const publicised = useMemo(
    () => (grantsQuery.data?.items ?? []).filter((g) => PUBLICISED.has(g.status) && g.approvedOn),
    [grantsQuery.data],
  );
  // The days of approval, newest first: each day's grants share one publicity period.
  const days = useMemo(
    () => [...new Set(publicised.map((g) => g.approvedOn as string))].sort().reverse(),
    [publicised],
  );
  const chosen = days.includes(search.get('on') ?? '') ? (search.get('on') as string) : days[0];
  const rows = useMemo(() => {
    const collator = new Intl.Collator(lang === 'zh' ? 'zh-CN' : 'en');
    return publicised
      .filter((g) => g.approvedOn === chosen)
      .sort(
        (a, b) =>
          (a.householdOrg ?? a.org).localeCompare(b.householdOrg ?? b.org) ||
          collator.compare(a.personName, b.personName),
      );
  }, [publicised, chosen, lang]);

  if (programQuery.isPending || grantsQuery.isPending) return <PageSpinner />;
  if (programQuery.isError || !program)
    return <ErrorResult error={programQuery.error} onRetry={() => void programQuery.refetch()} />;
  if (grantsQuery.isError)
    return <ErrorResult error={grantsQuery.error} onRetry={() => void grantsQuery.refetch()} />;

  const totalFen = rows.reduce((sum, g) => sum + g.amountFen, 0);
  const ends = rows[0]?.publicityEndsOn ?? null;
  const capped = (grantsQuery.data?.total ?? 0) > ALL_GRANTS_CAP;

  return (
    <div className="print-page">
      <div className="sheet-toolbar no-print">
        <Space wrap>
          <Button
            icon={<ArrowLeftOutlined />}
            onClick={() => void navigate(`/assistance/programs/${program.id}`)}
          >
            {t('publicity.back')}
          </Button>
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            onClick={() => window.print()}
            disabled={rows.length === 0}
            data-testid="publicity-print"
          >
            {t('publicity.print')}
          </Button>
        </Space>
        {days.length > 1 ? (
          <Space>
            <span>{t('publicity.batch')}</span>
            <Segmented
              value={chosen}
              onChange={(on) => setSearch({ on: String(on) }, { replace: true })}
              options={days.map((d) => ({ value: d, label: formatDate(d) }))}
              data-testid="publicity-days"
            />
          </Space>
        ) : null}
      </div>
      {capped ? (
        <Alert
          className="no-print sheet-toolbar"
          type="warning"
          showIcon
          title={t('publicity.capped', { count: ALL_GRANTS_CAP })}
        />
      ) : null}
      {rows.length === 0 ? (
        <div className="grant-sheet">
          <Empty description={t('publicity.empty')} data-testid="publicity-empty" />
        </div>
      ) : (
        <article className="grant-sheet" lang={lang === 'zh' ? 'zh-CN' : 'en'} data-testid="publicity-sheet">
          <h1>{t('publicity.title', { program: program.name })}</h1>
          <div className="sheet-meta">
            <span>{t('publicity.org', { name: program.orgName })}</span>
            <span>{t('publicity.date', { date: formatDate(chosen) })}</span>
          </div>
          <table data-testid="publicity-table">
            <colgroup>
              <col style={{ width: '6%' }} />
              <col style={{ width: '11%' }} />
              <col style={{ width: '23%' }} />
              <col />
              <col style={{ width: '10%' }} />
              <col style={{ width: '12%' }} />
            </colgroup>
            <thead>
              <tr>
                <th>{t('publicity.seq')}</th>
                <th>{t('grants.name')}</th>
                <th>{t('grants.idNumber')}</th>
                <th>{t('publicity.union')}</th>
                <th>{t('grants.aidType')}</th>
                <th>{t('grants.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((g: GrantView, i) => (
                <tr key={g.id} className="publicity-row">
                  <td className="sheet-center">{i + 1}</td>
                  <td>{g.personName}</td>
                  <td className="sheet-id">{g.idNumberMasked}</td>
                  <td>{g.householdOrgName ?? g.orgName}</td>
                  <td className="sheet-center">{label(AID_TYPES, g.aidType)}</td>
                  <td className="sheet-money">{formatYuan(g.amountFen)}</td>
                </tr>
              ))}
              <tr className="sheet-total">
                <td colSpan={5} data-testid="publicity-total">
                  {t('publicity.total', { count: rows.length, amount: formatYuan(totalFen) })}
                </td>
                <td className="sheet-money">{formatYuan(totalFen)}</td>
              </tr>
            </tbody>
          </table>
          {program.publicityWorkingDays > 0 && ends ? (
            <>
              <p className="sheet-period" data-testid="publicity-period">
                {t('publicity.period', { from: formatDate(chosen), to: formatDate(ends) })}
              </p>
              <p className="sheet-text" data-testid="publicity-invite">
                {t('publicity.invite', { org: program.orgName, to: formatDate(ends) })}
              </p>
            </>
          ) : (
            <p className="sheet-text">{t('publicity.noPublicity')}</p>
          )}
          <div className="sheet-issuer">
            <span>{program.orgName}</span>
            <span className="sheet-stamp">{t('publicity.stamp')}</span>
            <span className="mono">{formatDate(chosen)}</span>
          </div>
        </article>
      )}
    </div>
  );
}
