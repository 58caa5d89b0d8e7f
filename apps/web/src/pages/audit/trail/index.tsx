import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '@niangjia/contracts';
import {
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { type AuditListParams, useAudit } from '../../../api/audit';
import { DATE_FORMAT, formatDateTime, formatDateTimeSeconds } from '../../../lib/format';
import { actionLabel, entityLabel } from '../../../lib/labels';
import { usePageTitle } from '../../../lib/page-title';

const PAGE_SIZES = [20, 50, 100, 200];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const ACTION_COLORS: Partial<Record<AuditAction, string>> = {
  create: 'green',
  update: 'blue',
  deactivate: 'orange',
  activate: 'cyan',
  move: 'purple',
  password_reset: 'magenta',
  password_change: 'geekblue',
  login_failed: 'red',
  read: 'gold',
};

interface FilterValues {
  username?: string;
  entity?: string;
  entityId?: string;
  action?: AuditAction;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

function isAction(value: string | null): value is AuditAction {
  return value !== null && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

function paramsFrom(search: URLSearchParams): AuditListParams {
  const page = Number(search.get('page'));
  const pageSize = Number(search.get('pageSize'));
  const action = search.get('action');
  const from = search.get('from');
  const to = search.get('to');
  return {
    username: search.get('username') || undefined,
    entity: search.get('entity') || undefined,
    entityId: search.get('entityId') || undefined,
    action: isAction(action) ? action : undefined,
    from: from && DATE_RE.test(from) ? from : undefined,
    to: to && DATE_RE.test(to) ? to : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : 50,
  };
}

function toSearch(params: AuditListParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['username', 'entity', 'entityId', 'action', 'from', 'to'] as const) {
    const value = params[key];
    if (value) out[key] = value;
  }
  if (params.page !== 1) out.page = String(params.page);
  if (params.pageSize !== 50) out.pageSize = String(params.pageSize);
  return out;
}

/** A before/after value: text as is, absent as "(empty)", anything else as compact JSON. */
function Value({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') {
    return <Typography.Text type="secondary">{t('audit.empty')}</Typography.Text>;
  }
  if (typeof value === 'string') return <span>{value}</span>;
  if (typeof value === 'boolean') return <span>{value ? t('common.yes') : t('common.no')}</span>;
  return <span className="mono">{JSON.stringify(value)}</span>;
}

function ChangesView({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const rows = Object.entries(entry.changes ?? {}).map(([field, change]) => ({ field, ...change }));
  return (
    <Space orientation="vertical" data-testid={`audit-changes-${entry.id}`}>
      {rows.length > 0 ? (
        <Table
          size="small"
          rowKey="field"
          pagination={false}
          dataSource={rows}
          style={{ maxWidth: 800 }}
          columns={[
            {
              title: t('audit.field'),
              dataIndex: 'field',
              width: 180,
              render: (field: string) => <span className="mono">{field}</span>,
            },
            {
              title: t('audit.before'),
              dataIndex: 'before',
              render: (value: unknown) => <Value value={value} />,
            },
            {
              title: t('audit.after'),
              dataIndex: 'after',
              render: (value: unknown) => <Value value={value} />,
            },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'at', label: t('audit.at'), children: formatDateTimeSeconds(entry.at) },
          {
            key: 'requestId',
            label: t('audit.requestId'),
            children: <span className="mono">{entry.requestId ?? t('common.none')}</span>,
          },
          {
            key: 'clientAddress',
            label: t('audit.clientAddress'),
            children: <span className="mono">{entry.clientAddress ?? t('common.none')}</span>,
          },
        ]}
      />
    </Space>
  );
}

export default function AuditTrailPage() {
  const { t } = useTranslation();
  usePageTitle(t('audit.pageTitle'));
  const [search, setSearch] = useSearchParams();
  const params = paramsFrom(search);
  const list = useAudit(params);
  const [filterForm] = Form.useForm<FilterValues>();

  useEffect(() => {
    filterForm.setFieldsValue({
      username: params.username ?? '',
      entity: params.entity ?? '',
      entityId: params.entityId ?? '',
      action: params.action,
      dates:
        params.from || params.to
          ? [params.from ? dayjs(params.from) : null, params.to ? dayjs(params.to) : null]
          : null,
    });
  }, [filterForm, params.username, params.entity, params.entityId, params.action, params.from, params.to]);

  const update = (next: Partial<AuditListParams>) => setSearch(toSearch({ ...params, ...next }));

  const applyFilters = (values: FilterValues) => {
    const [from, to] = values.dates ?? [null, null];
    update({
      username: values.username?.trim().toLowerCase() || undefined,
      entity: values.entity?.trim() || undefined,
      entityId: values.entityId?.trim() || undefined,
      action: values.action,
      from: from ? from.format(DATE_FORMAT) : undefined,
      to: to ? to.format(DATE_FORMAT) : undefined,
      page: 1,
    });
  };

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.at'),
      dataIndex: 'at',
      render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(at)}</span>,
    },
    {
      title: t('audit.username'),
      dataIndex: 'username',
      render: (username: string | null) => <span className="mono">{username ?? t('common.none')}</span>,
    },
    {
      title: t('audit.orgCode'),
      dataIndex: 'orgCode',
      render: (code: string | null) => <span className="mono">{code ?? t('common.none')}</span>,
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      render: (action: AuditAction) => <Tag color={ACTION_COLORS[action]}>{actionLabel(t, action)}</Tag>,
    },
    { title: t('audit.entity'), dataIndex: 'entity', render: (entity: string) => entityLabel(t, entity) },
    {
      title: t('audit.entityId'),
      dataIndex: 'entityId',
      render: (id: string | null) => (
        <span className="mono" title={id ?? undefined}>
          {id ?? t('common.none')}
        </span>
      ),
    },
    {
      title: t('audit.clientAddress'),
      dataIndex: 'clientAddress',
      render: (address: string | null) => <span className="mono">{address ?? t('common.none')}</span>,
    },
  ];

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('audit.pageTitle')}</Typography.Title>
      </div>
      <Card>
        <Form<FilterValues>
          form={filterForm}
          layout="inline"
          onFinish={applyFilters}
          style={{ marginBottom: 16, rowGap: 12 }}
          data-testid="audit-filters"
        >
          <Form.Item name="username">
            <Input
              allowClear
              placeholder={t('audit.username')}
              style={{ width: 150 }}
              data-testid="audit-filter-username"
            />
          </Form.Item>
          <Form.Item name="entity">
            <Input
              allowClear
              placeholder={t('audit.entity')}
              style={{ width: 130 }}
              data-testid="audit-filter-entity"
            />
          </Form.Item>
          <Form.Item name="entityId">
            <Input
              allowClear
              placeholder={t('audit.entityId')}
              style={{ width: 170 }}
              data-testid="audit-filter-entity-id"
            />
          </Form.Item>
          <Form.Item name="action">
            <Select<AuditAction>
              allowClear
              placeholder={t('audit.action')}
              style={{ width: 160 }}
              data-testid="audit-filter-action"
              options={AUDIT_ACTIONS.map((action) => ({ value: action, label: actionLabel(t, action) }))}
            />
          </Form.Item>
          <Form.Item name="dates">
            <DatePicker.RangePicker
              allowEmpty={[true, true]}
              format={DATE_FORMAT}
              data-testid="audit-filter-dates"
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="audit-filter-submit">
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
        <div data-testid="audit-table">
          <Table<AuditEntry>
            className="audit-table"
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.data?.items ?? []}
            loading={list.isFetching}
            // A fixed scroll width: with 'max-content' the full-width expanded rows would size the table.
            scroll={{ x: 1000 }}
            expandable={{ expandedRowRender: (entry) => <ChangesView entry={entry} /> }}
            pagination={{
              current: params.page,
              pageSize: params.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: PAGE_SIZES,
              showTotal: (total) => t('common.total', { total }),
              onChange: (page, pageSize) =>
                update({ page: pageSize !== params.pageSize ? 1 : page, pageSize }),
            }}
          />
        </div>
      </Card>
    </>
  );
}
