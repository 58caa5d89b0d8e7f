import { ReloadOutlined } from '@ant-design/icons';
import type { ExitCandidate } from '@niangjia/contracts';
import { Alert, Button, Card, DatePicker, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useExitCandidates } from '../../../api/policy';
import { DATE_FORMAT, formatDate, todayDate } from '../../../lib/format';
import { usePageTitle } from '../../../lib/page-title';

/**
 * The exit review queue (issue 4): archived households the rules point at on a date, each with
 * its reasons. Exiting stays a person's step, taken on the household's page with its reason.
 */
export default function ExitsPage() {
  const { t } = useTranslation();
  usePageTitle(t('exits.pageTitle'));
  const [search, setSearch] = useSearchParams();
  const param = search.get('asOf');
  const asOf = param && /^\d{4}-\d{2}-\d{2}$/.test(param) ? param : todayDate();
  const query = useExitCandidates(asOf);
  const items = query.data?.items ?? [];

  const reasonTag = (r: ExitCandidate['reasons'][number]) =>
    r.reason === 'time_limit' ? (
      <Tag color="orange" key={r.reason}>
        {t('exits.timeLimit', { date: formatDate(r.dueOn) })}
      </Tag>
    ) : (
      <Tag color="green" key={r.reason}>
        {t('exits.incomeAbove', { date: formatDate(r.since), count: r.months })}
      </Tag>
    );

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('exits.pageTitle')}</Typography.Title>
        <Space>
          <DatePicker
            allowClear={false}
            value={dayjs(asOf)}
            format={DATE_FORMAT}
            onChange={(d) => setSearch(d ? { asOf: d.format(DATE_FORMAT) } : {})}
            data-testid="exits-as-of"
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void query.refetch()}
            loading={query.isFetching}
            aria-label={t('common.refresh')}
          />
        </Space>
      </div>
      <Card size="small">
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('exits.explain')} />
        {(query.data?.unavailable ?? []).map((u) => (
          <Alert key={u.org} type="warning" showIcon style={{ marginBottom: 12 }} title={u.message} />
        ))}
        {query.isError ? (
          <Alert type="error" showIcon title={(query.error as Error).message} data-testid="exits-error" />
        ) : (
          <Table<ExitCandidate>
            rowKey="householdId"
            size="small"
            loading={query.isPending}
            dataSource={items}
            data-testid="exits-table"
            pagination={{ pageSize: 20, showTotal: (n) => t('exits.total', { count: n }) }}
            columns={[
              {
                title: t('registry.fields.headName'),
                dataIndex: 'headName',
                render: (name: string, c) => <Link to={`/households/${c.householdId}`}>{name}</Link>,
              },
              { title: t('registry.fields.idNumber'), dataIndex: 'headIdNumber', className: 'mono nowrap' },
              {
                title: t('registry.fields.organisation'),
                dataIndex: 'orgName',
                render: (name: string, c) => (
                  <span>
                    {name}{' '}
                    <Typography.Text type="secondary" className="mono">
                      {c.org}
                    </Typography.Text>
                  </span>
                ),
              },
              {
                title: t('exits.archivedOn'),
                dataIndex: 'archivedOn',
                className: 'mono nowrap',
                render: formatDate,
              },
              {
                title: t('exits.reasons'),
                key: 'reasons',
                render: (_: unknown, c) => <Space wrap>{c.reasons.map(reasonTag)}</Space>,
              },
              {
                title: t('exits.action'),
                key: 'action',
                render: (_: unknown, c) => (
                  <Link to={`/households/${c.householdId}`}>{t('exits.review')}</Link>
                ),
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
