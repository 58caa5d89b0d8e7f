import { DownloadOutlined, FallOutlined, PrinterOutlined, RiseOutlined } from '@ant-design/icons';
import {
  AID_TYPES,
  type AssistanceReport,
  type AssistanceYearBy,
  type CodeEntry,
  FUND_SOURCES,
} from '@niangjia/contracts';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Row,
  Segmented,
  Space,
  Spin,
  Statistic,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import {
  type AssistanceReportParams,
  exportAssistanceReport,
  useAssistanceReport,
} from '../../../api/assistance';
import { useCurrentMe } from '../../../api/auth';
import { useOrg } from '../../../api/orgs';
import { BarLineChart } from '../../../components/BarLineChart';
import { OrgSelect } from '../../../components/OrgSelect';
import { ErrorResult } from '../../../layout/ErrorResult';
import { formatDateTime, todayDate } from '../../../lib/format';
import { fenToWan, formatWan } from '../../../lib/money';
import { showError } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { useCodeLabel } from '../../../lib/registry-labels';
import './report.css';

const FIRST_YEAR = 1990;
/** Table 1 of the founding report covers these years. */
const FOUNDING = [2009, 2014] as const;

const count = (n: number) => n.toLocaleString('en-US');
/** Figures keep to one line (their cells only: the headers above them may wrap). */
const numeric = () => ({ className: 'money' });
const thisYear = () => Number(todayDate().slice(0, 4));

/** A year of the address, when it is one the report accepts. */
function yearOf(text: string | null): number | undefined {
  const n = Number(text);
  return text && Number.isInteger(n) && n >= FIRST_YEAR && n <= 2100 ? n : undefined;
}

/** The report's query from the address; by default the last six years, this one included. */
function paramsFrom(search: URLSearchParams): AssistanceReportParams {
  const to = yearOf(search.get('to')) ?? thisYear();
  const from = yearOf(search.get('from')) ?? to - 5;
  return { from: Math.min(from, to), to, org: search.get('org') || undefined };
}

/** Growth as a percentage to one decimal, from the server's fraction (1.313 → 131.3). */
const percent = (fraction: number) => (Math.round(Math.abs(fraction) * 1000) / 10).toFixed(1);

interface PivotRow {
  key: string;
  year: number;
  cells: Record<string, { personTimes: number; amountFen: number }>;
}

/** Years down, the codes that occur across (in their table's order), person-times and 万元 in each. */
function Pivot({
  report,
  entries,
  table,
  testId,
}: {
  report: AssistanceReport;
  entries: readonly AssistanceYearBy[];
  table: readonly CodeEntry[];
  testId: string;
}) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const codes = table.map((e) => e.code).filter((code) => entries.some((e) => e.code === code));
  const rows: PivotRow[] = report.rows.map(({ year }) => ({
    key: String(year),
    year,
    cells: Object.fromEntries(
      entries
        .filter((e) => e.year === year)
        .map((e) => [e.code, { personTimes: e.personTimes, amountFen: e.amountFen }]),
    ),
  }));
  const totals = codes.map((code) =>
    entries
      .filter((e) => e.code === code)
      .reduce(
        (sum, e) => ({
          personTimes: sum.personTimes + e.personTimes,
          amountFen: sum.amountFen + e.amountFen,
        }),
        {
          personTimes: 0,
          amountFen: 0,
        },
      ),
  );
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const columns: TableColumnsType<PivotRow> = [
    { title: t('assistanceReport.year'), dataIndex: 'year', align: 'center', width: 64 },
    ...codes.map((code) => ({
      title: label(table, code),
      key: code,
      children: [
        {
          title: t('assistanceReport.personTimes'),
          key: `${code}-p`,
          align: 'right' as const,
          onCell: numeric,
          render: (_: unknown, row: PivotRow) => {
            const cell = row.cells[code];
            return cell ? count(cell.personTimes) : none;
          },
        },
        {
          // Short under each code: the pivot's heading gives the unit (人次 / 万元).
          title: t('assistanceReport.wan'),
          key: `${code}-a`,
          align: 'right' as const,
          onCell: numeric,
          render: (_: unknown, row: PivotRow) => {
            const cell = row.cells[code];
            return cell ? formatWan(cell.amountFen) : none;
          },
        },
      ],
    })),
  ];
  if (codes.length === 0) return <Empty description={t('assistanceReport.empty')} />;
  return (
    <Table<PivotRow>
      size="small"
      bordered
      columns={columns}
      dataSource={rows}
      pagination={false}
      // No sideways scrolling: the printed page shows every column (the headers wrap instead).
      className="report-table"
      data-testid={testId}
      summary={() => (
        <Table.Summary.Row className="figure-total">
          <Table.Summary.Cell index={0} align="center">
            {t('assistanceReport.total')}
          </Table.Summary.Cell>
          {totals.flatMap((total, i) => [
            <Table.Summary.Cell key={`${codes[i]}-p`} index={1 + 2 * i} align="right" className="money">
              {count(total.personTimes)}
            </Table.Summary.Cell>,
            <Table.Summary.Cell key={`${codes[i]}-a`} index={2 + 2 * i} align="right" className="money">
              {formatWan(total.amountFen)}
            </Table.Summary.Cell>,
          ])}
        </Table.Summary.Row>
      )}
    />
  );
}

/**
 * 帮扶统计: person-times and amounts of assistance per year (Table 1 of the founding report), their
 * growth, the same per type of aid and per fund source, a chart; exported to Excel or printed.
 */
export default function AssistanceReportPage() {
  const { t } = useTranslation();
  usePageTitle(t('assistanceReport.pageTitle'));
  const me = useCurrentMe();
  const [search, setSearch] = useSearchParams();
  const params = paramsFrom(search);
  const report = useAssistanceReport(params);
  const data = report.data;
  const orgCode = params.org ?? me.organisation.code;
  const org = useOrg(params.org);
  const orgName = params.org ? (org.data?.name ?? params.org) : me.organisation.name;
  const [pivot, setPivot] = useState<'type' | 'fund'>('type');
  const [exporting, setExporting] = useState(false);

  const update = (next: Partial<AssistanceReportParams>) => {
    const merged = { ...params, ...next };
    const out: Record<string, string> = { from: String(merged.from), to: String(merged.to) };
    if (merged.org && merged.org !== me.organisation.code) out.org = merged.org;
    setSearch(out, { replace: true });
  };

  const year = (y: number) => dayjs(`${y}-01-01`);
  const last = thisYear();
  const presets: { label: string; value: [Dayjs, Dayjs] }[] = [
    { label: t('assistanceReport.lastThree'), value: [year(last - 2), year(last)] },
    { label: t('assistanceReport.lastSix'), value: [year(last - 5), year(last)] },
    { label: t('assistanceReport.lastTen'), value: [year(last - 9), year(last)] },
    { label: t('assistanceReport.founding'), value: [year(FOUNDING[0]), year(FOUNDING[1])] },
  ];

  const exportWorkbook = () => {
    setExporting(true);
    exportAssistanceReport(params)
      .catch(showError)
      .finally(() => setExporting(false));
  };

  const growth = (fraction: number | null) =>
    fraction === null
      ? t('assistanceReport.unknown')
      : t(fraction < 0 ? 'assistanceReport.down' : 'assistanceReport.up', { pct: percent(fraction) });
  const signed = (fraction: number | null) =>
    fraction === null ? t('common.none') : `${fraction < 0 ? '-' : '+'}${percent(fraction)}%`;

  const chart = useMemo(() => {
    if (!data) return undefined;
    return {
      categories: data.rows.map((r) => String(r.year)),
      bar: {
        name: t('assistanceReport.personTimes'),
        unit: t('assistanceReport.personTimes'),
        values: data.rows.map((r) => r.personTimes),
        color: '#c8102e',
        format: count,
      },
      line: {
        name: t('assistanceReport.amountWan'),
        unit: t('assistanceReport.amountWan'),
        values: data.rows.map((r) => fenToWan(r.amountFen)),
        color: '#d48806',
        format: (v: number) => v.toFixed(2),
      },
    };
  }, [data, t]);

  const columns: TableColumnsType<AssistanceReport['rows'][number]> = [
    { title: t('assistanceReport.year'), dataIndex: 'year', align: 'center', width: '30%' },
    {
      title: t('assistanceReport.personTimes'),
      dataIndex: 'personTimes',
      align: 'right',
      onCell: numeric,
      width: '35%',
      render: count,
    },
    {
      title: t('assistanceReport.amountWan'),
      dataIndex: 'amountFen',
      align: 'right',
      onCell: numeric,
      width: '35%',
      render: formatWan,
    },
  ];

  const first = data?.rows[0]?.year ?? params.from;
  const lastRow = data?.rows.at(-1)?.year ?? params.to;
  const hasGrowth = lastRow > first;

  return (
    <div className="assistance-report">
      <div className="page-header no-print">
        <Typography.Title level={4}>{t('assistanceReport.pageTitle')}</Typography.Title>
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={exportWorkbook}
            data-testid="report-export"
          >
            {t('assistanceReport.export')}
          </Button>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="report-print">
            {t('assistanceReport.print')}
          </Button>
        </Space>
      </div>

      <Card className="no-print report-filters">
        <Form layout="inline" style={{ rowGap: 12 }}>
          <Form.Item label={t('assistanceReport.org')}>
            <OrgSelect
              value={orgCode}
              onChange={(code) => update({ org: code || undefined })}
              style={{ width: 320 }}
              data-testid="report-org"
            />
          </Form.Item>
          <Form.Item label={t('assistanceReport.years')}>
            <DatePicker.RangePicker
              picker="year"
              allowClear={false}
              value={[year(params.from), year(params.to)]}
              presets={presets}
              disabledDate={(d) => d.year() < FIRST_YEAR || d.year() > last}
              onChange={(range) => {
                const [a, b] = range ?? [];
                if (a && b) update({ from: a.year(), to: b.year() });
              }}
              data-testid="report-years"
            />
          </Form.Item>
          <Form.Item>
            <Space size={4} wrap>
              {presets.slice(1).map((p) => {
                const chosen = params.from === p.value[0].year() && params.to === p.value[1].year();
                return (
                  <Button
                    key={p.label}
                    type={chosen ? 'primary' : 'default'}
                    ghost={chosen}
                    size="small"
                    onClick={() => update({ from: p.value[0].year(), to: p.value[1].year() })}
                    data-testid={`report-preset-${p.value[0].year()}`}
                  >
                    {p.label}
                  </Button>
                );
              })}
            </Space>
          </Form.Item>
        </Form>
      </Card>

      {report.isError && !data ? (
        <Card style={{ marginTop: 16 }}>
          <ErrorResult error={report.error} onRetry={() => void report.refetch()} />
        </Card>
      ) : !data ? (
        <div className="page-spinner">
          <Spin />
        </div>
      ) : (
        <Spin spinning={report.isFetching && report.isPlaceholderData}>
          <header className="report-print-title print-only">
            <h1>{t('assistanceReport.printTitle')}</h1>
            <div className="report-print-meta">
              <span>{t('assistanceReport.scope', { name: orgName, code: orgCode })}</span>
              <span>{t('assistanceReport.range', { from: params.from, to: params.to })}</span>
            </div>
          </header>

          <Row gutter={[16, 16]} className="report-figures no-print" data-testid="report-figures">
            <Col xs={12} lg={6}>
              <Card size="small">
                <Statistic
                  title={t('assistanceReport.totalPersonTimes')}
                  value={count(data.total.personTimes)}
                  data-testid="report-total-persons"
                />
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card size="small">
                <Statistic
                  title={t('assistanceReport.totalAmount')}
                  value={formatWan(data.total.amountFen)}
                  data-testid="report-total-amount"
                />
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card size="small">
                <Statistic
                  title={t('assistanceReport.growthPersonTimes', { first, last: lastRow })}
                  value={hasGrowth ? signed(data.growth.personTimes) : t('common.none')}
                  prefix={hasGrowth ? trend(data.growth.personTimes) : null}
                  data-testid="report-growth-persons"
                />
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card size="small">
                <Statistic
                  title={t('assistanceReport.growthAmount', { first, last: lastRow })}
                  value={hasGrowth ? signed(data.growth.amount) : t('common.none')}
                  prefix={hasGrowth ? trend(data.growth.amount) : null}
                  data-testid="report-growth-amount"
                />
              </Card>
            </Col>
          </Row>

          <Row gutter={[16, 16]} className="report-body">
            <Col xs={24} xl={10} className="report-col">
              <Card
                size="small"
                title={t('assistanceReport.tableTitle', { from: params.from, to: params.to })}
                className="report-card"
              >
                <Table
                  rowKey="year"
                  size="middle"
                  bordered
                  columns={columns}
                  dataSource={data.rows}
                  pagination={false}
                  className="report-table"
                  data-testid="report-table"
                  summary={() => (
                    <Table.Summary.Row className="figure-total" data-testid="report-total">
                      <Table.Summary.Cell index={0} align="center">
                        {t('assistanceReport.total')}
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={1} align="right" className="money">
                        {count(data.total.personTimes)}
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={2} align="right" className="money">
                        {formatWan(data.total.amountFen)}
                      </Table.Summary.Cell>
                    </Table.Summary.Row>
                  )}
                />
                {hasGrowth ? (
                  <Typography.Paragraph className="report-growth" data-testid="report-growth">
                    {t('assistanceReport.growthLine', {
                      first,
                      last: lastRow,
                      persons: growth(data.growth.personTimes),
                      amount: growth(data.growth.amount),
                    })}
                  </Typography.Paragraph>
                ) : null}
              </Card>
            </Col>
            <Col xs={24} xl={14} className="report-col">
              <Card
                size="small"
                title={t('assistanceReport.chartTitle')}
                className="report-card report-chart"
              >
                {chart ? (
                  <BarLineChart
                    categories={chart.categories}
                    bar={chart.bar}
                    line={chart.line}
                    height={360}
                    print={{ width: 680, height: 300 }}
                    testId="report-chart"
                  />
                ) : null}
              </Card>
            </Col>
          </Row>

          <Card
            size="small"
            className="report-card report-pivots"
            title={
              <Segmented<'type' | 'fund'>
                value={pivot}
                onChange={setPivot}
                options={[
                  { value: 'type', label: t('assistanceReport.byType') },
                  { value: 'fund', label: t('assistanceReport.byFund') },
                ]}
                data-testid="report-pivot-switch"
              />
            }
          >
            {/* Both are drawn; the screen shows the one chosen, the printed page both. */}
            <section className={pivot === 'type' ? 'report-pivot' : 'report-pivot screen-hidden'}>
              <h2 className="print-only">{t('assistanceReport.byTypeTitle')}</h2>
              <Pivot report={data} entries={data.byType} table={AID_TYPES} testId="report-by-type" />
            </section>
            <section className={pivot === 'fund' ? 'report-pivot' : 'report-pivot screen-hidden'}>
              <h2 className="print-only">{t('assistanceReport.byFundTitle')}</h2>
              <Pivot report={data} entries={data.byFund} table={FUND_SOURCES} testId="report-by-fund" />
            </section>
          </Card>

          <footer className="report-print-footer print-only">
            <span>{t('assistanceReport.source')}</span>
            <span>{t('assistanceReport.printedAt', { at: formatDateTime(new Date().toISOString()) })}</span>
          </footer>
        </Spin>
      )}
    </div>
  );
}

/** An arrow for a growth or a decline; neither colour is “good” in a report of help given. */
function trend(fraction: number | null) {
  if (fraction === null || fraction === 0) return null;
  return fraction > 0 ? <RiseOutlined /> : <FallOutlined />;
}
