import { DownloadOutlined, ExperimentOutlined } from '@ant-design/icons';
import { ARCHIVE_CATEGORIES, HARDSHIP_CAUSES, type ParameterKey, RULE_SETS } from '@niangjia/contracts';
import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../../../api/auth';
import { api, download } from '../../../api/client';
import { BarChart } from '../../../components/BarChart';
import { currentLanguage } from '../../../i18n';
import { DATE_FORMAT, todayDate } from '../../../lib/format';
import { formatFen } from '../../../lib/money';
import { showError } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { useCodeLabel, useCodeLang } from '../../../lib/registry-labels';

/** The parameters a person most often changes in a what-if; any other comes from the values in force. */
const EDITABLE: ParameterKey[] = [
  'dibaoMonthly',
  'legacyMultiplier',
  'relativeMultiplier',
  'accidentCostShare',
  'minWageMonthly',
];

interface Side {
  ruleSet: 'legacy-2013' | 'national-2016';
  imputeMinWage: boolean;
  applyExclusions: boolean;
  parameters: Partial<Record<ParameterKey, string>>;
}
interface Values {
  base: Side;
  proposal: Side;
  org: string;
  asOf: Dayjs;
}

interface Decision {
  eligible: boolean;
  category: string | null;
  tests: { code: string; decisive: boolean }[];
}
interface SimulationResult {
  asOf: string;
  population: number;
  base: { eligible: number; byCategory: Record<string, number>; costFen: number };
  proposal: { eligible: number; byCategory: Record<string, number>; costFen: number };
  entering: number;
  leaving: number;
  breakdown: Record<
    'category' | 'cause' | 'org' | 'migrant',
    Record<string, { entering: number; leaving: number }>
  >;
  changedCount: number;
  changed: {
    household: { id: string; headName: string; orgCode: string; migrant: boolean };
    base: Decision;
    proposal: Decision;
  }[];
}

const policyFile = (s: Side) => ({
  ruleSet: s.ruleSet,
  parameters: Object.fromEntries(
    Object.entries(s.parameters ?? {}).filter(([, v]) => v !== undefined && String(v).trim() !== ''),
  ),
  options: { imputeMinWage: Boolean(s.imputeMinWage), applyExclusions: Boolean(s.applyExclusions) },
});

/**
 * What-if (issue 4): a base policy and a proposal over every household of the scope not exited,
 * side by side, nothing written: who enters and who leaves, by category and organisation, the
 * yearly living-aid cost of each side, and the households whose decision differs.
 */
export default function SimulationPage() {
  const { t } = useTranslation();
  usePageTitle(t('simulation.pageTitle'));
  const lang = useCodeLang();
  const label = useCodeLabel();
  const { data: me } = useMe();
  const [form] = Form.useForm<Values>();
  const request = (v: Values) => ({
    base: policyFile(v.base),
    proposal: policyFile(v.proposal),
    org: v.org?.trim() || undefined,
    asOf: v.asOf.format(DATE_FORMAT),
  });
  const [exporting, setExporting] = useState(false);
  const exportWorkbook = () => {
    setExporting(true);
    download('/api/v1/policy/simulations/export.xlsx', 'simulation.xlsx', request(form.getFieldsValue(true)))
      .catch((error: unknown) => showError(error))
      .finally(() => setExporting(false));
  };
  const run = useMutation({
    mutationFn: (v: Values) => api.post<SimulationResult>('/api/v1/policy/simulations', request(v)),
    meta: { silent: true },
    onError: (error) => showError(error),
  });
  const r = run.data;
  const outcome = (code: string) =>
    code === 'ineligible' ? t('evaluation.ineligible') : label(ARCHIVE_CATEGORIES, code);
  const categories = useMemo(() => {
    if (!r) return [];
    return [...new Set([...Object.keys(r.base.byCategory), ...Object.keys(r.proposal.byCategory)])];
  }, [r]);
  const byCategory = useMemo(
    () =>
      r
        ? [
            {
              name: t('simulation.base'),
              values: categories.map((c) => r.base.byCategory[c] ?? 0),
              color: '#8c8c8c',
            },
            {
              name: t('simulation.proposal'),
              values: categories.map((c) => r.proposal.byCategory[c] ?? 0),
              color: '#c8102e',
            },
          ]
        : [],
    [r, categories, t],
  );
  // Who enters and who leaves, by union, by primary cause and by migrant status.
  const moves = useMemo(() => {
    const chart = (
      table: Record<string, { entering: number; leaving: number }>,
      name: (key: string) => string,
    ) => {
      const keys = Object.keys(table).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      return {
        categories: keys.map(name),
        series: [
          {
            name: t('simulation.entering'),
            values: keys.map((k) => table[k]?.entering ?? 0),
            color: '#389e0d',
          },
          {
            name: t('simulation.leaving'),
            values: keys.map((k) => table[k]?.leaving ?? 0),
            color: '#d46b08',
          },
        ],
      };
    };
    if (!r) return undefined;
    return {
      org: chart(r.breakdown.org, (k) => k),
      cause: chart(r.breakdown.cause, (k) => (k === 'none' ? t('common.none') : label(HARDSHIP_CAUSES, k))),
      migrant: chart(r.breakdown.migrant, (k) =>
        k === 'migrant' ? t('simulation.migrant') : t('simulation.local'),
      ),
    };
  }, [r, t, label]);
  const money = (fen: number) => formatFen(fen, currentLanguage());

  const side = (name: 'base' | 'proposal') => (
    <Card size="small" title={t(`simulation.${name}`)} data-testid={`simulation-${name}`}>
      <Form.Item name={[name, 'ruleSet']} label={t('simulation.ruleSet')} rules={[{ required: true }]}>
        <Select
          options={RULE_SETS.map((x) => ({ value: x.code, label: x[lang] }))}
          data-testid={`simulation-${name}-ruleSet`}
        />
      </Form.Item>
      <Row gutter={8}>
        {EDITABLE.map((key) => (
          <Col key={key} span={12}>
            <Form.Item name={[name, 'parameters', key]} label={key}>
              <Input placeholder={t('simulation.inForce')} data-testid={`simulation-${name}-${key}`} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Space>
        <Form.Item name={[name, 'imputeMinWage']} valuePropName="checked" noStyle>
          <Checkbox>{t('policy.imputeMinWage')}</Checkbox>
        </Form.Item>
        <Form.Item name={[name, 'applyExclusions']} valuePropName="checked" noStyle>
          <Checkbox>{t('policy.applyExclusions')}</Checkbox>
        </Form.Item>
      </Space>
    </Card>
  );

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('simulation.pageTitle')}</Typography.Title>
      </div>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('simulation.explain')} />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          base: { ruleSet: 'legacy-2013', parameters: {} },
          proposal: { ruleSet: 'national-2016', parameters: {} },
          org: me?.organisation.code,
          asOf: dayjs(todayDate()),
        }}
        onFinish={(v) => run.mutate(v)}
      >
        <Row gutter={16}>
          <Col xs={24} lg={12}>
            {side('base')}
          </Col>
          <Col xs={24} lg={12}>
            {side('proposal')}
          </Col>
        </Row>
        <Space style={{ marginTop: 16 }} wrap align="end">
          <Form.Item name="org" label={t('simulation.org')} style={{ marginBottom: 0 }}>
            <Input style={{ width: 180 }} data-testid="simulation-org" />
          </Form.Item>
          <Form.Item name="asOf" label={t('simulation.asOf')} style={{ marginBottom: 0 }}>
            <DatePicker format={DATE_FORMAT} allowClear={false} />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            icon={<ExperimentOutlined />}
            loading={run.isPending}
            data-testid="simulation-run"
          >
            {t('simulation.run')}
          </Button>
          {r ? (
            <Button
              icon={<DownloadOutlined />}
              onClick={exportWorkbook}
              loading={exporting}
              data-testid="simulation-export"
            >
              {t('simulation.export')}
            </Button>
          ) : null}
        </Space>
      </Form>
      {r ? (
        <Space
          orientation="vertical"
          size="middle"
          style={{ width: '100%', marginTop: 16 }}
          data-testid="simulation-result"
        >
          <Row gutter={16}>
            <Col xs={12} lg={4}>
              <Statistic title={t('simulation.population')} value={r.population} />
            </Col>
            <Col xs={12} lg={5}>
              <Statistic
                title={t('simulation.eligible')}
                value={`${r.base.eligible} → ${r.proposal.eligible}`}
              />
            </Col>
            <Col xs={12} lg={3}>
              <Statistic
                title={t('simulation.entering')}
                value={r.entering}
                styles={{ content: { color: '#389e0d' } }}
              />
            </Col>
            <Col xs={12} lg={3}>
              <Statistic
                title={t('simulation.leaving')}
                value={r.leaving}
                styles={{ content: { color: '#d46b08' } }}
              />
            </Col>
            <Col xs={24} lg={9}>
              <Statistic
                title={t('simulation.cost')}
                value={`${money(r.base.costFen)} → ${money(r.proposal.costFen)}`}
              />
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('simulation.byCategory')}>
                <BarChart
                  categories={categories.map(outcome)}
                  series={byCategory}
                  testId="simulation-chart-category"
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('simulation.byOrg')}>
                <BarChart
                  categories={moves?.org.categories ?? []}
                  series={moves?.org.series ?? []}
                  testId="simulation-chart-org"
                />
              </Card>
            </Col>
            <Col xs={24} lg={16}>
              <Card size="small" title={t('simulation.byCause')}>
                <BarChart
                  categories={moves?.cause.categories ?? []}
                  series={moves?.cause.series ?? []}
                  testId="simulation-chart-cause"
                />
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card size="small" title={t('simulation.byMigrant')}>
                <BarChart
                  categories={moves?.migrant.categories ?? []}
                  series={moves?.migrant.series ?? []}
                  testId="simulation-chart-migrant"
                />
              </Card>
            </Col>
          </Row>
          <Card
            size="small"
            title={t('simulation.changed', { count: r.changedCount, shown: r.changed.length })}
          >
            <Table
              rowKey={(c) => c.household.id}
              size="small"
              dataSource={r.changed}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              data-testid="simulation-changed"
              columns={[
                {
                  title: t('simulation.household'),
                  key: 'household',
                  render: (_: unknown, c) => (
                    <Link to={`/households/${c.household.id}`}>{c.household.headName}</Link>
                  ),
                },
                {
                  title: t('registry.fields.organisation'),
                  key: 'org',
                  render: (_: unknown, c) => c.household.orgCode,
                },
                {
                  title: t('registry.fields.migrantWorker'),
                  key: 'migrant',
                  render: (_: unknown, c) => (c.household.migrant ? t('common.yes') : t('common.no')),
                },
                {
                  title: t('simulation.base'),
                  key: 'base',
                  render: (_: unknown, c) => <Tag>{outcome(c.base.category ?? 'ineligible')}</Tag>,
                },
                {
                  title: t('simulation.proposal'),
                  key: 'proposal',
                  render: (_: unknown, c) => (
                    <Tag color={c.proposal.eligible ? 'red' : 'default'}>
                      {outcome(c.proposal.category ?? 'ineligible')}
                    </Tag>
                  ),
                },
              ]}
            />
          </Card>
        </Space>
      ) : null}
    </>
  );
}
