import { PlusOutlined } from '@ant-design/icons';
import { FUND_SOURCES, type FundSource, type FundView, SetFund } from '@niangjia/contracts';
import {
  Button,
  Empty,
  Form,
  Input,
  InputNumber,
  Progress,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../../api/auth';
import { useFunds, useSetFund } from '../../../api/grants';
import { useParameterHistory } from '../../../api/policy';
import { FormModal } from '../../../components/FormModal';
import { OrgSelect } from '../../../components/OrgSelect';
import { usePermissions } from '../../../lib/access';
import { refusalOf } from '../../../lib/grants';
import { formatYuan, yuanTextToFen } from '../../../lib/money';
import { showSuccess } from '../../../lib/notify';
import { codeOptions, useCodeLabel, useCodeLang } from '../../../lib/registry-labels';
import { handleFormError, parseForm } from '../../../lib/zod-form';
import { useYuanRule } from '../grant-detail/GrantActionModal';

/** The national rule when no parameter says otherwise: training may take 30 % of central funds. */
const NATIONAL_TRAINING_SHARE = 0.3;

/**
 * The share of central-finance funds that may pay for training at an organisation on the year's
 * first day (the parameter trainingShareOfCentralFunds, its own or the nearest ancestor's); the
 * national 30 % to whoever may not read the parameters.
 */
function useTrainingShare(org: string, year: number): number {
  const { can } = usePermissions();
  const history = useParameterHistory(can('policy:read') ? org : undefined);
  const day = `${year}-01-01`;
  const inForce = (history.data ?? [])
    .filter(
      (v) =>
        v.key === 'trainingShareOfCentralFunds' && v.validFrom <= day && (!v.validTo || v.validTo >= day),
    )
    .sort((a, b) => (a.org === org ? -1 : b.org === org ? 1 : b.org.length - a.org.length));
  const value = inForce[0]?.value;
  // Ratios are stored in ten-thousandths (0.3 → 3000).
  return value === undefined ? NATIONAL_TRAINING_SHARE : value / 10_000;
}

interface Values {
  org: string;
  source: FundSource;
  year: number;
  budget: string;
  note?: string;
}

function SetFundModal({
  fund,
  year,
  onClose,
}: {
  /** The fund adjusted, or null for a new budget; undefined: closed. */
  fund: FundView | null | undefined;
  year: number;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = useCodeLang();
  const me = useCurrentMe();
  const [form] = Form.useForm<Values>();
  const set = useSetFund();
  const yuanRule = useYuanRule();
  const submit = (values: Values) => {
    const body = parseForm(form, SetFund, {
      org: values.org,
      source: values.source,
      year: values.year,
      budgetFen: yuanTextToFen(values.budget),
      note: values.note?.trim() || undefined,
    });
    if (!body) return;
    set.mutate(body, {
      onSuccess: () => {
        showSuccess(t('programs.funds.saved'));
        onClose();
      },
      onError: (error) => {
        const refusal = refusalOf(error, t, i18n.language);
        if (refusal) form.setFields([{ name: 'budget', errors: [refusal] }]);
        else handleFormError(form, error, ['org', 'source', 'year', 'budget', 'note']);
      },
    });
  };
  const used = fund ? fund.committedFen + fund.paidFen : 0;
  return (
    <FormModal<Values>
      open={fund !== undefined}
      title={t('programs.funds.setTitle')}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      loading={set.isPending}
      initialValues={
        fund
          ? {
              org: fund.org,
              source: fund.source,
              year: fund.year,
              budget: (fund.budgetFen / 100).toFixed(2),
              note: fund.note ?? '',
            }
          : { org: me.organisation.code, year, source: 'union_dues' }
      }
      testId="fund-set"
    >
      <Form.Item name="org" label={t('programs.org')} required>
        <OrgSelect data-testid="fund-set-org" />
      </Form.Item>
      <Space size="middle" style={{ display: 'flex' }}>
        <Form.Item name="source" label={t('programs.funds.source')} required style={{ minWidth: 200 }}>
          <Select<FundSource> options={codeOptions(FUND_SOURCES, lang)} disabled={Boolean(fund)} />
        </Form.Item>
        <Form.Item name="year" label={t('programs.funds.year')} required>
          <InputNumber min={1990} max={2100} precision={0} disabled={Boolean(fund)} />
        </Form.Item>
      </Space>
      <Form.Item
        name="budget"
        label={t('programs.funds.budget')}
        required
        rules={[yuanRule]}
        extra={used > 0 ? t('programs.funds.usedHint', { used: formatYuan(used) }) : undefined}
      >
        <Input
          inputMode="decimal"
          suffix={t('householdForm.yuan')}
          className="money-input"
          data-testid="fund-set-budget"
        />
      </Form.Item>
      <Form.Item name="note" label={t('programs.funds.note')}>
        <Input maxLength={200} />
      </Form.Item>
    </FormModal>
  );
}

/** 资金预算: each fund's budget for the year, what its grants committed and paid, what is left. */
export function FundsTab({ org, year }: { org: string | undefined; year: number }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const { can } = usePermissions();
  const me = useCurrentMe();
  const funds = useFunds({ org, year });
  const trainingShare = useTrainingShare(org ?? me.organisation.code, year);
  const sharePct = Math.round(trainingShare * 1000) / 10;
  const [editing, setEditing] = useState<FundView | null | undefined>(undefined);
  const money = (fen: number) => <span className="money">{formatYuan(fen)}</span>;
  const columns: TableColumnsType<FundView> = [
    {
      title: t('programs.org'),
      dataIndex: 'orgName',
      render: (name: string, f) => <span title={f.org}>{name}</span>,
    },
    {
      title: t('programs.funds.source'),
      dataIndex: 'source',
      render: (s: FundSource) => label(FUND_SOURCES, s),
    },
    { title: t('programs.funds.budget'), dataIndex: 'budgetFen', align: 'right', render: money },
    { title: t('programs.funds.committed'), dataIndex: 'committedFen', align: 'right', render: money },
    { title: t('programs.funds.paid'), dataIndex: 'paidFen', align: 'right', render: money },
    {
      title: t('programs.funds.available'),
      dataIndex: 'availableFen',
      align: 'right',
      render: (fen: number, f) => (
        <Space orientation="vertical" size={0} style={{ width: 160 }}>
          <strong className="money">{formatYuan(fen)}</strong>
          <Progress
            percent={f.budgetFen > 0 ? Math.round(((f.committedFen + f.paidFen) / f.budgetFen) * 100) : 0}
            size="small"
            showInfo={false}
            strokeColor="#d48806"
          />
        </Space>
      ),
    },
    {
      title: t('programs.funds.training'),
      key: 'training',
      render: (_: unknown, f) => {
        if (f.source !== 'central_finance')
          return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
        const share = f.budgetFen > 0 ? f.trainingFen / f.budgetFen : 0;
        return (
          <Tooltip
            title={t('programs.funds.trainingShare', {
              amount: formatYuan(f.trainingFen),
              pct: (share * 100).toFixed(1),
              limit: sharePct,
            })}
          >
            <Space orientation="vertical" size={0} style={{ width: 180 }} data-testid="fund-training">
              <span className="money">
                {formatYuan(f.trainingFen)} · {(share * 100).toFixed(1)}% / {sharePct}%
              </span>
              <Progress
                percent={trainingShare > 0 ? Math.min(100, Math.round((share / trainingShare) * 100)) : 0}
                size="small"
                showInfo={false}
                status={share > trainingShare * 0.9 ? 'exception' : 'normal'}
              />
            </Space>
          </Tooltip>
        );
      },
    },
    { title: t('programs.funds.note'), dataIndex: 'note', render: (n: string | null) => n ?? '' },
    ...(can('assistance:approve')
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, f: FundView) => (
              <Button type="link" size="small" onClick={() => setEditing(f)} data-testid="fund-adjust">
                {t('programs.funds.adjust')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      {can('assistance:approve') ? (
        <div style={{ marginBottom: 12 }}>
          <Button icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="fund-set">
            {t('programs.funds.set')}
          </Button>
        </div>
      ) : null}
      <Table<FundView>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={funds.data ?? []}
        loading={funds.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        className="nowrap-table"
        locale={{ emptyText: <Empty description={t('programs.funds.empty', { year })} /> }}
        data-testid="funds-table"
        summary={(rows) =>
          rows.length > 1 ? (
            <Table.Summary.Row className="figure-total">
              <Table.Summary.Cell index={0} colSpan={2}>
                {t('assistanceReport.total')}
              </Table.Summary.Cell>
              {(['budgetFen', 'committedFen', 'paidFen', 'availableFen'] as const).map((key, i) => (
                <Table.Summary.Cell key={key} index={2 + i} align="right" className="money">
                  {formatYuan(rows.reduce((sum, r) => sum + r[key], 0))}
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={6} colSpan={can('assistance:approve') ? 3 : 2} />
            </Table.Summary.Row>
          ) : null
        }
      />
      <SetFundModal
        key={editing?.id ?? (editing === null ? 'new' : 'closed')}
        fund={editing}
        year={year}
        onClose={() => setEditing(undefined)}
      />
    </>
  );
}
