import { ReloadOutlined, UserOutlined } from '@ant-design/icons';
import type { DueItem } from '@niangjia/contracts';
import {
  Button,
  Card,
  DatePicker,
  Form,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMe } from '../../../api/auth';
import { useDue } from '../../../api/registry';
import { usePermissions } from '../../../lib/access';
import { DATE_FORMAT, formatDate, todayDate } from '../../../lib/format';
import { usePageTitle } from '../../../lib/page-title';
import { daysFrom } from '../household-detail/shared';
import { RecordVisitModal, type VisitToRecord } from './RecordVisitModal';
import './due.css';

type Kind = 'visit' | 'review';
/** The caseworker filter's value for visits nobody is assigned to yet (the first one after archiving). */
const UNASSIGNED = '-';

/** The lists' query, kept in the address so a filtered list can be reloaded or shared. */
function paramsFrom(search: URLSearchParams) {
  const until = search.get('until');
  return {
    kind: (search.get('kind') === 'review' ? 'review' : 'visit') as Kind,
    caseworker: search.get('caseworker') || undefined,
    until: until && /^\d{4}-\d{2}-\d{2}$/.test(until) ? until : undefined,
  };
}

/** Reviews and follow-up visits due, overdue first and in red, by caseworker; a visit is recorded from here. */
export default function DuePage() {
  const { t } = useTranslation();
  usePageTitle(t('due.pageTitle'));
  const { can } = usePermissions();
  const { data: me } = useMe();
  const [search, setSearch] = useSearchParams();
  const { kind, caseworker, until } = paramsFrom(search);
  const today = todayDate();
  const horizon = until ?? dayjs(today).add(30, 'day').format(DATE_FORMAT);
  const [recording, setRecording] = useState<VisitToRecord | null>(null);

  // The whole list (for the per-caseworker counts) and, when one is chosen, that caseworker's.
  const all = useDue({ kind, until: horizon, limit: 500 });
  const named = caseworker && caseworker !== UNASSIGNED ? caseworker : undefined;
  const filtered = useDue({ kind, until: horizon, caseworker: named, limit: 500 });
  const items = useMemo(() => {
    const list = filtered.data?.items ?? [];
    return caseworker === UNASSIGNED ? list.filter((i) => i.caseworker === null) : list;
  }, [filtered.data, caseworker]);

  const byCaseworker = useMemo(() => {
    const counts = new Map<string, { total: number; overdue: number }>();
    for (const item of all.data?.items ?? []) {
      const key = item.caseworker ?? UNASSIGNED;
      const c = counts.get(key) ?? { total: 0, overdue: 0 };
      c.total++;
      if (item.overdue) c.overdue++;
      counts.set(key, c);
    }
    return [...counts].sort(([a], [b]) =>
      a === UNASSIGNED ? 1 : b === UNASSIGNED ? -1 : a.localeCompare(b),
    );
  }, [all.data]);

  const update = (
    next: Partial<{ kind: Kind; caseworker: string | undefined; until: string | undefined }>,
  ) => {
    const merged = { kind, caseworker, until, ...next };
    const out: Record<string, string> = {};
    if (merged.kind !== 'visit') out.kind = merged.kind;
    if (merged.caseworker) out.caseworker = merged.caseworker;
    if (merged.until) out.until = merged.until;
    setSearch(out, { replace: true });
  };

  const caseworkerName = (name: string) => (name === UNASSIGNED ? t('due.unassigned') : name);
  const caseworkerOptions = [
    ...(me && !byCaseworker.some(([name]) => name === me.user.username)
      ? [{ value: me.user.username, label: me.user.username }]
      : []),
    ...byCaseworker.map(([name]) => ({ value: name, label: caseworkerName(name) })),
  ];
  const overdueCount = items.filter((i) => i.overdue).length;

  const columns: TableColumnsType<DueItem> = [
    {
      title: t('due.dueOn'),
      dataIndex: 'dueOn',
      render: (dueOn: string, item) => (
        <Space size={6}>
          <span className="mono">{formatDate(dueOn)}</span>
          {item.overdue ? (
            <Tag color="red" data-testid="due-overdue-days">
              {t('due.overdueDays', { count: daysFrom(dueOn, today) })}
            </Tag>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('registry.fields.headName'),
      dataIndex: 'headName',
      render: (name: string, item) => (
        <Link to={`/households/${item.householdId}`} data-testid="due-household-link">
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
      dataIndex: 'orgCode',
      render: (code: string) => <span className="mono">{code}</span>,
    },
    ...(kind === 'visit'
      ? [
          {
            title: t('due.caseworker'),
            dataIndex: 'caseworker',
            render: (name: string | null) =>
              name ? (
                <span className="mono">{name}</span>
              ) : (
                <Typography.Text type="secondary">{t('due.unassigned')}</Typography.Text>
              ),
          },
        ]
      : []),
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, item) =>
        item.kind === 'visit' && item.visitId && can('registry:write') ? (
          <Button
            size="small"
            type={item.overdue ? 'primary' : 'default'}
            onClick={() =>
              setRecording({
                visitId: item.visitId as string,
                archiveId: item.archiveId,
                dueOn: item.dueOn,
                headName: item.headName,
              })
            }
            data-testid="due-record-visit"
          >
            {t('visits.record')}
          </Button>
        ) : (
          <Link to={`/households/${item.householdId}`}>{t('due.openHousehold')}</Link>
        ),
    },
  ];

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('due.pageTitle')}</Typography.Title>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => void Promise.all([all.refetch(), filtered.refetch()])}
          loading={filtered.isFetching}
          aria-label={t('common.refresh')}
        />
      </div>
      <Card size="small">
        <Tabs
          activeKey={kind}
          onChange={(key) => update({ kind: key as Kind, caseworker: undefined })}
          items={[
            { key: 'visit', label: <span data-testid="due-tab-visit">{t('due.visits')}</span> },
            { key: 'review', label: <span data-testid="due-tab-review">{t('due.reviews')}</span> },
          ]}
        />
        <Form layout="inline" style={{ rowGap: 8, marginBottom: 12 }}>
          <Form.Item label={t('due.until')}>
            <DatePicker
              format={DATE_FORMAT}
              value={dayjs(horizon)}
              allowClear={false}
              onChange={(date) => update({ until: date ? date.format(DATE_FORMAT) : undefined })}
              data-testid="due-until"
            />
          </Form.Item>
          {kind === 'visit' ? (
            <Form.Item label={t('due.caseworker')}>
              <Select
                allowClear
                placeholder={t('common.all')}
                style={{ minWidth: 200 }}
                value={caseworker}
                onChange={(value?: string) => update({ caseworker: value })}
                options={caseworkerOptions}
                data-testid="due-caseworker"
              />
            </Form.Item>
          ) : null}
        </Form>
        {kind === 'visit' && byCaseworker.length > 0 ? (
          <div className="due-by-caseworker" data-testid="due-by-caseworker">
            <Typography.Text type="secondary">{t('due.byCaseworker')}</Typography.Text>
            {byCaseworker.map(([name, c]) => (
              <Tag.CheckableTag
                key={name}
                checked={caseworker === name}
                onChange={(checked) => update({ caseworker: checked ? name : undefined })}
              >
                <UserOutlined /> {caseworkerName(name)} · {c.total}
                {c.overdue > 0 ? (
                  <span className="due-overdue-count">（{t('due.overdueCount', { count: c.overdue })}）</span>
                ) : null}
              </Tag.CheckableTag>
            ))}
          </div>
        ) : null}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="due-summary">
          {t('due.summary', { total: items.length, overdue: overdueCount, until: formatDate(horizon) })}
        </Typography.Paragraph>
        <Table<DueItem>
          rowKey={(item) => item.visitId ?? item.archiveId}
          size="small"
          loading={filtered.isFetching && !filtered.data}
          dataSource={items}
          columns={columns}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 'max-content' }}
          className="nowrap-table"
          rowClassName={(item) => (item.overdue ? 'due-overdue' : '')}
          data-testid="due-table"
          locale={{ emptyText: kind === 'visit' ? t('due.noVisits') : t('due.noReviews') }}
        />
      </Card>
      <RecordVisitModal visit={recording} onClose={() => setRecording(null)} />
    </>
  );
}
