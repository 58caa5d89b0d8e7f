import {
  AID_TYPES,
  type AidType,
  ARCHIVE_CATEGORIES,
  ARCHIVE_STATUSES,
  CreateProgram,
  FUND_SOURCES,
  type FundSource,
  type ProgramView,
} from '@niangjia/contracts';
import { Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../../api/auth';
import { useCreateProgram } from '../../../api/grants';
import { FormModal } from '../../../components/FormModal';
import { OrgSelect } from '../../../components/OrgSelect';
import { DATE_FORMAT, todayDate } from '../../../lib/format';
import { yuanTextToFen } from '../../../lib/money';
import { showSuccess } from '../../../lib/notify';
import { codeOptions, useCodeLang } from '../../../lib/registry-labels';
import { handleFormError, parseForm, zodRule } from '../../../lib/zod-form';
import { useYuanRule } from '../grant-detail/GrantActionModal';

interface Values {
  org: string;
  name: string;
  aidType: AidType;
  period: [Dayjs, Dayjs];
  fundSources: FundSource[];
  eligibleStatuses: string[];
  eligibleCategories: string[];
  defaultAmount?: string;
  publicityWorkingDays: number;
}

/**
 * 新建项目: every field of CreateProgram, with this year as the period, the user's organisation,
 * "archive first" (archived households only) and five working days of publicity.
 */
export function CreateProgramModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (program: ProgramView) => void;
}) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const me = useCurrentMe();
  const [form] = Form.useForm<Values>();
  const create = useCreateProgram();
  const yuanRule = useYuanRule(false);
  const year = Number(todayDate().slice(0, 4));

  const submit = (values: Values) => {
    const body = parseForm(form, CreateProgram, {
      org: values.org,
      name: values.name,
      aidType: values.aidType,
      startsOn: values.period[0].format(DATE_FORMAT),
      endsOn: values.period[1].format(DATE_FORMAT),
      fundSources: values.fundSources,
      eligibleStatuses: values.eligibleStatuses,
      eligibleCategories: values.eligibleCategories,
      defaultAmountFen: values.defaultAmount?.trim() ? yuanTextToFen(values.defaultAmount) : undefined,
      publicityWorkingDays: values.publicityWorkingDays,
    });
    if (!body) return;
    create.mutate(body, {
      onSuccess: (program) => {
        showSuccess(t('programs.created'));
        form.resetFields();
        onCreated(program);
      },
      onError: (error) =>
        handleFormError(form, error, ['org', 'name', 'aidType', 'fundSources', 'publicityWorkingDays']),
    });
  };

  return (
    <FormModal<Values>
      open={open}
      title={t('programs.createTitle')}
      form={form}
      onSubmit={submit}
      onClose={() => {
        form.resetFields();
        onClose();
      }}
      loading={create.isPending}
      okText={t('common.create')}
      initialValues={{
        org: me.organisation.code,
        aidType: 'festival',
        period: [dayjs(`${year}-01-01`), dayjs(`${year}-12-31`)],
        fundSources: ['union_dues'],
        eligibleStatuses: ['archived'],
        eligibleCategories: [],
        publicityWorkingDays: 5,
      }}
      testId="program-create"
      width={720}
    >
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <Form.Item
            name="org"
            label={t('programs.org')}
            required
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <OrgSelect data-testid="program-create-org" />
          </Form.Item>
        </Col>
        <Col xs={24} md={14}>
          <Form.Item
            name="name"
            label={t('programs.name')}
            required
            rules={[zodRule(CreateProgram.shape.name, 'name')]}
          >
            <Input
              maxLength={100}
              placeholder={t('programs.namePlaceholder', { year })}
              data-testid="program-create-name"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="aidType" label={t('grants.aidType')} required>
            <Select<AidType> options={codeOptions(AID_TYPES, lang)} data-testid="program-create-aidType" />
          </Form.Item>
        </Col>
        <Col xs={24} md={14}>
          <Form.Item
            name="period"
            label={t('programs.period')}
            required
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <DatePicker.RangePicker
              format={DATE_FORMAT}
              allowClear={false}
              style={{ width: '100%' }}
              data-testid="program-create-period"
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="fundSources"
        label={t('programs.fundSources')}
        required
        rules={[{ required: true, type: 'array', min: 1, message: t('validation.required') }]}
      >
        <Select<FundSource[]>
          mode="multiple"
          options={codeOptions(FUND_SOURCES, lang)}
          data-testid="program-create-funds"
        />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name="eligibleStatuses"
            label={t('programs.eligibleStatuses')}
            extra={t('programs.eligibleStatusesHelp')}
          >
            <Select<string[]>
              mode="multiple"
              allowClear
              placeholder={t('programs.noArchiveNeeded')}
              options={codeOptions(ARCHIVE_STATUSES, lang)}
              data-testid="program-create-statuses"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="eligibleCategories"
            label={t('programs.eligibleCategories')}
            extra={t('programs.eligibleCategoriesHelp')}
          >
            <Select<string[]>
              mode="multiple"
              allowClear
              placeholder={t('programs.anyCategory')}
              options={codeOptions(ARCHIVE_CATEGORIES, lang)}
              data-testid="program-create-categories"
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            name="defaultAmount"
            label={t('programs.defaultAmount')}
            extra={t('programs.defaultAmountHelp')}
            rules={[yuanRule]}
          >
            <Input
              inputMode="decimal"
              suffix={t('householdForm.yuan')}
              className="money-input"
              data-testid="program-create-amount"
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="publicityWorkingDays"
            label={t('programs.publicityWorkingDays')}
            extra={t('programs.publicityHelp')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber
              min={0}
              max={30}
              precision={0}
              style={{ width: 120 }}
              data-testid="program-create-publicity"
            />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
