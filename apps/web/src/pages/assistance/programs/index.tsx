import { PlusOutlined } from '@ant-design/icons';
import { AID_TYPES, type AidType, FUND_SOURCES, type ProgramView } from '@niangjia/contracts';
import {
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { usePrograms } from '../../../api/grants';
import { OrgSelect } from '../../../components/OrgSelect';
import { usePermissions } from '../../../lib/access';
import { formatDate, todayDate } from '../../../lib/format';
import { ALL_STATES, APPROVED_STATES, PAID_STATES, tally } from '../../../lib/grants';
import { formatYuan } from '../../../lib/money';
import { usePageTitle } from '../../../lib/page-title';
import { useCodeLabel } from '../../../lib/registry-labels';
import { CreateProgramModal } from './CreateProgramModal';
import { FundsTab } from './FundsTab';

/**
 * 帮扶项目: the programs and campaigns of a year in the scope, with their grants counted by stage
 * (proposed, approved, paid); a new program for whoever approves; the funds' budgets beside them.
 */
export default function ProgramsPage() {
  const { t } = useTranslation();
  usePageTitle(t('programs.pageTitle'));
  const label = useCodeLabel();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const [search, setSearch] = useSearchParams();
  const thisYear = Number(todayDate().slice(0, 4));
  const year = Number(search.get('year')) || thisYear;
  const org = search.get('org') || undefined;
  const tab = search.get('tab') === 'funds' ? 'funds' : 'programs';
  const programs = usePrograms({ org, year });
  const [creating, setCreating] = useState(false);

  const update = (next: Record<string, string | undefined>) => {
    const merged: Record<string, string | undefined> = {
      year: String(year),
      org,
      tab: tab === 'funds' ? 'funds' : undefined,
      ...next,
    };
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(merged)) if (value) out[key] = value;
    setSearch(out, { replace: true });
  };

  const stage = (statuses: readonly string[], testId: string) => (_: unknown, p: ProgramView) => {
    const { count, amountFen } = tally(p, statuses);
    return count === 0 ? (
      <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
    ) : (
      <span className="money" data-testid={testId}>
        {t('programs.countAmount', { count, amount: formatYuan(amountFen) })}
      </span>
    );
  };

  const columns: TableColumnsType<ProgramView> = [
    {
      title: t('programs.name'),
      dataIndex: 'name',
      render: (name: string, p) => (
        <Link to={`/assistance/programs/${p.id}`} data-testid="program-link">
          {name}
        </Link>
      ),
    },
    { title: t('grants.aidType'), dataIndex: 'aidType', render: (code: AidType) => label(AID_TYPES, code) },
    {
      title: t('programs.org'),
      dataIndex: 'orgName',
      render: (name: string, p) => <span title={p.org}>{name}</span>,
    },
    {
      title: t('programs.period'),
      key: 'period',
      render: (_: unknown, p) => (
        <span className="mono">
          {formatDate(p.startsOn)} — {formatDate(p.endsOn)}
        </span>
      ),
    },
    {
      title: t('programs.fundSources'),
      dataIndex: 'fundSources',
      render: (sources: string[]) => (
        <Space size={4}>
          {sources.map((s) => (
            <Tag key={s}>{label(FUND_SOURCES, s)}</Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('programs.defaultAmount'),
      dataIndex: 'defaultAmountFen',
      align: 'right',
      render: (fen: number | null) =>
        fen === null ? (
          <Typography.Text type="secondary">{t('programs.byCap')}</Typography.Text>
        ) : (
          <span className="money">{formatYuan(fen)}</span>
        ),
    },
    {
      title: t('programs.proposed'),
      key: 'proposed',
      align: 'right',
      render: stage(ALL_STATES, 'program-proposed'),
    },
    {
      title: t('programs.approved'),
      key: 'approved',
      align: 'right',
      render: stage(APPROVED_STATES, 'program-approved'),
    },
    { title: t('programs.paid'), key: 'paid', align: 'right', render: stage(PAID_STATES, 'program-paid') },
  ];

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('programs.pageTitle')}</Typography.Title>
        {can('assistance:approve') ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="program-create-open"
          >
            {t('programs.create')}
          </Button>
        ) : null}
      </div>
      <Card>
        <Form layout="inline" style={{ marginBottom: 8, rowGap: 12 }}>
          <Form.Item label={t('programs.year')}>
            <DatePicker
              picker="year"
              allowClear={false}
              value={dayjs(`${year}-01-01`)}
              onChange={(d) => d && update({ year: String(d.year()) })}
              data-testid="programs-year"
            />
          </Form.Item>
          <Form.Item label={t('programs.org')}>
            <OrgSelect
              value={org ?? ''}
              onChange={(code) => update({ org: code || undefined })}
              allowClear
              placeholder={t('programs.allOrgs')}
              style={{ width: 300 }}
              data-testid="programs-org"
            />
          </Form.Item>
        </Form>
        <Tabs
          activeKey={tab}
          onChange={(key) => update({ tab: key === 'funds' ? 'funds' : undefined })}
          items={[
            {
              key: 'programs',
              label: t('programs.tabPrograms'),
              children: (
                <Table<ProgramView>
                  rowKey="id"
                  size="middle"
                  columns={columns}
                  dataSource={programs.data ?? []}
                  loading={programs.isFetching}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  className="nowrap-table"
                  locale={{ emptyText: <Empty description={t('programs.empty', { year })} /> }}
                  data-testid="programs-table"
                />
              ),
            },
            {
              key: 'funds',
              label: <span data-testid="programs-tab-funds">{t('programs.tabFunds')}</span>,
              children: <FundsTab org={org} year={year} />,
            },
          ]}
        />
      </Card>
      <CreateProgramModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(program) => {
          setCreating(false);
          void navigate(`/assistance/programs/${program.id}`);
        }}
      />
    </>
  );
}
