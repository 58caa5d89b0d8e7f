import { ArrowLeftOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { AID_TYPES, FUND_SOURCES, GRANT_STATUSES, PAYMENT_METHODS } from '@niangjia/contracts';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useGrant } from '../../../api/grants';
import { ErrorResult } from '../../../layout/ErrorResult';
import { PageSpinner } from '../../../layout/PageSpinner';
import { usePermissions } from '../../../lib/access';
import { formatDate, formatDateTime } from '../../../lib/format';
import { GRANT_STATUS_COLORS, publicityState, useBasisLines } from '../../../lib/grants';
import { formatFen, formatYuan } from '../../../lib/money';
import { usePageTitle } from '../../../lib/page-title';
import { useCodeLabel } from '../../../lib/registry-labels';
import { type GrantAction, GrantActionModal, useAllowedActions } from './GrantActionModal';
import { Receipt } from './Receipt';

/**
 * One grant (the person timeline's link): its facts, its cap and how it was found, its approvals
 * and publicity, its payment; the steps the user may take; after payment the receipt to print.
 */
export default function GrantDetailPage() {
  const { t, i18n } = useTranslation();
  const label = useCodeLabel();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const { can } = usePermissions();
  const query = useGrant(id);
  const grant = query.data;
  const allowed = useAllowedActions();
  const basisLines = useBasisLines();
  const [action, setAction] = useState<GrantAction | null>(null);
  const receiptRef = useRef<HTMLDivElement>(null);
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  usePageTitle(grant ? `${grant.personName} · ${t('grantDetail.pageTitle')}` : t('grantDetail.pageTitle'));

  // Opened as "the receipt" (from the program's table): straight to it.
  const wantsReceipt = search.get('receipt') === '1';
  const paid = Boolean(grant?.payment);
  useEffect(() => {
    if (wantsReceipt && paid) receiptRef.current?.scrollIntoView({ block: 'start' });
  }, [wantsReceipt, paid]);

  if (query.isPending) return <PageSpinner />;
  if (query.isError || !grant)
    return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;

  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const actions = allowed(grant);
  const publicity = publicityState(grant);
  const lines = basisLines(grant.basis);
  const payment = grant.payment;

  return (
    <>
      <div className="page-header no-print">
        <Space size="middle" wrap align="center">
          <Button
            icon={<ArrowLeftOutlined />}
            onClick={() => void navigate(`/assistance/programs/${grant.programId}`)}
            data-testid="grant-back"
          >
            {t('grantDetail.back')}
          </Button>
          <Typography.Title level={4} data-testid="grant-title">
            {grant.personName} · {grant.programName}
          </Typography.Title>
          <Tag color={GRANT_STATUS_COLORS[grant.status]} data-testid="grant-status">
            {label(GRANT_STATUSES, grant.status)}
          </Tag>
        </Space>
        <Space wrap>
          {actions.map((a) => (
            <Button
              key={a}
              type={a === 'pay' || a === 'approve' ? 'primary' : 'default'}
              danger={a === 'reject' || a === 'reverse'}
              onClick={() => setAction(a)}
              data-testid={`grant-action-${a}`}
            >
              {t(`grants.actions.${a}`)}
            </Button>
          ))}
          {payment ? (
            <Button
              icon={<PrinterOutlined />}
              onClick={() => window.print()}
              data-testid="grant-print-receipt"
            >
              {t('grantDetail.printReceipt')}
            </Button>
          ) : null}
          <Button
            icon={<ReloadOutlined />}
            aria-label={t('common.refresh')}
            loading={query.isFetching}
            onClick={() => void query.refetch()}
          />
        </Space>
      </div>
      <div className="no-print">
        {publicity.running && publicity.ends ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('grantDetail.payPublicity', { date: formatDate(publicity.ends) })}
            data-testid="grant-publicity"
          />
        ) : null}
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card title={t('grantDetail.sectionGrant')} size="small">
              <Descriptions
                size="small"
                bordered
                column={1}
                styles={{ label: { whiteSpace: 'nowrap', width: 120 } }}
                data-testid="grant-facts"
                items={[
                  {
                    key: 'name',
                    label: t('grants.name'),
                    children: can('registry:read') ? (
                      <Link to={`/people/${grant.personId}`}>{grant.personName}</Link>
                    ) : (
                      grant.personName
                    ),
                  },
                  {
                    key: 'id',
                    label: t('grants.idNumber'),
                    children: <span className="mono">{grant.idNumberMasked}</span>,
                  },
                  {
                    key: 'union',
                    label: t('grants.householdOrg'),
                    children:
                      grant.householdOrgName && grant.householdId && can('registry:read') ? (
                        <Link to={`/households/${grant.householdId}`}>{grant.householdOrgName}</Link>
                      ) : (
                        (grant.householdOrgName ?? none)
                      ),
                  },
                  {
                    key: 'program',
                    label: t('grants.program'),
                    children: <Link to={`/assistance/programs/${grant.programId}`}>{grant.programName}</Link>,
                  },
                  { key: 'type', label: t('grants.aidType'), children: label(AID_TYPES, grant.aidType) },
                  {
                    key: 'amount',
                    label: t('grants.amount'),
                    children: (
                      <strong className="money" data-testid="grant-amount">
                        {formatYuan(grant.amountFen)}
                      </strong>
                    ),
                  },
                  {
                    key: 'cap',
                    label: t('grants.cap'),
                    children: (
                      <div>
                        <span className="money">
                          {grant.capFen === null ? t('grants.noCap') : formatYuan(grant.capFen)}
                        </span>
                        {lines.length > 0 ? (
                          <div data-testid="grant-basis">
                            {lines.map((line) => (
                              <div key={line}>
                                <Typography.Text type="secondary">{line}</Typography.Text>
                              </div>
                            ))}
                          </div>
                        ) : null}
                      </div>
                    ),
                  },
                  {
                    key: 'fund',
                    label: t('grants.fundSource'),
                    children: `${label(FUND_SOURCES, grant.fundSource)} · ${grant.fundYear}`,
                  },
                  { key: 'org', label: t('grants.org'), children: grant.orgName },
                  {
                    key: 'proposed',
                    label: t('grants.proposedBy'),
                    children: (
                      <span>
                        {grant.proposedBy}{' '}
                        <Typography.Text type="secondary" className="mono">
                          {formatDateTime(grant.proposedAt)}
                        </Typography.Text>
                      </span>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              <Card title={t('grantDetail.sectionApproval')} size="small">
                <Descriptions
                  size="small"
                  bordered
                  column={1}
                  styles={{ label: { whiteSpace: 'nowrap', width: 120 } }}
                  data-testid="grant-approval"
                  items={[
                    {
                      key: 'needed',
                      label: t('grantDetail.approvalsNeeded'),
                      children: grant.approvalsNeeded === 2 ? t('grantDetail.two') : t('grantDetail.one'),
                    },
                    ...(grant.approvalsNeeded === 2
                      ? [
                          {
                            key: 'first',
                            label: t('grants.firstApprovedBy'),
                            children: grant.firstApprovedBy ?? none,
                          },
                        ]
                      : []),
                    {
                      key: 'by',
                      label: t('grants.approvedBy'),
                      children: grant.approvedBy ? (
                        <span>
                          {grant.approvedBy}{' '}
                          <Typography.Text type="secondary" className="mono">
                            {formatDate(grant.approvedOn)}
                          </Typography.Text>
                        </span>
                      ) : (
                        none
                      ),
                    },
                    {
                      key: 'note',
                      label: t('grants.decisionNote'),
                      children: grant.decisionNote ?? none,
                    },
                    {
                      key: 'publicity',
                      label: t('grants.publicityEndsOn'),
                      children: publicity.none ? (
                        t('programDetail.noPublicity')
                      ) : grant.publicityEndsOn ? (
                        <span>
                          <span className="mono">{formatDate(grant.publicityEndsOn)}</span>{' '}
                          {publicity.running ? (
                            <Tag color="orange">{t('grants.publicityRunning')}</Tag>
                          ) : grant.status !== 'rejected' ? (
                            <Tag>{t('grants.publicityOver')}</Tag>
                          ) : null}
                        </span>
                      ) : (
                        none
                      ),
                    },
                    ...(grant.objection
                      ? [{ key: 'objection', label: t('grants.objection'), children: grant.objection }]
                      : []),
                  ]}
                />
              </Card>
              <Card title={t('grantDetail.sectionPayment')} size="small">
                {payment ? (
                  <Descriptions
                    size="small"
                    bordered
                    column={1}
                    styles={{ label: { whiteSpace: 'nowrap', width: 120 } }}
                    data-testid="grant-payment"
                    items={[
                      {
                        key: 'method',
                        label: t('grants.method'),
                        children: payment.method ? label(PAYMENT_METHODS, payment.method) : none,
                      },
                      ...(payment.bankCardMasked
                        ? [
                            {
                              key: 'card',
                              label: t('grants.bankCard'),
                              children: <span className="mono">{payment.bankCardMasked}</span>,
                            },
                          ]
                        : []),
                      ...(payment.inKindItems
                        ? [{ key: 'items', label: t('grants.inKindItems'), children: payment.inKindItems }]
                        : []),
                      {
                        key: 'on',
                        label: t('grants.paidOn'),
                        children: <span className="mono">{formatDate(payment.paidOn)}</span>,
                      },
                      { key: 'by', label: t('grants.paidBy'), children: payment.paidBy ?? none },
                      {
                        key: 'amount',
                        label: t('grants.amount'),
                        children: <span className="money">{formatFen(grant.amountFen, language)}</span>,
                      },
                    ]}
                  />
                ) : (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={t('grantDetail.notPaid')}
                    data-testid="grant-not-paid"
                  >
                    {actions.includes('pay') ? (
                      <Button type="primary" onClick={() => setAction('pay')}>
                        {t('grants.actions.pay')}
                      </Button>
                    ) : null}
                  </Empty>
                )}
              </Card>
            </Space>
          </Col>
        </Row>
      </div>
      {payment ? (
        <div ref={receiptRef} className="grant-receipt">
          <Receipt grant={grant} copy={1} />
          {/* The second copy (存根联) is for paper only, under a line to cut along. */}
          <div className="receipt-second">
            <Receipt grant={grant} copy={2} />
          </div>
        </div>
      ) : null}
      <GrantActionModal action={action} grant={grant} onClose={() => setAction(null)} />
    </>
  );
}
