import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  ACTIVITY_STATES,
  ARCHIVE_ORIGINS,
  CreateHousehold,
  HARDSHIP_CAUSES,
  HEALTH_STATES,
  HOUSEHOLD_REGISTRATIONS,
  HOUSING_TYPES,
  MemberInput,
  PersonInput,
  RELATIONS,
  URGENCIES,
} from '@niangjia/contracts';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Form,
  type FormInstance,
  type FormRule,
  Input,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentMe } from '../../../api/auth';
import { isApiError } from '../../../api/client';
import { useCreateHousehold } from '../../../api/registry';
import { OrgCodeInput } from '../../../components/OrgCodeInput';
import i18n, { currentLanguage } from '../../../i18n';
import { DATE_FORMAT, todayDate } from '../../../lib/format';
import { formatFen, isYuanText } from '../../../lib/money';
import { showError, showSuccess } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { codeOptions, useCodeLang } from '../../../lib/registry-labels';
import { checkResidentId, id18Of, loadIdRules, matchesMasked } from '../../../lib/resident-id';
import { issueMessage, type SafeParser, zodRule } from '../../../lib/zod-form';
import {
  COST_ITEMS,
  type FieldName,
  fieldOf,
  type HouseholdValues,
  INCOME_ITEMS,
  type ItemName,
  OTHER_ITEMS,
  previewFigures,
  toBody,
} from './model';

/** A 409 of the create call, as the page explains it. */
interface Conflict {
  reason: string;
  /** The field the server says the conflict is about: ['body', 'members', 0, 'idNumber']. */
  path?: (string | number)[];
  idNumber?: string;
  orgCode?: string;
  orgName?: string;
  message: string;
}

const CONFLICT_REASONS = [
  'person_in_open_household',
  'person_kept_elsewhere',
  'name_mismatch',
  'head_has_household',
] as const;

function conflictOf(error: unknown): Conflict | undefined {
  if (!isApiError(error) || error.code !== 'conflict') return undefined;
  const details = (
    typeof error.details === 'object' && error.details !== null ? error.details : {}
  ) as Record<string, unknown>;
  const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : undefined);
  return {
    reason: text('reason') ?? 'other',
    path: Array.isArray(details.path) ? (details.path as (string | number)[]) : undefined,
    idNumber: text('idNumber'),
    orgCode: text('orgCode'),
    orgName: text('orgName'),
    message: error.message,
  };
}

/** Each ID number field of the form, with its current value. */
function idFields(values: HouseholdValues): { name: FieldName; value: string }[] {
  return [
    { name: ['head', 'idNumber'], value: values.head?.idNumber ?? '' },
    ...(values.members ?? []).map((member, index) => ({
      name: ['members', index, 'idNumber'],
      value: member?.idNumber ?? '',
    })),
  ];
}

/** A schema rule for an optional text field: blank is fine (it is left out of the body). */
function optionalRule(schema: SafeParser<unknown>, field: string): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      if (typeof value !== 'string' || !value.trim()) return;
      const result = schema.safeParse(value);
      if (!result.success) {
        const issue = result.error.issues[0];
        throw new Error(issue ? issueMessage(issue, field) : i18n.t('validation.invalid'));
      }
    },
  };
}

/** As typed, without spaces, a final x upper-cased (the API upper-cases it too). */
const normaliseId = (value: string | undefined) => value?.replace(/\s+/g, '').toUpperCase();

const sameName = (a: FieldName, b: FieldName) => a.length === b.length && a.every((s, i) => s === b[i]);

function Section({ title, extra, children }: { title: ReactNode; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card title={title} extra={extra} size="small">
      {children}
    </Card>
  );
}

export default function HouseholdNewPage() {
  const { t } = useTranslation();
  usePageTitle(t('householdForm.pageTitle'));
  const lang = useCodeLang();
  const me = useCurrentMe();
  const navigate = useNavigate();
  const create = useCreateHousehold();
  const [form] = Form.useForm<HouseholdValues>();
  /** The same form addressed by computed field names (members by index). */
  const fields = form as unknown as FormInstance;
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const conflictRef = useRef<HTMLDivElement>(null);
  const watched = Form.useWatch([], form) as HouseholdValues | undefined;
  const primaryCause = Form.useWatch('primaryCause', form);

  // The ID number rules (with their datasets) load while the user fills in the first fields.
  const [rulesFailed, setRulesFailed] = useState(false);
  useEffect(() => {
    void loadIdRules().catch(() => setRulesFailed(true));
  }, []);

  useEffect(() => {
    if (conflict) conflictRef.current?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }, [conflict]);

  const required = t('validation.required');

  /** GB 11643 as you type (the domain's messages), then duplicates among the form's numbers. */
  const idRule = (name: FieldName): FormRule => ({
    validator: async (_rule, value: string | undefined) => {
      const text = value?.trim() ?? '';
      if (!text) throw new Error(required);
      let check: Awaited<ReturnType<typeof checkResidentId>>;
      try {
        check = await checkResidentId(text, currentLanguage());
      } catch {
        // The rules could not be loaded (network): the server checks the number on saving.
        setRulesFailed(true);
        return;
      }
      setRulesFailed(false);
      if (!check.ok) throw new Error(check.messages.join(currentLanguage() === 'en' ? ' ' : ''));
      const others = idFields(form.getFieldsValue(true) as HouseholdValues).filter(
        (field) => !sameName(field.name, name),
      );
      const ids = await id18Of(others.map((field) => field.value));
      const index = ids.indexOf(check.id18);
      const twin = others[index];
      if (index >= 0 && twin) {
        throw new Error(
          twin.name[0] === 'head'
            ? t('householdForm.idDuplicateHead')
            : t('householdForm.idDuplicateMember', { n: Number(twin.name[1]) + 1 }),
        );
      }
    },
  });

  const moneyRule = (requiredAmount: boolean): FormRule => ({
    validator: async (_rule, value: string | undefined) => {
      if (!value?.trim()) {
        if (requiredAmount) throw new Error(required);
        return;
      }
      if (!isYuanText(value)) throw new Error(t('householdForm.moneyInvalid'));
    },
  });

  /** A changed ID number may make another one (no longer) a duplicate: check those already touched. */
  const onValuesChange = (changed: HouseholdValues) => {
    const changedNames: FieldName[] = [];
    if (changed.head?.idNumber !== undefined) changedNames.push(['head', 'idNumber']);
    changed.members?.forEach((member, index) => {
      if (member?.idNumber !== undefined) changedNames.push(['members', index, 'idNumber']);
    });
    if (changedNames.length === 0) return;
    const others = idFields(form.getFieldsValue(true) as HouseholdValues)
      .map((field) => field.name)
      .filter((name) => fields.isFieldTouched(name) && !changedNames.some((c) => sameName(c, name)));
    if (others.length > 0) void fields.validateFields(others).catch(() => undefined);
  };

  const placeProblems = (problems: { path: readonly PropertyKey[] | string; message: string }[]) => {
    const memberCount = (form.getFieldValue('members') as unknown[] | undefined)?.length ?? 0;
    const placed = new Map<string, { name: FieldName; errors: string[] }>();
    const unplaced: string[] = [];
    for (const problem of problems) {
      const name = fieldOf(problem.path, memberCount);
      if (!name) {
        unplaced.push(problem.message);
        continue;
      }
      const key = name.join('.');
      const entry = placed.get(key) ?? { name, errors: [] };
      entry.errors.push(problem.message);
      placed.set(key, entry);
    }
    fields.setFields([...placed.values()]);
    const first = [...placed.values()][0];
    if (first) fields.scrollToField(first.name, { behavior: 'smooth', block: 'center' });
    return unplaced;
  };

  const showConflict = (found: Conflict) => {
    setConflict(found);
    const values = form.getFieldsValue(true) as HouseholdValues;
    const marked: { name: FieldName; errors: string[] }[] = [];
    const seeAbove = [t('householdForm.conflictSeeAbove')];
    if (found.reason === 'head_has_household') {
      marked.push({ name: ['head', 'idNumber'], errors: seeAbove });
    } else if (found.path && found.path[0] === 'body') {
      marked.push({ name: found.path.slice(1) as FieldName, errors: seeAbove });
    } else if (found.idNumber) {
      const masked = found.idNumber;
      for (const field of idFields(values)) {
        if (matchesMasked(masked, field.value)) marked.push({ name: field.name, errors: seeAbove });
      }
    }
    fields.setFields(marked);
  };

  const submit = (values: HouseholdValues) => {
    setConflict(null);
    const parsed = CreateHousehold.safeParse(toBody(values));
    if (!parsed.success) {
      const unplaced = placeProblems(
        parsed.error.issues.map((issue) => ({
          path: issue.path,
          message: issueMessage(issue, String(issue.path[issue.path.length - 1] ?? '')),
        })),
      );
      if (unplaced.length > 0) showError(new Error(unplaced.join('; ')), t('householdForm.checkFields'));
      return;
    }
    const body = parsed.data;
    create.mutate(body, {
      onSuccess: ({ id }) => {
        showSuccess(t('householdForm.created', { name: body.head.name }));
        void navigate(`/households/${id}`, { replace: true });
      },
      onError: (error) => {
        const found = conflictOf(error);
        if (found) {
          showConflict(found);
          return;
        }
        if (isApiError(error) && error.fieldProblems.length > 0) {
          const unplaced = placeProblems(error.fieldProblems);
          if (unplaced.length === 0) return;
        }
        showError(error);
      },
    });
  };

  const conflictText = (found: Conflict) => {
    const known = (CONFLICT_REASONS as readonly string[]).includes(found.reason)
      ? (found.reason as (typeof CONFLICT_REASONS)[number])
      : undefined;
    if (!known) return t('householdForm.conflict.other', { message: found.message });
    return t(`householdForm.conflict.${known}`, {
      idNumber: found.idNumber ?? '',
      orgName: found.orgName ?? found.orgCode ?? '',
      orgCode: found.orgCode ?? '',
    });
  };

  const figures = previewFigures(watched ?? {});
  const money = (fen: number | undefined) =>
    fen === undefined ? t('common.none') : formatFen(fen, currentLanguage());
  const today = todayDate();

  const moneyInput = (item: ItemName) => (
    <Col key={item} xs={24} sm={12} lg={8} xl={6}>
      <Form.Item
        name={['income', item]}
        label={t(`registry.items.${item}`)}
        rules={[moneyRule(item === 'wageIncome')]}
        required={item === 'wageIncome'}
      >
        <Input
          inputMode="decimal"
          suffix={t('householdForm.yuan')}
          placeholder="0.00"
          className="money-input"
          data-testid={`household-form-income-${item}`}
        />
      </Form.Item>
    </Col>
  );

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('householdForm.pageTitle')}</Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('householdForm.intro')}</Typography.Paragraph>
      {conflict ? (
        <div ref={conflictRef}>
          <Alert
            type="error"
            showIcon
            title={t('householdForm.conflictTitle')}
            description={conflictText(conflict)}
            style={{ marginBottom: 16 }}
            data-testid="household-form-conflict"
          />
        </div>
      ) : null}
      {rulesFailed ? (
        <Alert
          type="warning"
          showIcon
          title={t('householdForm.idRulesUnavailable')}
          style={{ marginBottom: 16 }}
          data-testid="household-form-rules-unavailable"
        />
      ) : null}
      <Form<HouseholdValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={onValuesChange}
        scrollToFirstError={{ behavior: 'smooth', block: 'center' }}
        initialValues={{
          head: { migrantWorker: false },
          members: [],
          urgency: 'normal',
          origin: 'new',
          surveyDate: dayjs(today),
          orgCode: me.organisation.code,
          secondaryCauses: [],
        }}
        data-testid="household-form"
      >
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Section title={t('householdForm.sectionHead')}>
            <Row gutter={16}>
              <Col xs={24} sm={12} lg={6}>
                <Form.Item
                  name={['head', 'name']}
                  label={t('registry.fields.name')}
                  required
                  rules={[zodRule(PersonInput.shape.name, 'name')]}
                >
                  <Input autoComplete="off" maxLength={50} data-testid="household-form-head-name" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={8}>
                <Form.Item
                  name={['head', 'idNumber']}
                  label={t('registry.fields.idNumber')}
                  required
                  validateDebounce={200}
                  normalize={normaliseId}
                  rules={[idRule(['head', 'idNumber'])]}
                >
                  <Input
                    autoComplete="off"
                    maxLength={18}
                    className="mono"
                    data-testid="household-form-head-idNumber"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={5}>
                <Form.Item
                  name={['head', 'phone']}
                  label={t('registry.fields.phone')}
                  rules={[optionalRule(PersonInput.shape.phone, 'phone')]}
                >
                  <Input
                    autoComplete="off"
                    inputMode="tel"
                    maxLength={20}
                    data-testid="household-form-head-phone"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={5}>
                <Form.Item
                  name={['head', 'householdRegistration']}
                  label={t('registry.fields.householdRegistration')}
                  rules={[{ required: true, message: t('validation.required') }]}
                >
                  <Select
                    allowClear
                    options={codeOptions(HOUSEHOLD_REGISTRATIONS, lang)}
                    data-testid="household-form-head-householdRegistration"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={6}>
                <Form.Item name={['head', 'health']} label={t('registry.fields.health')}>
                  <Select allowClear options={codeOptions(HEALTH_STATES, lang)} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={6}>
                <Form.Item name={['head', 'activity']} label={t('registry.fields.activity')}>
                  <Select allowClear options={codeOptions(ACTIVITY_STATES, lang)} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={6}>
                <Form.Item name="housingType" label={t('registry.fields.housingType')}>
                  <Select allowClear options={codeOptions(HOUSING_TYPES, lang)} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={6}>
                <Form.Item
                  name={['head', 'migrantWorker']}
                  label={t('registry.fields.migrantWorker')}
                  valuePropName="checked"
                >
                  <Checkbox data-testid="household-form-head-migrant">{t('common.yes')}</Checkbox>
                </Form.Item>
              </Col>
            </Row>
          </Section>

          <Form.List name="members">
            {(rows, { add, remove }) => (
              <Section
                title={t('householdForm.sectionMembers')}
                extra={
                  <Button
                    icon={<PlusOutlined />}
                    onClick={() => add({ migrantWorker: false })}
                    disabled={rows.length >= 20}
                    data-testid="household-form-add-member"
                  >
                    {t('householdForm.addMember')}
                  </Button>
                }
              >
                {rows.length === 0 ? (
                  <Typography.Text type="secondary">{t('householdForm.noMembers')}</Typography.Text>
                ) : null}
                {rows.map((row, index) => (
                  <div key={row.key} className="member-row" data-testid={`household-form-member-${index}`}>
                    <div className="member-row-header">
                      <Typography.Text strong>{t('householdForm.memberN', { n: index + 1 })}</Typography.Text>
                      <Button
                        type="text"
                        danger
                        size="small"
                        icon={<DeleteOutlined />}
                        onClick={() => remove(row.name)}
                        data-testid={`household-form-member-${index}-remove`}
                      >
                        {t('householdForm.removeMember')}
                      </Button>
                    </div>
                    <Row gutter={16}>
                      <Col xs={24} sm={12} lg={4}>
                        <Form.Item
                          name={[row.name, 'name']}
                          label={t('registry.fields.name')}
                          required
                          rules={[zodRule(MemberInput.shape.name, 'name')]}
                        >
                          <Input
                            autoComplete="off"
                            maxLength={50}
                            data-testid={`household-form-member-${index}-name`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12} lg={6}>
                        <Form.Item
                          name={[row.name, 'idNumber']}
                          label={t('registry.fields.idNumber')}
                          required
                          validateDebounce={200}
                          normalize={normaliseId}
                          rules={[idRule(['members', row.name, 'idNumber'])]}
                        >
                          <Input
                            autoComplete="off"
                            maxLength={18}
                            className="mono"
                            data-testid={`household-form-member-${index}-idNumber`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} sm={8} lg={3}>
                        <Form.Item
                          name={[row.name, 'relation']}
                          label={t('registry.fields.relation')}
                          required
                          rules={[zodRule(MemberInput.shape.relation, 'relation')]}
                        >
                          <Select
                            options={codeOptions(RELATIONS, lang)}
                            data-testid={`household-form-member-${index}-relation`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} sm={8} lg={3}>
                        <Form.Item name={[row.name, 'health']} label={t('registry.fields.health')}>
                          <Select
                            allowClear
                            options={codeOptions(HEALTH_STATES, lang)}
                            data-testid={`household-form-member-${index}-health`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} sm={8} lg={3}>
                        <Form.Item name={[row.name, 'activity']} label={t('registry.fields.activity')}>
                          <Select
                            allowClear
                            options={codeOptions(ACTIVITY_STATES, lang)}
                            data-testid={`household-form-member-${index}-activity`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} sm={12} lg={3}>
                        <Form.Item
                          name={[row.name, 'monthlyIncome']}
                          label={t('registry.fields.monthlyIncome')}
                          rules={[moneyRule(false)]}
                        >
                          <Input
                            inputMode="decimal"
                            placeholder="0.00"
                            className="money-input"
                            data-testid={`household-form-member-${index}-monthlyIncome`}
                          />
                        </Form.Item>
                      </Col>
                      <Col xs={12} sm={12} lg={2}>
                        <Form.Item
                          name={[row.name, 'migrantWorker']}
                          label={t('registry.fields.migrantWorker')}
                          valuePropName="checked"
                        >
                          <Checkbox>{t('common.yes')}</Checkbox>
                        </Form.Item>
                      </Col>
                    </Row>
                  </div>
                ))}
              </Section>
            )}
          </Form.List>

          <Section title={t('householdForm.sectionIncome')}>
            <Typography.Paragraph type="secondary">{t('householdForm.incomeHint')}</Typography.Paragraph>
            <Typography.Title level={5} className="form-group-title">
              {t('householdForm.incomeGroup')}
            </Typography.Title>
            <Row gutter={16}>{INCOME_ITEMS.map(moneyInput)}</Row>
            <Typography.Title level={5} className="form-group-title">
              {t('householdForm.costGroup')}
            </Typography.Title>
            <Row gutter={16}>{COST_ITEMS.map(moneyInput)}</Row>
            <Typography.Title level={5} className="form-group-title">
              {t('householdForm.otherGroup')}
            </Typography.Title>
            <Row gutter={16}>{OTHER_ITEMS.map(moneyInput)}</Row>
            <Descriptions
              size="small"
              bordered
              title={t('householdForm.preview')}
              column={{ xs: 1, md: 2, xl: 3 }}
              data-testid="household-form-preview"
              items={[
                {
                  key: 'size',
                  label: t('registry.fields.householdSize'),
                  children: t('registry.persons', { count: figures.size }),
                },
                {
                  key: 'income',
                  label: t('registry.figures.incomeTotal'),
                  children: money(figures.incomeFen),
                },
                {
                  key: 'deductions',
                  label: t('registry.figures.deductionsTotal'),
                  children: money(figures.deductionsFen),
                },
                {
                  key: 'perCapita',
                  label: t('registry.figures.perCapitaMonthlyIncome'),
                  children: money(figures.perCapitaMonthlyIncomeFen),
                },
                {
                  key: 'perCapitaNet',
                  label: t('registry.figures.perCapitaMonthlyNet'),
                  children: money(figures.perCapitaMonthlyNetFen),
                },
              ]}
            />
          </Section>

          <Section title={t('householdForm.sectionCauses')}>
            <Row gutter={16}>
              <Col xs={24} md={8}>
                <Form.Item
                  name="primaryCause"
                  label={t('registry.fields.primaryCause')}
                  required
                  rules={[zodRule(CreateHousehold.shape.primaryCause, 'primaryCause')]}
                >
                  <Select
                    options={codeOptions(HARDSHIP_CAUSES, lang)}
                    data-testid="household-form-primaryCause"
                    onChange={(cause: string) =>
                      form.setFieldValue(
                        'secondaryCauses',
                        ((form.getFieldValue('secondaryCauses') as string[] | undefined) ?? []).filter(
                          (c) => c !== cause,
                        ),
                      )
                    }
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={10}>
                <Form.Item
                  name="secondaryCauses"
                  label={t('registry.fields.secondaryCauses')}
                  extra={t('householdForm.secondaryHint')}
                  rules={[zodRule(CreateHousehold.shape.secondaryCauses, 'secondaryCauses')]}
                >
                  <Select
                    mode="multiple"
                    allowClear
                    maxCount={3}
                    optionFilterProp="label"
                    options={codeOptions(HARDSHIP_CAUSES, lang).filter((o) => o.value !== primaryCause)}
                    data-testid="household-form-secondaryCauses"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={6}>
                <Form.Item name="urgency" label={t('registry.fields.urgency')}>
                  <Select options={codeOptions(URGENCIES, lang)} data-testid="household-form-urgency" />
                </Form.Item>
              </Col>
            </Row>
          </Section>

          <Section title={t('householdForm.sectionSurvey')}>
            <Row gutter={16}>
              <Col xs={24} sm={12} lg={5}>
                <Form.Item
                  name="surveyDate"
                  label={t('registry.fields.surveyDate')}
                  required
                  rules={[{ required: true, message: required }]}
                >
                  <DatePicker
                    format={DATE_FORMAT}
                    style={{ width: '100%' }}
                    disabledDate={(date) => date.format(DATE_FORMAT) > today}
                    data-testid="household-form-surveyDate"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={5}>
                <Form.Item
                  name="surveyor"
                  label={t('registry.fields.surveyor')}
                  rules={[optionalRule(CreateHousehold.shape.surveyor, 'surveyor')]}
                >
                  <Input
                    autoComplete="off"
                    maxLength={50}
                    placeholder={t('householdForm.surveyorPlaceholder')}
                    data-testid="household-form-surveyor"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={9}>
                <Form.Item
                  name="orgCode"
                  label={t('registry.fields.orgCode')}
                  required
                  rules={[zodRule(CreateHousehold.shape.orgCode, 'orgCode')]}
                >
                  <OrgCodeInput
                    showName
                    placeholder={t('householdForm.orgCodeHint')}
                    style={{ width: '100%' }}
                    data-testid="household-form-orgCode"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12} lg={5}>
                <Form.Item name="origin" label={t('registry.fields.origin')}>
                  <Select options={codeOptions(ARCHIVE_ORIGINS, lang)} data-testid="household-form-origin" />
                </Form.Item>
              </Col>
            </Row>
          </Section>

          <div className="form-footer">
            <Space>
              <Button onClick={() => void navigate('/households')}>{t('common.cancel')}</Button>
              {/* Not a submit button: Enter in one of the many fields (a date, a code) must not save the form. */}
              <Button
                type="primary"
                onClick={() => form.submit()}
                loading={create.isPending}
                data-testid="household-form-submit"
              >
                {t('householdForm.submit')}
              </Button>
            </Space>
          </div>
        </Space>
      </Form>
    </>
  );
}
