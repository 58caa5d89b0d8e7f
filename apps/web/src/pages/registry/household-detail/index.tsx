import {
  ArrowLeftOutlined,
  EyeInvisibleOutlined,
  EyeOutlined,
  PrinterOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import {
  ARCHIVE_ACTIONS,
  ARCHIVE_CATEGORIES,
  ARCHIVE_ORIGINS,
  type Archive,
  type ArchiveActionCode,
  EXIT_REASONS,
  HARDSHIP_CAUSES,
  HOUSING_TYPES,
  type HouseholdDetail,
  type PastArchive,
  RELATIONS,
} from '@niangjia/contracts';
import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  type DescriptionsProps,
  Empty,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useHousehold } from '../../../api/registry';
import { ErrorResult } from '../../../layout/ErrorResult';
import { PageSpinner } from '../../../layout/PageSpinner';
import { usePermissions } from '../../../lib/access';
import { formatDate, formatDateTime } from '../../../lib/format';
import { showError } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import {
  actionLabel,
  statusColor,
  statusLabel,
  useCodeLabel,
  useCodeLang,
} from '../../../lib/registry-labels';
import { ArchiveStepModal } from './ArchiveStepModal';
import { AssistanceCard } from './AssistanceCard';
import { EvaluationCard } from './EvaluationCard';
import { ObjectionsCard } from './ObjectionsCard';
import { birthOf, COST_ITEMS, INCOME_ITEMS, type Item, itemKey, useMoney } from './shared';
import { UrgencyField } from './UrgencyField';
import { VisitsCard } from './VisitsCard';

type Member = HouseholdDetail['members'][number];
/** The colour of a history entry: where the step led. */
function stepColor(toStatus: string): string {
  if (toStatus === 'archived') return 'green';
  if (toStatus === 'refused') return 'red';
  if (toStatus === 'returned' || toStatus === 'exited') return 'gray';
  // Not 'blue': the theme's primary colour is red, which would read as a refusal.
  return '#1677ff';
}

function HouseholdSection({ household }: { household: HouseholdDetail }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const none = t('common.none');
  const { head } = household;
  const items: DescriptionsProps['items'] = [
    {
      key: 'name',
      label: t('registry.fields.headName'),
      children: (
        <Link to={`/people/${head.id}`} data-testid="household-head-link">
          {head.name}
        </Link>
      ),
    },
    {
      key: 'idNumber',
      label: t('registry.fields.idNumber'),
      children: (
        <span className="mono nowrap" data-testid="household-head-idNumber">
          {head.idNumber}
        </span>
      ),
    },
    { key: 'sex', label: t('registry.fields.sex'), children: t(`registry.sex.${head.sex}`) },
    { key: 'birthDate', label: t('registry.fields.birthDate'), children: birthOf(head) },
    { key: 'phone', label: t('registry.fields.phone'), children: head.phone ?? none },
    {
      key: 'migrant',
      label: t('registry.fields.migrantWorker'),
      children: head.migrantWorker ? t('common.yes') : t('common.no'),
    },
    {
      key: 'org',
      label: t('registry.fields.organisation'),
      children: (
        <span>
          {household.orgName}{' '}
          <Typography.Text type="secondary" className="mono">
            {household.orgCode}
          </Typography.Text>
        </span>
      ),
    },
    {
      key: 'size',
      label: t('registry.fields.householdSize'),
      children: t('registry.persons', { count: household.figures.size }),
    },
    {
      key: 'housing',
      label: t('registry.fields.housingType'),
      children: household.housingType ? label(HOUSING_TYPES, household.housingType) : none,
    },
    {
      key: 'surveyDate',
      label: t('registry.fields.surveyDate'),
      children: household.surveyDate ? formatDate(household.surveyDate) : none,
    },
    { key: 'surveyor', label: t('registry.fields.surveyor'), children: household.surveyor ?? none },
  ];
  return (
    <Card title={t('householdDetail.sectionHousehold')} size="small">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 1, xl: 2, xxl: 3 }}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={items}
      />
    </Card>
  );
}

function MembersSection({ household }: { household: HouseholdDetail }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const money = useMoney();
  return (
    <Card title={t('householdDetail.sectionMembers')} size="small">
      <Table<Member>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={household.members}
        scroll={{ x: 'max-content' }}
        className="nowrap-table"
        data-testid="household-members"
        locale={{ emptyText: t('householdDetail.noMembers') }}
        columns={[
          {
            title: t('registry.fields.name'),
            dataIndex: 'name',
            render: (name: string, member) => (
              <Link to={`/people/${member.id}`} data-testid="household-member-link">
                {name}
              </Link>
            ),
          },
          {
            title: t('registry.fields.relation'),
            dataIndex: 'relation',
            render: (relation: string) => label(RELATIONS, relation),
          },
          {
            title: t('registry.fields.idNumber'),
            dataIndex: 'idNumber',
            render: (id: string) => <span className="mono">{id}</span>,
          },
          {
            title: t('registry.fields.sex'),
            dataIndex: 'sex',
            render: (sex: Member['sex']) => t(`registry.sex.${sex}`),
          },
          {
            title: t('registry.fields.birthDate'),
            key: 'birth',
            render: (_: unknown, person: { birthDate: string | null; birthYear: number }) => birthOf(person),
          },
          {
            title: t('registry.fields.monthlyIncome'),
            dataIndex: 'monthlyIncomeFen',
            align: 'right',
            render: (fen: number | null) => (fen === null ? t('common.none') : money(fen)),
          },
          {
            title: t('registry.fields.migrantWorker'),
            dataIndex: 'migrantWorker',
            render: (migrant: boolean) => (migrant ? t('common.yes') : t('common.no')),
          },
        ]}
      />
    </Card>
  );
}

interface FigureRow {
  key: string;
  label: string;
  fen: number;
  total?: boolean;
  note?: string;
}

function IncomeSection({ household }: { household: HouseholdDetail }) {
  const { t } = useTranslation();
  const money = useMoney();
  const { income, figures } = household;
  const row = (item: Item): FigureRow => ({
    key: item,
    label: t(`registry.items.${itemKey(item)}`),
    fen: income[item],
  });
  const rows: FigureRow[] = [
    ...INCOME_ITEMS.map(row),
    { key: 'income', label: t('registry.figures.incomeTotal'), fen: figures.incomeFen, total: true },
    ...COST_ITEMS.map(row),
    {
      key: 'deductions',
      label: t('registry.figures.deductionsTotal'),
      fen: figures.deductionsFen,
      total: true,
    },
    { ...row('employmentCostFen'), note: t('registry.figures.employmentNote') },
  ];
  return (
    <Card title={t('householdDetail.sectionIncome')} size="small">
      <Table<FigureRow>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        data-testid="household-income"
        rowClassName={(r) => (r.total ? 'figure-total' : '')}
        columns={[
          {
            title: t('registry.figures.item'),
            dataIndex: 'label',
            render: (text: string, r) => (
              <span>
                {text}
                {r.note ? (
                  <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                    （{r.note}）
                  </Typography.Text>
                ) : null}
              </span>
            ),
          },
          {
            title: t('registry.figures.amount'),
            dataIndex: 'fen',
            align: 'right',
            render: (fen: number) => <span className="money">{money(fen)}</span>,
          },
        ]}
      />
      <Descriptions
        size="small"
        bordered
        column={1}
        style={{ marginTop: 16 }}
        data-testid="household-figures"
        items={[
          {
            key: 'size',
            label: t('registry.fields.householdSize'),
            children: t('registry.persons', { count: figures.size }),
          },
          {
            key: 'perCapita',
            label: t('registry.figures.perCapitaMonthlyIncome'),
            children: <strong className="money">{money(figures.perCapitaMonthlyIncomeFen)}</strong>,
          },
          {
            key: 'perCapitaNet',
            label: t('registry.figures.perCapitaMonthlyNet'),
            children: <strong className="money">{money(figures.perCapitaMonthlyNetFen)}</strong>,
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
        {t('registry.figures.perCapitaNote')}
      </Typography.Paragraph>
    </Card>
  );
}

type Step = Archive['steps'][number];

/** The steps of one archive, oldest first, each with its date, user and comment. */
function StepsTimeline({ steps, testId }: { steps: Step[]; testId: string }) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const surveyLabel = t('householdDetail.stepSurvey');
  return (
    <Timeline
      data-testid={testId}
      items={steps.map((step, index) => ({
        key: `${index}-${step.at}`,
        color: stepColor(step.toStatus),
        content: (
          <div className="archive-step" data-testid="archive-history-step">
            <div>
              <span className="mono">{formatDate(step.onDate)}</span>{' '}
              <Typography.Text strong>{actionLabel(step.action, lang, surveyLabel)}</Typography.Text>{' '}
              <Tag color={statusColor(step.toStatus)}>{statusLabel(step.toStatus, lang)}</Tag>
            </div>
            <div>
              <Typography.Text type="secondary">
                <span className="mono">{step.username}</span> · {formatDateTime(step.at)}
              </Typography.Text>
            </div>
            {step.comment ? <div className="archive-step-comment">{step.comment}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

/**
 * The household's earlier archives (exited, then reopened as 返困; or refused, then surveyed again),
 * newest first, each collapsed to one line until opened: the history is never rewritten.
 */
function PreviousArchives({ archives }: { archives: PastArchive[] }) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const label = useCodeLabel();
  if (archives.length === 0) return null;
  return (
    <Card title={t('householdDetail.previousArchives')} size="small" data-testid="archive-previous">
      <Collapse
        size="small"
        items={archives.map((a) => {
          const last = a.steps[a.steps.length - 1]?.onDate;
          const values = {
            origin: label(ARCHIVE_ORIGINS, a.origin),
            from: formatDate(a.openedOn),
            to: formatDate(a.exitedOn ?? last ?? a.openedOn),
            status: statusLabel(a.status, lang),
          };
          return {
            key: a.id,
            label: (
              <span data-testid="archive-previous-item" data-archive-id={a.id}>
                {t('householdDetail.previousArchive', values)}
                {a.exitReason ? (
                  <Typography.Text type="secondary"> · {label(EXIT_REASONS, a.exitReason)}</Typography.Text>
                ) : null}
              </span>
            ),
            children: <StepsTimeline steps={a.steps} testId="archive-previous-history" />,
          };
        })}
      />
    </Card>
  );
}

function ArchiveSection({
  archive,
  previous,
  onAction,
  objections,
  visits,
}: {
  archive: Archive;
  /** The household's earlier archives, newest first. */
  previous: PastArchive[];
  onAction: (action: ArchiveActionCode) => void;
  /** The publicity's objections, shown under the next steps (they hold archiving). */
  objections: ReactNode;
  /** The follow-up visits, shown under the archive's details. */
  visits: ReactNode;
}) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const label = useCodeLabel();
  const none = t('common.none');
  const date = (key: string, text: string, value: string | null) =>
    value ? [{ key, label: text, children: formatDate(value) }] : [];
  const items: DescriptionsProps['items'] = [
    {
      key: 'status',
      label: t('registry.fields.status'),
      children: <Tag color={statusColor(archive.status)}>{statusLabel(archive.status, lang)}</Tag>,
    },
    {
      key: 'category',
      label: t('registry.fields.category'),
      children: archive.category ? label(ARCHIVE_CATEGORIES, archive.category) : t('registry.notClassified'),
    },
    { key: 'origin', label: t('registry.fields.origin'), children: label(ARCHIVE_ORIGINS, archive.origin) },
    {
      key: 'urgency',
      label: t('registry.fields.urgency'),
      children: <UrgencyField archive={archive} />,
    },
    {
      key: 'primaryCause',
      label: t('registry.fields.primaryCause'),
      children: label(HARDSHIP_CAUSES, archive.primaryCause),
    },
    {
      key: 'secondaryCauses',
      label: t('registry.fields.secondaryCauses'),
      children:
        archive.secondaryCauses.length > 0
          ? archive.secondaryCauses
              .map((cause) => label(HARDSHIP_CAUSES, cause))
              .join(lang === 'zh' ? '、' : ', ')
          : none,
    },
    ...date('openedOn', t('householdDetail.openedOn'), archive.openedOn),
    ...date('publicityStartedOn', t('householdDetail.publicityStartedOn'), archive.publicityStartedOn),
    ...date('publicityEndsOn', t('householdDetail.publicityEndsOn'), archive.publicityEndsOn),
    ...date('archivedOn', t('householdDetail.archivedOn'), archive.archivedOn),
    ...date('nextReviewOn', t('householdDetail.nextReviewOn'), archive.nextReviewOn),
    ...date('exitedOn', t('householdDetail.exitedOn'), archive.exitedOn),
    ...(archive.exitReason
      ? [
          {
            key: 'exitReason',
            label: t('householdDetail.exitReason'),
            children: label(EXIT_REASONS, archive.exitReason),
          },
        ]
      : []),
  ];

  const allowed = ARCHIVE_ACTIONS.filter((a) => archive.allowedActions.includes(a.code));
  const closed = archive.status === 'exited' || archive.status === 'refused';
  const surveyLabel = t('householdDetail.stepSurvey');

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('householdDetail.nextActions')} size="small" data-testid="archive-actions">
        {archive.status === 'publicity' && archive.publicityStartedOn && archive.publicityEndsOn ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="archive-publicity"
            title={t('householdDetail.publicity', {
              start: formatDate(archive.publicityStartedOn),
              end: formatDate(archive.publicityEndsOn),
            })}
          />
        ) : null}
        {allowed.length > 0 ? (
          <Space wrap>
            {allowed.map((a) => (
              <Button
                key={a.code}
                type={a.code === 'return' || a.code === 'refuse' || a.code === 'exit' ? 'default' : 'primary'}
                danger={a.code === 'refuse' || a.code === 'exit'}
                onClick={() => onAction(a.code)}
                data-testid={`archive-action-${a.code}`}
              >
                {actionLabel(a.code, lang, surveyLabel)}
              </Button>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary" data-testid="archive-no-actions">
            {closed ? t('householdDetail.closed') : t('householdDetail.noActions')}
          </Typography.Text>
        )}
      </Card>
      {objections}
      <Card title={t('householdDetail.sectionArchive')} size="small">
        <Descriptions
          size="small"
          bordered
          column={1}
          styles={{ label: { whiteSpace: 'nowrap' } }}
          items={items}
          data-testid="archive-details"
        />
      </Card>
      {visits}
      <Card title={t('householdDetail.sectionHistory')} size="small">
        <StepsTimeline steps={archive.steps} testId="archive-history" />
      </Card>
      <PreviousArchives archives={previous} />
    </Space>
  );
}

export default function HouseholdDetailPage() {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { can } = usePermissions();
  const [full, setFull] = useState(false);
  const [action, setAction] = useState<ArchiveActionCode | null>(null);
  const query = useHousehold(id, full);
  const household = query.data;
  const fullFailed = full && query.isError;

  // A refused or failed full view: say why and go back to the masked numbers.
  useEffect(() => {
    if (!fullFailed) return;
    showError(query.error);
    setFull(false);
  }, [fullFailed, query.error]);
  usePageTitle(
    household ? `${household.head.name} · ${t('householdDetail.pageTitle')}` : t('householdDetail.pageTitle'),
  );

  if (query.isPending || (fullFailed && !household)) return <PageSpinner />;
  if ((query.isError && !fullFailed) || !household) {
    return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  }

  const { archive } = household;

  return (
    <>
      <div className="page-header household-header">
        <Space size="middle" wrap align="center">
          <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/households')}>
            {t('householdDetail.back')}
          </Button>
          <Typography.Title level={4} data-testid="household-head-name">
            {household.head.name}
          </Typography.Title>
          {archive ? (
            <Tag color={statusColor(archive.status)} data-testid="household-status" className="status-tag">
              {statusLabel(archive.status, lang)}
            </Tag>
          ) : (
            <Tag data-testid="household-status">{t('registry.noArchive')}</Tag>
          )}
        </Space>
        <Space wrap>
          {household.fullView ? (
            <>
              <Tag color="warning" icon={<EyeOutlined />} data-testid="full-id-shown">
                {t('householdDetail.fullIdShown')}
              </Tag>
              <Button
                icon={<EyeInvisibleOutlined />}
                onClick={() => setFull(false)}
                data-testid="hide-full-id"
              >
                {t('householdDetail.hideFullId')}
              </Button>
            </>
          ) : can('person:read_full') ? (
            <Popconfirm
              title={t('householdDetail.fullIdConfirmTitle')}
              description={<div style={{ maxWidth: 320 }}>{t('householdDetail.fullIdConfirm')}</div>}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => setFull(true)}
              placement="bottomRight"
            >
              <Button icon={<EyeOutlined />} data-testid="show-full-id" loading={full && query.isFetching}>
                {t('householdDetail.showFullId')}
              </Button>
            </Popconfirm>
          ) : null}
          <Link to={`/households/${household.id}/print`}>
            <Button icon={<PrinterOutlined />} data-testid="household-print">
              {t('householdDetail.print')}
            </Button>
          </Link>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void query.refetch()}
            loading={query.isFetching}
            aria-label={t('common.refresh')}
          />
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        {/* Side by side from 992 px; below, the archive (with its next steps) comes first. */}
        <Col xs={{ span: 24, order: 2 }} lg={{ span: 14, order: 1 }} xxl={15}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <HouseholdSection household={household} />
            <MembersSection household={household} />
            <IncomeSection household={household} />
            <EvaluationCard householdId={household.id} exclusions={household.exclusions} />
            {can('assistance:read') ? <AssistanceCard householdId={household.id} /> : null}
          </Space>
        </Col>
        <Col xs={{ span: 24, order: 1 }} lg={{ span: 10, order: 2 }} xxl={9}>
          {archive ? (
            <ArchiveSection
              archive={archive}
              previous={household.previousArchives}
              onAction={setAction}
              objections={<ObjectionsCard archive={archive} />}
              visits={<VisitsCard archive={archive} headName={household.head.name} />}
            />
          ) : (
            <Card size="small">
              <Empty description={t('householdDetail.noArchive')} />
            </Card>
          )}
        </Col>
      </Row>
      {archive ? (
        <ArchiveStepModal
          archive={archive}
          action={action}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            // Back to masked numbers: a full view is asked for each time, never refreshed silently.
            setFull(false);
          }}
        />
      ) : null}
    </>
  );
}
