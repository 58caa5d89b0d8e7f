import {
  ArrowLeftOutlined,
  CheckSquareOutlined,
  FileTextOutlined,
  ReloadOutlined,
  TeamOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import {
  AID_TYPES,
  type ApproveAllResult,
  ARCHIVE_CATEGORIES,
  FUND_SOURCES,
  type FundSource,
  GRANT_STATUSES,
  type GrantStatus,
  type GrantView,
  type ProgramView,
} from '@niangjia/contracts';
import {
  App,
  Button,
  type ButtonProps,
  Card,
  Col,
  Descriptions,
  Empty,
  Popconfirm,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useApproveAll, useGrants, useProgram } from '../../../api/grants';
import { ErrorResult } from '../../../layout/ErrorResult';
import { PageSpinner } from '../../../layout/PageSpinner';
import { usePermissions } from '../../../lib/access';
import { formatDate } from '../../../lib/format';
import {
  ALL_STATES,
  GRANT_STATUS_COLORS,
  PAID_STATES,
  publicityState,
  reasonText,
  refusalOf,
  tally,
  useBasisLines,
} from '../../../lib/grants';
import { formatYuan } from '../../../lib/money';
import { showError } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { statusLabel, useCodeLabel, useCodeLang } from '../../../lib/registry-labels';
import { type GrantAction, GrantActionModal, useAllowedActions } from '../grant-detail/GrantActionModal';
import { BatchProposeModal } from './BatchProposeModal';
import { ProposeOneModal } from './ProposeOneModal';
import './program.css';

const PAGE_SIZE = 50;
const APPROVE_ALL_OK: ButtonProps & Record<`data-${string}`, string> = {
  'data-testid': 'approve-all-confirm',
};
/** The steps a row of the table offers; the grant's own page offers the rest (objections). */
const ROW_ACTIONS: readonly GrantAction[] = ['approve', 'reject', 'amount', 'pay', 'reverse'];

function ProgramFacts({ program }: { program: ProgramView }) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const label = useCodeLabel();
  const join = (items: string[]) => items.join(lang === 'zh' ? '、' : ', ');
  const eligible = [
    program.eligibleStatuses.length === 0
      ? t('programs.noArchiveNeeded')
      : join(program.eligibleStatuses.map((s) => statusLabel(s, lang))),
    program.eligibleCategories.length === 0
      ? t('programs.anyCategory')
      : join(program.eligibleCategories.map((c) => label(ARCHIVE_CATEGORIES, c))),
  ];
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 2, xl: 3 }}
      data-testid="program-facts"
      items={[
        { key: 'aidType', label: t('grants.aidType'), children: label(AID_TYPES, program.aidType) },
        {
          key: 'org',
          label: t('programs.org'),
          children: (
            <span>
              {program.orgName}{' '}
              <Typography.Text type="secondary" className="mono">
                {program.org}
              </Typography.Text>
            </span>
          ),
        },
        {
          key: 'period',
          label: t('programs.period'),
          children: (
            <span className="mono">
              {formatDate(program.startsOn)} — {formatDate(program.endsOn)}
            </span>
          ),
        },
        {
          key: 'funds',
          label: t('programs.fundSources'),
          children: join(program.fundSources.map((s) => label(FUND_SOURCES, s))),
        },
        {
          key: 'amount',
          label: t('programs.defaultAmount'),
          children:
            program.defaultAmountFen === null ? t('programs.byCap') : formatYuan(program.defaultAmountFen),
        },
        {
          key: 'publicity',
          label: t('programDetail.publicity'),
          children:
            program.publicityWorkingDays === 0
              ? t('programDetail.noPublicity')
              : t('programDetail.publicityDays', { days: program.publicityWorkingDays }),
        },
        { key: 'eligible', label: t('programDetail.eligible'), children: eligible.join(' · '), span: 3 },
      ]}
    />
  );
}

function ProgramStats({ program }: { program: ProgramView }) {
  const { t } = useTranslation();
  const stat = (key: string, title: string, states: readonly string[]) => {
    const { count, amountFen } = tally(program, states);
    return (
      <Col xs={12} lg={6} key={key}>
        <Card size="small">
          <Statistic
            title={title}
            value={count}
            suffix={<span className="program-stat-amount">· {formatYuan(amountFen)}</span>}
            data-testid={`program-stat-${key}`}
          />
        </Card>
      </Col>
    );
  };
  return (
    <Row gutter={[16, 16]} className="program-stats">
      {stat(
        'total',
        t('programDetail.stats.total'),
        ALL_STATES.filter((s) => s !== 'rejected' && s !== 'cancelled'),
      )}
      {stat('proposed', t('programDetail.stats.proposed'), ['proposed'])}
      {stat('approved', t('programDetail.stats.approved'), ['approved', 'objected'])}
      {stat('paid', t('programDetail.stats.paid'), PAID_STATES)}
    </Row>
  );
}

/** What approve-all did: approved, first approvals, and the refusals by reason with whom they concern. */
function ApproveAllSummary({ result, names }: { result: ApproveAllResult; names: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  const byReason = new Map<string, string[]>();
  for (const r of result.refused) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r.grantId]);
  const sep = i18n.language === 'en' ? ', ' : '、';
  return (
    <div data-testid="approve-all-result">
      <Space size={40} style={{ margin: '8px 0 16px' }}>
        <Statistic
          title={t('programDetail.approvedNow')}
          value={result.approved}
          data-testid="approve-all-approved"
        />
        <Statistic title={t('programDetail.firstApprovedNow')} value={result.firstApproved} />
        <Statistic
          title={t('programDetail.refusedNow')}
          value={result.refused.length}
          data-testid="approve-all-refused"
        />
      </Space>
      {byReason.size > 0 ? (
        <ul className="plain-list" data-testid="approve-all-reasons">
          {[...byReason].map(([reason, ids]) => {
            const known = ids.map((id) => names.get(id)).filter((n): n is string => Boolean(n));
            return (
              <li key={reason}>
                <Typography.Text strong>
                  {t('programDetail.refusedLine', { reason: reasonText(t, reason), count: ids.length })}
                </Typography.Text>
                {known.length > 0 ? (
                  <div>
                    <Typography.Text type="secondary">
                      {t('programDetail.refusedNames', {
                        names: known.slice(0, 20).join(sep) + (known.length > 20 ? '…' : ''),
                      })}
                    </Typography.Text>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * A program (帮扶项目) and its grants: its facts and counts; proposals to a filtered list of
 * households or to one person; approval one by one or all at once; payment, receipt and reversal per
 * grant; the publicity list to print.
 */
export default function ProgramDetailPage() {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const label = useCodeLabel();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const basisLines = useBasisLines();
  const allowed = useAllowedActions();
  const [search, setSearch] = useSearchParams();
  const status = GRANT_STATUSES.find((s) => s.code === search.get('status'))?.code as GrantStatus | undefined;
  const page = Math.max(1, Number(search.get('page')) || 1);
  const programQuery = useProgram(id);
  const program = programQuery.data;
  const grants = useGrants(
    { programId: id, status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
    Boolean(id),
  );
  const approveAll = useApproveAll();
  const { modal } = App.useApp();
  const [dialog, setDialog] = useState<'batch' | 'one' | null>(null);
  const [action, setAction] = useState<{ action: GrantAction; grant: GrantView } | null>(null);
  usePageTitle(program ? `${program.name} · ${t('programDetail.pageTitle')}` : t('programDetail.pageTitle'));

  if (programQuery.isPending) return <PageSpinner />;
  if (programQuery.isError || !program)
    return <ErrorResult error={programQuery.error} onRetry={() => void programQuery.refetch()} />;

  const go = (next: { status?: string | undefined; page?: number }) => {
    const out: Record<string, string> = {};
    const s = 'status' in next ? next.status : status;
    if (s) out.status = s;
    const p = next.page ?? 1;
    if (p > 1) out.page = String(p);
    setSearch(out, { replace: true });
  };

  const runApproveAll = () =>
    approveAll.mutate(program.id, {
      onSuccess: (result) => {
        const names = new Map((grants.data?.items ?? []).map((g) => [g.id, g.personName]));
        modal.info({
          title: t('programDetail.approveAllResult'),
          width: 560,
          content: <ApproveAllSummary result={result} names={names} />,
          okText: t('common.ok'),
        });
      },
      onError: (error) => {
        const text = refusalOf(error, t, lang === 'en' ? 'en' : 'zh-CN');
        showError(text ? new Error(text) : error, text ? t('grants.refused') : undefined);
      },
    });

  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const columns: TableColumnsType<GrantView> = [
    {
      title: t('grants.name'),
      dataIndex: 'personName',
      render: (name: string, g) =>
        can('registry:read') ? (
          <Link to={`/people/${g.personId}`} data-testid="grant-person">
            {name}
          </Link>
        ) : (
          name
        ),
    },
    {
      title: t('grants.idNumber'),
      dataIndex: 'idNumberMasked',
      render: (n: string) => <span className="mono">{n}</span>,
    },
    {
      title: t('grants.householdOrg'),
      dataIndex: 'householdOrgName',
      render: (name: string | null, g) => (name ? <span title={g.householdOrg ?? ''}>{name}</span> : none),
    },
    {
      title: t('grants.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (fen: number) => (
        <span className="money" data-testid="grant-amount">
          {formatYuan(fen)}
        </span>
      ),
    },
    {
      title: t('grants.cap'),
      dataIndex: 'capFen',
      align: 'right',
      render: (cap: number | null, g) => {
        const lines = basisLines(g.basis);
        const text = cap === null ? t('grants.noCap') : formatYuan(cap);
        return lines.length > 0 ? (
          <Tooltip
            title={
              <div>
                {lines.map((line) => (
                  <div key={line}>{line}</div>
                ))}
              </div>
            }
          >
            <span
              className={cap === null ? 'hint-underline program-no-cap' : 'money hint-underline'}
              data-testid="grant-cap"
            >
              {text}
            </span>
          </Tooltip>
        ) : (
          <span data-testid="grant-cap">{text}</span>
        );
      },
    },
    // One fund source: the program's facts say which; the column is for programs drawing on several.
    ...(program.fundSources.length > 1
      ? [
          {
            title: t('grants.fundSource'),
            dataIndex: 'fundSource',
            render: (s: FundSource) => label(FUND_SOURCES, s),
          },
        ]
      : []),
    {
      title: t('grants.status'),
      dataIndex: 'status',
      render: (s: GrantStatus) => (
        <Tag color={GRANT_STATUS_COLORS[s]} data-testid="grant-status">
          {label(GRANT_STATUSES, s)}
        </Tag>
      ),
    },
    {
      title: t('grants.approval'),
      key: 'approval',
      render: (_: unknown, g) => {
        if (g.status === 'proposed')
          return g.approvalsNeeded === 2 ? (
            <Typography.Text type="secondary">
              {g.firstApprovedBy
                ? t('grants.waitingSecond', { name: g.firstApprovedBy })
                : t('grants.needsTwo')}
            </Typography.Text>
          ) : (
            none
          );
        if (!g.approvedBy) return none;
        return (
          <div>
            <div>
              {g.firstApprovedBy ? `${g.firstApprovedBy} → ` : ''}
              {g.approvedBy}
            </div>
            {g.approvedOn ? (
              <Typography.Text type="secondary" className="mono program-cell-note">
                {formatDate(g.approvedOn)}
              </Typography.Text>
            ) : null}
          </div>
        );
      },
    },
    {
      title: t('grants.publicityEndsOn'),
      dataIndex: 'publicityEndsOn',
      render: (day: string | null, g) => {
        if (!day || g.status === 'rejected') return none;
        const { running, none: unpublicised } = publicityState(g);
        if (unpublicised)
          return <Typography.Text type="secondary">{t('programDetail.noPublicity')}</Typography.Text>;
        return (
          <span className="mono">
            {formatDate(day)}
            {running ? (
              <Tag color="orange" style={{ marginLeft: 6 }}>
                {t('grants.publicityRunning')}
              </Tag>
            ) : null}
          </span>
        );
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, g) => (
        <Space size={0} wrap={false}>
          {allowed(g)
            .filter((a) => ROW_ACTIONS.includes(a))
            .map((a) => (
              <Button
                key={a}
                type="link"
                size="small"
                danger={a === 'reject' || a === 'reverse'}
                onClick={() => setAction({ action: a, grant: g })}
                data-testid={`grant-action-${a}`}
              >
                {t(`grants.actions.${a}`)}
              </Button>
            ))}
          {g.status === 'paid' ? (
            <Link to={`/assistance/grants/${g.id}?receipt=1`} data-testid="grant-receipt">
              <Button type="link" size="small">
                {t('grants.actions.receipt')}
              </Button>
            </Link>
          ) : null}
          <Link to={`/assistance/grants/${g.id}`} data-testid="grant-open">
            <Button type="link" size="small">
              {t('grants.actions.open')}
            </Button>
          </Link>
        </Space>
      ),
    },
  ];

  const counts = program.counts;
  const total = ALL_STATES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  const statusOptions = [
    { value: '', label: `${t('common.all')} ${total}` },
    ...GRANT_STATUSES.filter((s) => (counts[s.code] ?? 0) > 0 || s.code === status).map((s) => ({
      value: s.code,
      label: `${s[lang]} ${counts[s.code] ?? 0}`,
    })),
  ];

  return (
    <>
      <div className="page-header">
        <Space size="middle" wrap align="center">
          <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/assistance/programs')}>
            {t('programDetail.back')}
          </Button>
          <Typography.Title level={4} data-testid="program-name">
            {program.name}
          </Typography.Title>
        </Space>
        <Space wrap>
          {can('assistance:propose') ? (
            <>
              <Button icon={<TeamOutlined />} onClick={() => setDialog('batch')} data-testid="program-batch">
                {t('programDetail.batch')}
              </Button>
              <Button
                icon={<UserAddOutlined />}
                onClick={() => setDialog('one')}
                data-testid="program-single"
              >
                {t('programDetail.single')}
              </Button>
            </>
          ) : null}
          {can('assistance:approve') ? (
            <Popconfirm
              title={t('programDetail.approveAllTitle')}
              description={<div style={{ maxWidth: 360 }}>{t('programDetail.approveAllConfirm')}</div>}
              okText={t('grants.actions.approve')}
              cancelText={t('common.cancel')}
              onConfirm={runApproveAll}
              okButtonProps={APPROVE_ALL_OK}
              disabled={(counts.proposed ?? 0) === 0}
            >
              <Button
                icon={<CheckSquareOutlined />}
                loading={approveAll.isPending}
                disabled={(counts.proposed ?? 0) === 0}
                data-testid="program-approve-all"
              >
                {t('programDetail.approveAll')}
              </Button>
            </Popconfirm>
          ) : null}
          <Link to={`/assistance/programs/${program.id}/publicity`}>
            <Button icon={<FileTextOutlined />} data-testid="program-publicity">
              {t('programDetail.publicityList')}
            </Button>
          </Link>
          <Button
            icon={<ReloadOutlined />}
            aria-label={t('common.refresh')}
            loading={grants.isFetching}
            onClick={() => {
              void programQuery.refetch();
              void grants.refetch();
            }}
          />
        </Space>
      </div>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <ProgramFacts program={program} />
        <ProgramStats program={program} />
        <Card size="small">
          <div className="program-toolbar">
            <Segmented
              value={status ?? ''}
              onChange={(value) => go({ status: String(value) || undefined })}
              options={statusOptions}
              data-testid="program-status-filter"
            />
          </div>
          <Table<GrantView>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={grants.data?.items ?? []}
            loading={grants.isFetching}
            scroll={{ x: 'max-content' }}
            className="nowrap-table"
            locale={{ emptyText: <Empty description={t('programDetail.empty')} /> }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: grants.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (n) => t('common.total', { total: n }),
              onChange: (p) => go({ page: p }),
            }}
            data-testid="grants-table"
          />
        </Card>
      </Space>
      <BatchProposeModal program={program} open={dialog === 'batch'} onClose={() => setDialog(null)} />
      <ProposeOneModal program={program} open={dialog === 'one'} onClose={() => setDialog(null)} />
      <GrantActionModal
        action={action?.action ?? null}
        grant={action?.grant ?? null}
        onClose={() => setAction(null)}
      />
    </>
  );
}
