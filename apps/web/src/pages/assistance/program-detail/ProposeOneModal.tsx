import {
  ARCHIVE_CATEGORIES,
  type ArchiveStatus,
  FUND_SOURCES,
  type FundSource,
  type GrantView,
  type ProgramView,
  RELATIONS,
} from '@niangjia/contracts';
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProposeGrant } from '../../../api/grants';
import { useHousehold, useHouseholds } from '../../../api/registry';
import { refusalOf } from '../../../lib/grants';
import { formatFen, formatYuan, yuanTextToFen } from '../../../lib/money';
import { showError, showSuccess } from '../../../lib/notify';
import { statusColor, statusLabel, useCodeLabel, useCodeLang } from '../../../lib/registry-labels';
import { useDebounced } from '../../../lib/use-debounced';
import { useYuanRule } from '../grant-detail/GrantActionModal';

interface Values {
  householdId?: string;
  personId?: string;
  amount?: string;
  fundSource?: FundSource;
  selfPaid?: string;
  schoolLevel?: 'basic' | 'higher';
}

/**
 * 单个申报: a household found by its head's name or ID number (the household list's search; at
 * first the households of the program's organisation that qualify), then its head or a member; the
 * medical self-paid costs or the school level when the program's cap needs them.
 */
export function ProposeOneModal({
  program,
  open,
  onClose,
  onProposed,
}: {
  program: ProgramView;
  open: boolean;
  onClose: () => void;
  onProposed?: (grant: GrantView) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = useCodeLang();
  const label = useCodeLabel();
  const [form] = Form.useForm<Values>();
  const propose = useProposeGrant();
  const yuanRule = useYuanRule(false);
  const requiredYuan = useYuanRule(true);
  const [search, setSearch] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const q = useDebounced(search.trim(), 300);
  const householdId = Form.useWatch('householdId', form);
  const households = useHouseholds({
    org: program.org,
    q: q || undefined,
    status:
      !q && program.eligibleStatuses.length === 1
        ? (program.eligibleStatuses[0] as ArchiveStatus)
        : undefined,
    page: 1,
    pageSize: 20,
  });
  const household = useHousehold(open ? householdId : undefined, false);

  // The head by default, as a batch proposes heads; a member is one click away.
  const headId = household.data?.head.id;
  useEffect(() => {
    if (headId && !form.getFieldValue('personId')) form.setFieldsValue({ personId: headId });
  }, [headId, form]);

  const close = () => {
    setRefusal(null);
    setSearch('');
    form.resetFields();
    onClose();
  };

  const submit = (values: Values) => {
    setRefusal(null);
    if (!values.personId) return;
    propose.mutate(
      {
        programId: program.id,
        personId: values.personId,
        amountFen: values.amount?.trim() ? yuanTextToFen(values.amount) : undefined,
        fundSource: values.fundSource,
        selfPaidFen: values.selfPaid?.trim() ? yuanTextToFen(values.selfPaid) : undefined,
        schoolLevel: values.schoolLevel,
      },
      {
        onSuccess: (grant) => {
          showSuccess(
            t('programDetail.proposedOne', {
              name: grant.personName,
              amount: formatFen(grant.amountFen, i18n.language === 'en' ? 'en' : 'zh-CN'),
            }),
          );
          close();
          onProposed?.(grant);
        },
        onError: (error) => {
          const text = refusalOf(error, t, i18n.language);
          if (text) setRefusal(text);
          else showError(error);
        },
      },
    );
  };

  const detail = household.data;
  const people = detail
    ? [
        {
          id: detail.head.id,
          name: detail.head.name,
          id4: detail.head.idNumber,
          role: t('programDetail.head'),
        },
        ...detail.members.map((m) => ({
          id: m.id,
          name: m.name,
          id4: m.idNumber,
          role: label(RELATIONS, m.relation),
        })),
      ]
    : [];

  return (
    <Modal
      open={open}
      title={t('programDetail.singleTitle', { name: program.name })}
      onCancel={close}
      width={640}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={propose.isPending}
            onClick={() => form.submit()}
            data-testid="propose-submit"
          >
            {t('programDetail.submitBatch')}
          </Button>
        </Space>
      }
    >
      {refusal ? (
        <Alert
          type="error"
          showIcon
          title={t('grants.refused')}
          description={refusal}
          style={{ marginBottom: 16 }}
          data-testid="propose-refusal"
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        data-testid="propose-form"
      >
        <Form.Item
          name="householdId"
          label={t('programDetail.household')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            placeholder={t('programDetail.householdPlaceholder')}
            loading={households.isFetching}
            notFoundContent={households.isFetching ? t('common.loading') : t('programDetail.noHouseholds')}
            onChange={() => form.setFieldsValue({ personId: undefined })}
            options={(households.data?.items ?? []).map((h) => ({
              value: h.id,
              label: (
                <Space size={6} data-testid="propose-household-option">
                  <span>{h.headName}</span>
                  <span className="mono">{h.headIdMasked}</span>
                  <Typography.Text type="secondary">{h.orgName}</Typography.Text>
                  {h.status ? <Tag color={statusColor(h.status)}>{statusLabel(h.status, lang)}</Tag> : null}
                  {h.category ? <Tag>{label(ARCHIVE_CATEGORIES, h.category)}</Tag> : null}
                </Space>
              ),
            }))}
            data-testid="propose-household"
          />
        </Form.Item>
        {detail ? (
          <Form.Item
            name="personId"
            label={t('programDetail.person')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Radio.Group data-testid="propose-person">
              <Space orientation="vertical">
                {people.map((p) => (
                  <Radio key={p.id} value={p.id}>
                    {p.name} <span className="mono">{p.id4}</span>{' '}
                    <Typography.Text type="secondary">{p.role}</Typography.Text>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
        ) : null}
        {program.aidType === 'medical' ? (
          <Form.Item
            name="selfPaid"
            label={t('programDetail.selfPaid')}
            extra={t('programDetail.selfPaidHelp')}
            rules={[requiredYuan]}
          >
            <Input
              inputMode="decimal"
              suffix={t('householdForm.yuan')}
              className="money-input"
              data-testid="propose-selfPaid"
            />
          </Form.Item>
        ) : null}
        {program.aidType === 'education' ? (
          <Form.Item
            name="schoolLevel"
            label={t('programDetail.schoolLevel')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Radio.Group
              options={[
                { value: 'basic', label: t('grants.school.basic') },
                { value: 'higher', label: t('grants.school.higher') },
              ]}
              data-testid="propose-school"
            />
          </Form.Item>
        ) : null}
        <Space size="middle" wrap align="start" style={{ display: 'flex' }}>
          <Form.Item
            name="amount"
            label={t('programDetail.amountOptional')}
            extra={t('programDetail.amountHelp')}
            rules={[yuanRule]}
            style={{ width: 260 }}
          >
            <Input
              inputMode="decimal"
              suffix={t('householdForm.yuan')}
              className="money-input"
              placeholder={program.defaultAmountFen === null ? '' : formatYuan(program.defaultAmountFen)}
              data-testid="propose-amount"
            />
          </Form.Item>
          {program.fundSources.length > 1 ? (
            <Form.Item name="fundSource" label={t('grants.fundSource')} style={{ width: 180 }}>
              <Select<FundSource>
                placeholder={codeOptions(program.fundSources, lang)[0]?.label}
                options={codeOptions(program.fundSources, lang)}
              />
            </Form.Item>
          ) : null}
        </Space>
      </Form>
    </Modal>
  );
}

function codeOptions(codes: readonly FundSource[], lang: 'zh' | 'en') {
  return FUND_SOURCES.filter((f) => codes.includes(f.code)).map((f) => ({ value: f.code, label: f[lang] }));
}
