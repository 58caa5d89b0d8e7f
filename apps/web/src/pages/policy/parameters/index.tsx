import { PlusOutlined } from '@ant-design/icons';
import {
  type ParameterDefinition,
  type ParameterKey,
  type ParameterVersionView,
  POLICY_PARAMETERS,
  RULE_SETS,
  SetParameter,
} from '@niangjia/contracts';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMe } from '../../../api/auth';
import { isApiError } from '../../../api/client';
import { useParameterHistory, useRuleSetHistory, useSetParameter, useSetRuleSet } from '../../../api/policy';
import { FormModal } from '../../../components/FormModal';
import { usePermissions } from '../../../lib/access';
import { DATE_FORMAT, formatDate, todayDate } from '../../../lib/format';
import { showError, showSuccess } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { useCodeLang } from '../../../lib/registry-labels';
import { ReevaluationCard } from './ReevaluationCard';

interface RuleValues {
  ruleSet: 'legacy-2013' | 'national-2016';
  imputeMinWage?: boolean;
  applyExclusions?: boolean;
  validFrom: Dayjs | null;
  validTo: Dayjs | null;
  source?: string;
}

interface Values {
  key: ParameterKey;
  value: string;
  validFrom: Dayjs | null;
  validTo: Dayjs | null;
  source?: string;
}

const inForce = (v: ParameterVersionView, day: string) =>
  v.validFrom <= day && (v.validTo === null || v.validTo >= day);

/**
 * The identification standard of an organisation (issue 4): each parameter's value in force today,
 * from its own organisation or the nearest above, with its whole history as a timeline; the rule
 * sets chosen; and, for whoever may, a new value from a date.
 */
export default function PolicyParametersPage() {
  const { t } = useTranslation();
  usePageTitle(t('policy.pageTitle'));
  const lang = useCodeLang();
  const { can } = usePermissions();
  const { data: me } = useMe();
  const [search, setSearch] = useSearchParams();
  const org = search.get('org') ?? me?.organisation.code;
  const history = useParameterHistory(org);
  const ruleSets = useRuleSetHistory(org);
  const setParameter = useSetParameter();
  const [form] = Form.useForm<Values>();
  const [editing, setEditing] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const [jobId, setJobId] = useState<string>();
  const [ruleForm] = Form.useForm<RuleValues>();
  const setRuleSet = useSetRuleSet();
  const today = todayDate();

  const versions = history.data ?? [];
  const rows = (POLICY_PARAMETERS as readonly ParameterDefinition[]).map((def) => {
    const own = versions.filter((v) => v.key === def.key);
    // Nearest organisation first: the first version in force today is the one.
    return { def, versions: own, current: own.find((v) => inForce(v, today)) };
  });

  const submit = (values: Values) => {
    const parsed = SetParameter.safeParse({
      key: values.key,
      value: values.value,
      org,
      validFrom: values.validFrom?.format(DATE_FORMAT),
      validTo: values.validTo?.format(DATE_FORMAT),
      source: values.source?.trim() || undefined,
    });
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((i) => ({
          name: String(i.path[0] ?? 'value') as keyof Values,
          errors: [i.message],
        })),
      );
      return;
    }
    setParameter.mutate(parsed.data, {
      onSuccess: (v) => {
        showSuccess(t('policy.saved', { key: v.key, value: v.valueText }));
        setJobId(v.evaluationJobId);
        setEditing(false);
        form.resetFields();
      },
      onError: (error) => {
        if (isApiError(error) && error.code === 'conflict') {
          form.setFields([{ name: 'validFrom', errors: [error.message] }]);
          return;
        }
        showError(error);
      },
    });
  };

  const chooseRuleSet = (values: RuleValues) => {
    setRuleSet.mutate(
      {
        org: org ?? '',
        ruleSet: values.ruleSet,
        options: {
          imputeMinWage: Boolean(values.imputeMinWage),
          applyExclusions: Boolean(values.applyExclusions),
        },
        validFrom: values.validFrom?.format(DATE_FORMAT) ?? '',
        validTo: values.validTo?.format(DATE_FORMAT),
        source: values.source?.trim() || undefined,
      },
      {
        onSuccess: (v) => {
          showSuccess(t('policy.ruleSetSaved'));
          setJobId(v.evaluationJobId);
          setChoosing(false);
          ruleForm.resetFields();
        },
        onError: (error) => {
          if (isApiError(error) && error.code === 'conflict') {
            ruleForm.setFields([{ name: 'validFrom', errors: [error.message] }]);
            return;
          }
          showError(error);
        },
      },
    );
  };

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('policy.pageTitle')}</Typography.Title>
        <Space>
          <Input.Search
            defaultValue={org}
            placeholder={t('policy.orgPlaceholder')}
            onSearch={(code) => setSearch(code.trim() ? { org: code.trim() } : {})}
            style={{ width: 220 }}
            data-testid="policy-org"
          />
          {can('policy:write') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing(true)}
              data-testid="policy-set"
            >
              {t('policy.set')}
            </Button>
          ) : null}
          {can('policy:write') ? (
            <Button onClick={() => setChoosing(true)} data-testid="policy-rule-set">
              {t('policy.chooseRuleSet')}
            </Button>
          ) : null}
        </Space>
      </div>
      {history.isError ? <Alert type="error" showIcon title={(history.error as Error).message} /> : null}
      {jobId ? <ReevaluationCard jobId={jobId} /> : null}
      <Card
        size="small"
        title={t('policy.ruleSets')}
        style={{ marginBottom: 16 }}
        loading={ruleSets.isPending}
      >
        {(ruleSets.data ?? []).length === 0 ? (
          <Typography.Text type="secondary">{t('policy.noRuleSet')}</Typography.Text>
        ) : (
          <Timeline
            items={(ruleSets.data ?? []).map((r) => ({
              key: r.id,
              color: r.validFrom <= today && (r.validTo === null || r.validTo >= today) ? 'green' : 'gray',
              content: (
                <span>
                  <strong>{RULE_SETS.find((x) => x.code === r.ruleSet)?.[lang] ?? r.ruleSet}</strong>{' '}
                  <span className="mono">
                    {formatDate(r.validFrom)} – {r.validTo ? formatDate(r.validTo) : ''}
                  </span>{' '}
                  <Typography.Text type="secondary">
                    {r.orgName} {r.org}
                    {r.options.imputeMinWage ? ` · ${t('policy.imputeMinWage')}` : ''}
                    {r.options.applyExclusions ? ` · ${t('policy.applyExclusions')}` : ''}
                  </Typography.Text>
                </span>
              ),
            }))}
          />
        )}
      </Card>
      <Card size="small" title={t('policy.parameters')}>
        <Table
          rowKey={(r) => r.def.key}
          size="small"
          loading={history.isPending}
          pagination={false}
          dataSource={rows}
          data-testid="policy-parameters"
          columns={[
            {
              title: t('policy.parameter'),
              key: 'name',
              render: (_: unknown, r) => (
                <div>
                  <div>{lang === 'zh' ? r.def.zh : r.def.en}</div>
                  <Typography.Text type="secondary" className="mono">
                    {r.def.key}
                  </Typography.Text>
                </div>
              ),
            },
            {
              title: t('policy.inForce', { date: formatDate(today) }),
              key: 'current',
              className: 'nowrap',
              render: (_: unknown, r) =>
                r.current ? (
                  <span data-testid={`policy-current-${r.def.key}`}>
                    <strong>{r.current.valueText}</strong>{' '}
                    {r.def.unit ? (lang === 'zh' ? r.def.unit.zh : r.def.unit.en) : ''}
                    <div>
                      <Tag>{r.current.org}</Tag>
                    </div>
                  </span>
                ) : (
                  <Typography.Text type="warning">{t('policy.none')}</Typography.Text>
                ),
            },
            {
              title: t('policy.history'),
              key: 'history',
              render: (_: unknown, r) => (
                <Timeline
                  style={{ marginBottom: -24 }}
                  items={r.versions.map((v) => ({
                    key: v.id,
                    color: r.current?.id === v.id ? 'green' : 'gray',
                    content: (
                      <span>
                        <strong>{v.valueText}</strong>{' '}
                        <span className="mono">
                          {formatDate(v.validFrom)} – {v.validTo ? formatDate(v.validTo) : ''}
                        </span>{' '}
                        <Typography.Text type="secondary">
                          {v.org}
                          {v.source ? ` · ${v.source}` : ''}
                        </Typography.Text>
                      </span>
                    ),
                  }))}
                />
              ),
            },
          ]}
        />
      </Card>
      <FormModal<Values>
        open={editing}
        title={t('policy.setTitle', { org })}
        form={form}
        onSubmit={submit}
        onClose={() => setEditing(false)}
        loading={setParameter.isPending}
        testId="policy-form"
      >
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('policy.setHelp')} />
        <Form.Item
          name="key"
          label={t('policy.parameter')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            options={POLICY_PARAMETERS.map((p) => ({
              value: p.key,
              label: `${lang === 'zh' ? p.zh : p.en} (${p.key})`,
            }))}
            data-testid="policy-form-key"
          />
        </Form.Item>
        <Form.Item
          name="value"
          label={t('policy.value')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input data-testid="policy-form-value" />
        </Form.Item>
        <Space>
          <Form.Item
            name="validFrom"
            label={t('policy.validFrom')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <DatePicker format={DATE_FORMAT} data-testid="policy-form-from" />
          </Form.Item>
          <Form.Item name="validTo" label={t('policy.validTo')}>
            <DatePicker format={DATE_FORMAT} data-testid="policy-form-to" />
          </Form.Item>
        </Space>
        <Form.Item name="source" label={t('policy.source')}>
          <Input
            maxLength={500}
            placeholder={t('policy.sourcePlaceholder')}
            data-testid="policy-form-source"
          />
        </Form.Item>
      </FormModal>
      <FormModal<RuleValues>
        open={choosing}
        title={t('policy.chooseRuleSetTitle', { org })}
        form={ruleForm}
        onSubmit={chooseRuleSet}
        onClose={() => setChoosing(false)}
        loading={setRuleSet.isPending}
        testId="rule-set-form"
      >
        <Form.Item
          name="ruleSet"
          label={t('simulation.ruleSet')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            options={RULE_SETS.map((r) => ({ value: r.code, label: r[lang] }))}
            data-testid="rule-set-form-ruleSet"
          />
        </Form.Item>
        <Form.Item name="imputeMinWage" valuePropName="checked">
          <Checkbox>{t('policy.imputeMinWage')}</Checkbox>
        </Form.Item>
        <Form.Item name="applyExclusions" valuePropName="checked">
          <Checkbox>{t('policy.applyExclusions')}</Checkbox>
        </Form.Item>
        <Space>
          <Form.Item
            name="validFrom"
            label={t('policy.validFrom')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item name="validTo" label={t('policy.validTo')}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
        </Space>
        <Form.Item name="source" label={t('policy.source')}>
          <Input maxLength={500} />
        </Form.Item>
      </FormModal>
    </>
  );
}
