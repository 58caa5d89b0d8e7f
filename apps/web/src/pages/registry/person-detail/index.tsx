import {
  ArrowLeftOutlined,
  AuditOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  EyeInvisibleOutlined,
  EyeOutlined,
  FileTextOutlined,
  GiftOutlined,
  HomeOutlined,
  PayCircleOutlined,
  ReloadOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import {
  ACTIVITY_STATES,
  HEALTH_STATES,
  HOUSEHOLD_REGISTRATIONS,
  type PersonDetail,
  type PersonHousehold,
  RELATIONS,
  type TimelineEntry,
  type TimelineTone,
} from '@niangjia/contracts';
import {
  Alert,
  Button,
  Card,
  Col,
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
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { usePerson } from '../../../api/registry';
import { ErrorResult } from '../../../layout/ErrorResult';
import { PageSpinner } from '../../../layout/PageSpinner';
import { usePermissions } from '../../../lib/access';
import { formatDate } from '../../../lib/format';
import { showError } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { statusColor, statusLabel, useCodeLabel, useCodeLang } from '../../../lib/registry-labels';
import { birthOf } from '../household-detail/shared';

/** Colours of the tones an entry carries; the theme's primary is red, so "info" is spelled out. */
const TONE_COLORS: Record<TimelineTone, string> = {
  default: 'gray',
  info: '#1677ff',
  success: 'green',
  warning: 'orange',
  danger: 'red',
};
const TAG_COLORS: Record<TimelineTone, string | undefined> = {
  default: undefined,
  info: 'blue',
  success: 'green',
  warning: 'orange',
  danger: 'red',
};

/**
 * Icons of the kinds this page knows. Any other kind (a module added later) is shown from its own
 * texts with the generic icon: the timeline needs no change for it.
 */
const KIND_ICONS: Record<string, ReactNode> = {
  'archive.step': <FileTextOutlined />,
  'archive.objection': <WarningOutlined />,
  'archive.objection_resolved': <AuditOutlined />,
  'archive.visit': <CheckCircleOutlined />,
  'archive.visit_due': <ClockCircleOutlined />,
  'aid.grant': <GiftOutlined />,
  'aid.payment': <PayCircleOutlined />,
};

function TimelineSection({ entries }: { entries: TimelineEntry[] }) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  if (entries.length === 0)
    return (
      <Card title={t('personDetail.sectionTimeline')} size="small">
        <Empty description={t('personDetail.noTimeline')} />
      </Card>
    );
  return (
    <Card title={t('personDetail.sectionTimeline')} size="small">
      <Timeline
        data-testid="person-timeline"
        items={entries.map((entry) => ({
          key: entry.id,
          color: TONE_COLORS[entry.tone] ?? 'gray',
          icon: KIND_ICONS[entry.kind],
          content: (
            <div className="timeline-entry" data-testid="timeline-entry" data-kind={entry.kind}>
              <div>
                <span className="mono">{formatDate(entry.on)}</span>{' '}
                <Typography.Text strong>{entry.title[lang]}</Typography.Text>{' '}
                {entry.tag ? <Tag color={TAG_COLORS[entry.tag.tone]}>{entry.tag.text[lang]}</Tag> : null}
              </div>
              {entry.context || entry.by ? (
                <div>
                  <Typography.Text type="secondary">
                    {entry.context ? (
                      entry.link ? (
                        <Link to={entry.link}>{entry.context[lang]}</Link>
                      ) : (
                        entry.context[lang]
                      )
                    ) : null}
                    {entry.context && entry.by ? ' · ' : null}
                    {entry.by ? <span className="mono">{entry.by}</span> : null}
                  </Typography.Text>
                </div>
              ) : null}
              {entry.summary ? <div className="archive-step-comment">{entry.summary}</div> : null}
              {entry.link && !entry.context ? <Link to={entry.link}>{t('personDetail.open')}</Link> : null}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

function PersonSection({ person }: { person: PersonDetail }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const none = t('common.none');
  const yesNo = (value: boolean | null) => (value === null ? none : value ? t('common.yes') : t('common.no'));
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('registry.fields.name'), children: person.name },
    {
      key: 'idNumber',
      label: t('registry.fields.idNumber'),
      children: (
        <span className="mono nowrap" data-testid="person-idNumber">
          {person.idNumber}
        </span>
      ),
    },
    { key: 'sex', label: t('registry.fields.sex'), children: t(`registry.sex.${person.sex}`) },
    { key: 'birth', label: t('registry.fields.birthDate'), children: birthOf(person) },
    { key: 'ethnicity', label: t('personDetail.ethnicity'), children: person.ethnicity ?? none },
    { key: 'phone', label: t('registry.fields.phone'), children: person.phone ?? none },
    {
      key: 'registration',
      label: t('registry.fields.householdRegistration'),
      children: label(HOUSEHOLD_REGISTRATIONS, person.householdRegistration) || none,
    },
    {
      key: 'health',
      label: t('registry.fields.health'),
      children: label(HEALTH_STATES, person.health) || none,
    },
    { key: 'disability', label: t('personDetail.disability'), children: person.disability ?? none },
    {
      key: 'activity',
      label: t('registry.fields.activity'),
      children: label(ACTIVITY_STATES, person.activity) || none,
    },
    { key: 'education', label: t('personDetail.education'), children: person.education ?? none },
    {
      key: 'insurance',
      label: t('personDetail.medicalInsurance'),
      children: person.medicalInsurance ?? none,
    },
    {
      key: 'employer',
      label: t('personDetail.employer'),
      children: person.employer ? (
        <span>
          {person.employer.name}
          {person.employer.creditCode ? (
            <Typography.Text type="secondary" className="mono" style={{ marginLeft: 6 }}>
              {person.employer.creditCode}
            </Typography.Text>
          ) : null}
        </span>
      ) : (
        none
      ),
    },
    { key: 'union', label: t('personDetail.unionMember'), children: yesNo(person.unionMember) },
    { key: 'migrant', label: t('registry.fields.migrantWorker'), children: yesNo(person.migrantWorker) },
    {
      key: 'org',
      label: t('personDetail.keptBy'),
      children: (
        <span>
          {person.orgName}{' '}
          <Typography.Text type="secondary" className="mono">
            {person.orgCode}
          </Typography.Text>
        </span>
      ),
    },
    {
      key: 'bank',
      label: t('personDetail.bank'),
      children: person.bank ? (
        <span data-testid="person-bank">
          {[person.bank.name, person.bank.branch].filter(Boolean).join(' ')}{' '}
          {person.bank.cardMasked ? <span className="mono">{person.bank.cardMasked}</span> : null}
        </span>
      ) : (
        none
      ),
    },
  ];
  return (
    <Card title={t('personDetail.sectionPerson')} size="small">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, lg: 1, xl: 2 }}
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={items}
      />
    </Card>
  );
}

function HouseholdsSection({ households }: { households: PersonHousehold[] }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const lang = useCodeLang();
  return (
    <Card title={t('personDetail.sectionHouseholds')} size="small">
      <Table<PersonHousehold>
        rowKey="householdId"
        size="small"
        pagination={false}
        dataSource={households}
        scroll={{ x: 'max-content' }}
        className="nowrap-table"
        data-testid="person-households"
        locale={{ emptyText: t('personDetail.noHouseholds') }}
        columns={[
          {
            title: t('personDetail.role'),
            key: 'role',
            render: (_: unknown, h) =>
              h.role === 'head'
                ? t('personDetail.head')
                : label(RELATIONS, h.relation) || t('personDetail.member'),
          },
          {
            title: t('registry.fields.headName'),
            dataIndex: 'headName',
            render: (name: string, h) => (
              <Link to={`/households/${h.householdId}`} data-testid="person-household-link">
                <HomeOutlined /> {name}
              </Link>
            ),
          },
          {
            title: t('registry.fields.organisation'),
            key: 'org',
            render: (_: unknown, h) => (
              <span>
                {h.orgName}{' '}
                <Typography.Text type="secondary" className="mono">
                  {h.orgCode}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: t('registry.fields.status'),
            dataIndex: 'status',
            render: (status: string | null) =>
              status ? (
                <Tag color={statusColor(status)}>{statusLabel(status, lang)}</Tag>
              ) : (
                t('registry.noArchive')
              ),
          },
        ]}
      />
    </Card>
  );
}

/** A person: their record, the households they head or belong to, and their timeline across modules. */
export default function PersonDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const location = useLocation();
  const { can } = usePermissions();
  const [full, setFull] = useState(false);
  const query = usePerson(id, full);
  const person = query.data;
  const fullFailed = full && query.isError;

  useEffect(() => {
    if (!fullFailed) return;
    showError(query.error);
    setFull(false);
  }, [fullFailed, query.error]);
  // Another person: back to the masked view (a full view is asked for each time).
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the id changes
  useEffect(() => setFull(false), [id]);
  usePageTitle(person ? `${person.name} · ${t('personDetail.pageTitle')}` : t('personDetail.pageTitle'));

  if (query.isPending || (fullFailed && !person)) return <PageSpinner />;
  if ((query.isError && !fullFailed) || !person) {
    return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  }

  return (
    <>
      <div className="page-header">
        <Space size="middle" wrap align="center">
          <Button
            icon={<ArrowLeftOutlined />}
            // Back where the user came from; opened directly (a shared link), to the household list.
            onClick={() => void (location.key === 'default' ? navigate('/households') : navigate(-1))}
          >
            {t('personDetail.back')}
          </Button>
          <Typography.Title level={4} data-testid="person-name">
            {person.name}
          </Typography.Title>
          {person.migrantWorker ? <Tag>{t('registry.fields.migrantWorker')}</Tag> : null}
        </Space>
        <Space wrap>
          {person.fullView ? (
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
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void query.refetch()}
            loading={query.isFetching}
            aria-label={t('common.refresh')}
          />
        </Space>
      </div>
      {person.mergedInto ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={
            <span>
              {t('personDetail.merged')}{' '}
              <Link to={`/people/${person.mergedInto}`}>{t('personDetail.open')}</Link>
            </span>
          }
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12} xxl={11}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <PersonSection person={person} />
            <HouseholdsSection households={person.households} />
          </Space>
        </Col>
        <Col xs={24} lg={12} xxl={13}>
          <TimelineSection entries={person.timeline} />
        </Col>
      </Row>
    </>
  );
}
