import { BarChartOutlined, DownloadOutlined, ImportOutlined } from '@ant-design/icons';
import { AID_TYPES, type AidType, FUND_SOURCES, type FundSource, type LedgerLine } from '@niangjia/contracts';
import {
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { exportLedger, type LedgerFilters, useLedger, useReverseLedgerLine } from '../../../api/assistance';
import { FormModal } from '../../../components/FormModal';
import { OrgCodeInput } from '../../../components/OrgCodeInput';
import { usePermissions } from '../../../lib/access';
import { DATE_FORMAT, formatDate } from '../../../lib/format';
import { formatYuan } from '../../../lib/money';
import { showError, showSuccess } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { codeOptions, useCodeLabel, useCodeLang } from '../../../lib/registry-labels';
import './ledger.css';

interface FilterValues {
  org?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  aidType?: AidType;
  fundSource?: FundSource;
  program?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function oneOf<T extends string>(table: readonly { code: T }[], value: string | null): T | undefined {
  return table.find((entry) => entry.code === value)?.code;
}

/** The list's filters, kept in the address so a filtered ledger can be reloaded or shared. */
function filtersFrom(search: URLSearchParams): LedgerFilters {
  const day = (key: string) => {
    const value = search.get(key);
    return value && DAY.test(value) ? value : undefined;
  };
  return {
    org: search.get('org') || undefined,
    from: day('from'),
    to: day('to'),
    aidType: oneOf(AID_TYPES, search.get('aidType')),
    fundSource: oneOf(FUND_SOURCES, search.get('fundSource')),
    program: search.get('program') || undefined,
  };
}

function toSearch(filters: LedgerFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filters)) if (value) out[key] = value;
  return out;
}

/**
 * 发放台账: every payment of assistance in the scope, newest first, a hundred at a time; ID numbers
 * masked. Filters by paying organisation, day, type of aid, fund and program; the lines the filters
 * keep are exported whole to whoever may read whole ID numbers.
 */
export default function LedgerPage() {
  const { t } = useTranslation();
  usePageTitle(t('ledger.pageTitle'));
  const lang = useCodeLang();
  const label = useCodeLabel();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFrom(search), [search]);
  const ledger = useLedger(filters);
  const lines = useMemo(() => ledger.data?.pages.flatMap((page) => page.lines) ?? [], [ledger.data]);
  const [form] = Form.useForm<FilterValues>();

  // Keep the filter form in step with the address (back/forward, shared links).
  useEffect(() => {
    form.setFieldsValue({
      org: filters.org ?? '',
      dates:
        filters.from || filters.to
          ? [filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]
          : null,
      aidType: filters.aidType,
      fundSource: filters.fundSource,
      program: filters.program ?? '',
    });
  }, [form, filters]);

  const apply = (values: FilterValues) =>
    setSearch(
      toSearch({
        org: values.org?.trim() || undefined,
        from: values.dates?.[0]?.format(DATE_FORMAT),
        to: values.dates?.[1]?.format(DATE_FORMAT),
        aidType: values.aidType,
        fundSource: values.fundSource,
        program: values.program?.trim().slice(0, 100) || undefined,
      }),
    );

  const [exporting, setExporting] = useState(false);
  const exportLines = () => {
    setExporting(true);
    exportLedger(filters)
      .catch(showError)
      .finally(() => setExporting(false));
  };

  const [reversing, setReversing] = useState<LedgerLine | null>(null);
  const [reverseForm] = Form.useForm<{ reason: string }>();
  const reverse = useReverseLedgerLine();

  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const personPages = can('registry:read');

  const columns: TableColumnsType<LedgerLine> = [
    {
      title: t('ledger.paidOn'),
      dataIndex: 'paidOn',
      render: (day: string) => formatDate(day),
    },
    {
      title: t('ledger.name'),
      dataIndex: 'personName',
      render: (name: string, line) =>
        personPages ? <Link to={`/people/${line.personId}`}>{name}</Link> : name,
    },
    {
      title: t('ledger.idNumber'),
      dataIndex: 'idNumberMasked',
      render: (id: string) => <span className="mono">{id}</span>,
    },
    {
      title: t('ledger.aidType'),
      dataIndex: 'aidType',
      render: (code: AidType) => label(AID_TYPES, code),
    },
    {
      title: t('ledger.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number, line) => (
        <span
          className={`money ${fen < 0 ? 'ledger-negative' : ''} ${line.reversedBy ? 'ledger-struck' : ''}`}
          data-testid="ledger-amount"
        >
          {formatYuan(fen)}
        </span>
      ),
    },
    {
      title: t('ledger.fundSource'),
      dataIndex: 'fundSource',
      render: (code: FundSource) => label(FUND_SOURCES, code),
    },
    {
      title: t('ledger.program'),
      dataIndex: 'programName',
      render: (program: string | null) =>
        program ? (
          <Typography.Text ellipsis={{ tooltip: program }} style={{ maxWidth: 220 }}>
            {program}
          </Typography.Text>
        ) : (
          none
        ),
    },
    {
      title: t('ledger.paidBy'),
      dataIndex: 'paidBy',
      render: (by: string | null) => by ?? none,
    },
    {
      title: t('ledger.org'),
      dataIndex: 'orgName',
      render: (name: string, line) => <span title={line.orgCode}>{name}</span>,
    },
    {
      title: t('ledger.state'),
      key: 'state',
      render: (_: unknown, line) =>
        line.kind === 'reversal' ? (
          <Tooltip title={line.reason ? t('ledger.reversalReason', { reason: line.reason }) : undefined}>
            <Tag color="red" data-testid="ledger-reversal">
              {t('ledger.reversal')}
            </Tag>
          </Tooltip>
        ) : line.reversedBy ? (
          <Tooltip title={t('ledger.reversedHint')}>
            <Tag data-testid="ledger-reversed">{t('ledger.reversed')}</Tag>
          </Tooltip>
        ) : line.origin === 'import' && can('assistance:approve') ? (
          // A grant's payment is reversed on the grant's page, with the grant.
          <Button type="link" size="small" onClick={() => setReversing(line)} data-testid="ledger-reverse">
            {t('ledger.reverse')}
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('ledger.pageTitle')}</Typography.Title>
        <Space wrap>
          <Button icon={<BarChartOutlined />} onClick={() => void navigate('/assistance/report')}>
            {t('ledger.report')}
          </Button>
          {can('person:read_full') ? (
            <Tooltip title={t('ledger.exportHint')}>
              <Button
                icon={<DownloadOutlined />}
                loading={exporting}
                onClick={exportLines}
                data-testid="ledger-export"
              >
                {t('ledger.export')}
              </Button>
            </Tooltip>
          ) : null}
          {can('assistance:pay') ? (
            <Button
              type="primary"
              icon={<ImportOutlined />}
              onClick={() => void navigate('/assistance/import')}
              data-testid="ledger-import"
            >
              {t('ledger.import')}
            </Button>
          ) : null}
        </Space>
      </div>
      <Card>
        <Form<FilterValues>
          form={form}
          layout="inline"
          onFinish={apply}
          style={{ marginBottom: 16, rowGap: 12 }}
          data-testid="ledger-filters"
        >
          <Form.Item name="org">
            <OrgCodeInput
              allowClear
              placeholder={t('ledger.filterOrg')}
              style={{ width: 180 }}
              data-testid="ledger-filter-org"
            />
          </Form.Item>
          <Form.Item name="dates">
            <DatePicker.RangePicker
              format={DATE_FORMAT}
              allowEmpty={[true, true]}
              placeholder={[t('ledger.dateFrom'), t('ledger.dateTo')]}
              style={{ width: 260 }}
              data-testid="ledger-filter-dates"
            />
          </Form.Item>
          <Form.Item name="aidType">
            <Select<AidType>
              allowClear
              placeholder={t('ledger.filterAidType')}
              style={{ width: 140 }}
              options={codeOptions(AID_TYPES, lang)}
              data-testid="ledger-filter-aidType"
            />
          </Form.Item>
          <Form.Item name="fundSource">
            <Select<FundSource>
              allowClear
              placeholder={t('ledger.filterFund')}
              style={{ width: 140 }}
              options={codeOptions(FUND_SOURCES, lang)}
              data-testid="ledger-filter-fundSource"
            />
          </Form.Item>
          <Form.Item name="program">
            <Input
              allowClear
              placeholder={t('ledger.filterProgram')}
              style={{ width: 220 }}
              data-testid="ledger-filter-program"
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="ledger-filter-submit">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setSearch({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <Table<LedgerLine>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={lines}
          loading={ledger.isFetching && !ledger.isFetchingNextPage}
          scroll={{ x: 'max-content' }}
          className="nowrap-table"
          rowClassName={(line) =>
            line.kind === 'reversal' ? 'ledger-row ledger-row-reversal' : 'ledger-row'
          }
          pagination={false}
          locale={{ emptyText: <Empty description={t('ledger.empty')} /> }}
          data-testid="ledger-table"
        />
        {lines.length > 0 ? (
          <div className="ledger-more" data-testid="ledger-more">
            <Typography.Text type="secondary" data-testid="ledger-shown">
              {t('ledger.shown', { count: lines.length })}
            </Typography.Text>
            {ledger.hasNextPage ? (
              <Button
                onClick={() => void ledger.fetchNextPage()}
                loading={ledger.isFetchingNextPage}
                data-testid="ledger-load-more"
              >
                {t('ledger.loadMore')}
              </Button>
            ) : (
              <Typography.Text type="secondary">{t('ledger.allShown')}</Typography.Text>
            )}
          </div>
        ) : null}
      </Card>
      <FormModal<{ reason: string }>
        open={reversing !== null}
        title={
          reversing
            ? t('ledger.reverseTitle', {
                name: reversing.personName,
                amount: formatYuan(reversing.amountFen),
              })
            : ''
        }
        form={reverseForm}
        loading={reverse.isPending}
        okText={t('ledger.reverse')}
        testId="ledger-reverse-form"
        onClose={() => setReversing(null)}
        onSubmit={(values) => {
          if (!reversing) return;
          reverse.mutate(
            { id: reversing.id, reason: values.reason.trim() },
            {
              onSuccess: () => {
                showSuccess(t('ledger.reverseDone'));
                setReversing(null);
              },
              onError: (error) => showError(error),
            },
          );
        }}
      >
        <Typography.Paragraph type="secondary">{t('ledger.reverseHelp')}</Typography.Paragraph>
        <Form.Item
          name="reason"
          label={t('ledger.reverseReason')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input.TextArea rows={3} maxLength={500} data-testid="ledger-reverse-reason" />
        </Form.Item>
      </FormModal>
    </>
  );
}
