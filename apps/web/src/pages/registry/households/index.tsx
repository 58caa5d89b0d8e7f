import { DownloadOutlined, ImportOutlined, PlusOutlined } from '@ant-design/icons';
import {
  ARCHIVE_CATEGORIES,
  ARCHIVE_STATUSES,
  type ArchiveCategory,
  type ArchiveStatus,
  HARDSHIP_CAUSES,
  type HardshipCause,
  type HouseholdSummary,
  URGENCIES,
  type Urgency,
} from '@niangjia/contracts';
import {
  Button,
  Card,
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
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { exportHouseholds } from '../../../api/imports';
import { type HouseholdListParams, useHouseholds } from '../../../api/registry';
import { OrgCodeInput } from '../../../components/OrgCodeInput';
import { usePermissions } from '../../../lib/access';
import { formatDate } from '../../../lib/format';
import { showError } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import {
  codeOptions,
  statusColor,
  statusLabel,
  URGENCY_COLORS,
  useCodeLabel,
  useCodeLang,
} from '../../../lib/registry-labels';

const PAGE_SIZES = [10, 20, 50, 100];

interface FilterValues {
  org?: string;
  q?: string;
  status?: ArchiveStatus;
  category?: ArchiveCategory;
  cause?: HardshipCause;
  migrant?: 'true' | 'false';
  urgency?: Urgency;
}

function oneOf<T extends string>(table: readonly { code: T }[], value: string | null): T | undefined {
  return table.find((entry) => entry.code === value)?.code;
}

/** The list's query, kept in the address so a filtered page can be reloaded or shared. */
function paramsFrom(search: URLSearchParams): HouseholdListParams {
  const page = Number(search.get('page'));
  const pageSize = Number(search.get('pageSize'));
  const migrant = search.get('migrant');
  return {
    org: search.get('org') || undefined,
    q: search.get('q') || undefined,
    status: oneOf(ARCHIVE_STATUSES, search.get('status')),
    category: oneOf(ARCHIVE_CATEGORIES, search.get('category')),
    cause: oneOf(HARDSHIP_CAUSES, search.get('cause')),
    urgency: oneOf(URGENCIES, search.get('urgency')),
    migrant: migrant === 'true' ? true : migrant === 'false' ? false : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : 20,
  };
}

function toSearch(params: HouseholdListParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['org', 'q', 'status', 'category', 'cause', 'urgency'] as const) {
    const value = params[key];
    if (value) out[key] = value;
  }
  if (params.migrant !== undefined) out.migrant = String(params.migrant);
  if (params.page !== 1) out.page = String(params.page);
  if (params.pageSize !== 20) out.pageSize = String(params.pageSize);
  return out;
}

export default function HouseholdsPage() {
  const { t } = useTranslation();
  usePageTitle(t('registry.pageTitle'));
  const lang = useCodeLang();
  const label = useCodeLabel();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const [search, setSearch] = useSearchParams();
  const params = paramsFrom(search);
  const list = useHouseholds(params);
  const [filterForm] = Form.useForm<FilterValues>();

  // Keep the filter form in step with the address (back/forward, shared links).
  useEffect(() => {
    filterForm.setFieldsValue({
      org: params.org ?? '',
      q: params.q ?? '',
      status: params.status,
      category: params.category,
      cause: params.cause,
      urgency: params.urgency,
      migrant: params.migrant === undefined ? undefined : params.migrant ? 'true' : 'false',
    });
  }, [
    filterForm,
    params.org,
    params.q,
    params.status,
    params.category,
    params.cause,
    params.urgency,
    params.migrant,
  ]);

  const update = (next: Partial<HouseholdListParams>) => setSearch(toSearch({ ...params, ...next }));

  const applyFilters = (values: FilterValues) =>
    update({
      org: values.org?.trim() || undefined,
      q: values.q?.trim().slice(0, 50) || undefined,
      status: values.status,
      category: values.category,
      cause: values.cause,
      urgency: values.urgency,
      migrant: values.migrant === undefined ? undefined : values.migrant === 'true',
      page: 1,
    });

  // The export is of the list as filtered now (not only the page shown), with the import headers.
  const [exporting, setExporting] = useState(false);
  const exportList = () => {
    setExporting(true);
    exportHouseholds(params)
      .catch(showError)
      .finally(() => setExporting(false));
  };

  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;

  const columns: TableColumnsType<HouseholdSummary> = [
    {
      title: t('registry.fields.headName'),
      dataIndex: 'headName',
      fixed: 'left',
      render: (name: string, row) => (
        <Link to={`/households/${row.id}`} onClick={(event) => event.stopPropagation()}>
          {name}
        </Link>
      ),
    },
    {
      title: t('registry.fields.idNumber'),
      dataIndex: 'headIdMasked',
      render: (id: string) => <span className="mono">{id}</span>,
    },
    {
      title: t('registry.fields.organisation'),
      dataIndex: 'orgName',
      render: (name: string, row) => (
        <span title={row.orgCode} className="nowrap">
          {name}
        </span>
      ),
    },
    { title: t('registry.fields.size'), dataIndex: 'size', align: 'right' },
    {
      title: t('registry.fields.status'),
      dataIndex: 'status',
      render: (status: ArchiveStatus | null) =>
        status ? (
          <Tag color={statusColor(status)}>{statusLabel(status, lang)}</Tag>
        ) : (
          <Tag>{t('registry.noArchive')}</Tag>
        ),
    },
    {
      title: t('registry.fields.category'),
      dataIndex: 'category',
      render: (category: string | null) =>
        category ? (
          label(ARCHIVE_CATEGORIES, category)
        ) : (
          <Typography.Text type="secondary">{t('registry.notClassified')}</Typography.Text>
        ),
    },
    {
      title: t('registry.fields.primaryCause'),
      dataIndex: 'primaryCause',
      render: (cause: string | null) => (cause ? label(HARDSHIP_CAUSES, cause) : none),
    },
    {
      title: t('registry.fields.urgency'),
      dataIndex: 'urgency',
      render: (urgency: Urgency | null) =>
        urgency ? <Tag color={URGENCY_COLORS[urgency]}>{label(URGENCIES, urgency)}</Tag> : none,
    },
    {
      title: t('registry.fields.migrantWorker'),
      dataIndex: 'migrantWorker',
      render: (migrant: boolean) => (migrant ? t('common.yes') : t('common.no')),
    },
    {
      title: t('registry.fields.surveyDate'),
      dataIndex: 'surveyDate',
      render: (date: string | null) => (date ? formatDate(date) : none),
    },
  ];

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('registry.pageTitle')}</Typography.Title>
        <Space wrap>
          {can('person:read_full') ? (
            <Tooltip title={t('registry.exportHint')}>
              <Button
                icon={<DownloadOutlined />}
                loading={exporting}
                onClick={exportList}
                data-testid="household-export"
              >
                {t('registry.export')}
              </Button>
            </Tooltip>
          ) : null}
          {can('registry:write') ? (
            <Button
              icon={<ImportOutlined />}
              onClick={() => void navigate('/registry/import')}
              data-testid="household-import"
            >
              {t('registry.import')}
            </Button>
          ) : null}
          {can('registry:write') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => void navigate('/households/new')}
              data-testid="household-create"
            >
              {t('registry.create')}
            </Button>
          ) : null}
        </Space>
      </div>
      <Card>
        <Form<FilterValues>
          form={filterForm}
          layout="inline"
          onFinish={applyFilters}
          style={{ marginBottom: 16, rowGap: 12 }}
          data-testid="household-filters"
        >
          <Form.Item name="q">
            <Input
              allowClear
              placeholder={t('registry.filterText')}
              title={t('registry.filterTextHint')}
              style={{ width: 200 }}
              data-testid="household-filter-q"
            />
          </Form.Item>
          <Form.Item name="org">
            <OrgCodeInput
              allowClear
              placeholder={t('registry.filterOrg')}
              style={{ width: 180 }}
              data-testid="household-filter-org"
            />
          </Form.Item>
          <Form.Item name="status">
            <Select<ArchiveStatus>
              allowClear
              placeholder={t('registry.filterStatus')}
              style={{ width: 150 }}
              popupMatchSelectWidth={false}
              data-testid="household-filter-status"
              options={codeOptions(ARCHIVE_STATUSES, lang)}
            />
          </Form.Item>
          <Form.Item name="category">
            <Select<ArchiveCategory>
              allowClear
              placeholder={t('registry.filterCategory')}
              style={{ width: 150 }}
              popupMatchSelectWidth={false}
              data-testid="household-filter-category"
              options={codeOptions(ARCHIVE_CATEGORIES, lang)}
            />
          </Form.Item>
          <Form.Item name="cause">
            <Select<HardshipCause>
              allowClear
              placeholder={t('registry.filterCause')}
              style={{ width: 160 }}
              popupMatchSelectWidth={false}
              data-testid="household-filter-cause"
              options={codeOptions(HARDSHIP_CAUSES, lang)}
            />
          </Form.Item>
          <Form.Item name="urgency">
            <Select<Urgency>
              allowClear
              placeholder={t('registry.filterUrgency')}
              style={{ width: 120 }}
              data-testid="household-filter-urgency"
              options={codeOptions(URGENCIES, lang)}
            />
          </Form.Item>
          <Form.Item name="migrant">
            <Select<'true' | 'false'>
              allowClear
              placeholder={t('registry.filterMigrant')}
              style={{ width: 140 }}
              data-testid="household-filter-migrant"
              options={[
                { value: 'true', label: t('common.yes') },
                { value: 'false', label: t('common.no') },
              ]}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="household-filter-submit">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  filterForm.resetFields();
                  setSearch({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <Table<HouseholdSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          className="nowrap-table"
          data-testid="household-table"
          onRow={(row) => ({
            onClick: () => void navigate(`/households/${row.id}`),
            className: 'clickable-row',
          })}
          pagination={{
            current: params.page,
            pageSize: params.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            // Past the count's cap the server says "at least" (ADR 0012): so does the page.
            showTotal: (total) =>
              list.data?.totalIsLowerBound
                ? t('registry.totalAtLeast', { total: total.toLocaleString('en') })
                : t('common.total', { total }),
            onChange: (page, pageSize) => update({ page: pageSize !== params.pageSize ? 1 : page, pageSize }),
          }}
        />
      </Card>
    </>
  );
}
