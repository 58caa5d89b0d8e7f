import { type GrantView, PAYMENT_METHODS } from '@niangjia/contracts';
import { Alert, DatePicker, Form, type FormRule, Input, Radio, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type GrantStep, useGrantStep } from '../../../api/grants';
import { usePerson } from '../../../api/registry';
import { FormModal } from '../../../components/FormModal';
import { usePermissions } from '../../../lib/access';
import { DATE_FORMAT, formatDate, todayDate } from '../../../lib/format';
import { publicityState, refusalOf } from '../../../lib/grants';
import { formatFen, formatYuan, isYuanText, yuanTextToFen } from '../../../lib/money';
import { showSuccess } from '../../../lib/notify';
import { codeOptions, useCodeLang } from '../../../lib/registry-labels';
import { handleFormError } from '../../../lib/zod-form';

/** The steps a grant's page or its program's table offers, each in this modal. */
export type GrantAction = GrantStep['step'];

type Method = (typeof PAYMENT_METHODS)[number]['code'];

interface Values {
  note?: string;
  reason?: string;
  amount?: string;
  method?: Method;
  paidOn?: Dayjs | null;
  inKindItems?: string;
  content?: string;
  upheld?: boolean;
  resolution?: string;
  cancel?: boolean;
}

/** An amount in yuan as typed: required, at most two decimals, more than zero. */
export function useYuanRule(required = true): FormRule {
  const { t } = useTranslation();
  return {
    validator: async (_rule, value?: string) => {
      if (!value?.trim()) {
        if (required) throw new Error(t('validation.required'));
        return;
      }
      if (!isYuanText(value) || !yuanTextToFen(value)) throw new Error(t('householdForm.moneyInvalid'));
    },
  };
}

const required = (message: string): FormRule => ({ required: true, whitespace: true, message });

/**
 * One step of a grant in a modal: approve, reject, change the amount, pay, reverse the payment,
 * record or resolve an objection. A refusal of the server (own proposal, publicity not over, paid
 * already…) is shown in the modal in words, which stays open.
 */
export function GrantActionModal({
  action,
  grant,
  onClose,
  onDone,
}: {
  action: GrantAction | null;
  grant: GrantView | null;
  onClose: () => void;
  onDone?: (grant: GrantView, action: GrantAction) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = useCodeLang();
  const [form] = Form.useForm<Values>();
  const step = useGrantStep();
  const [refusal, setRefusal] = useState<string | null>(null);
  const yuanRule = useYuanRule();
  const { can } = usePermissions();
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const method = Form.useWatch('method', form);
  const open = action !== null && grant !== null;
  // The bank card the payment would go to (masked): from the person's record.
  const person = usePerson(
    open && action === 'pay' && can('registry:read') ? grant.personId : undefined,
    false,
  );

  // A new action (or grant) starts without the last one's refusal.
  useEffect(() => {
    if (open) setRefusal(null);
  }, [open]);

  if (!open) return null;

  const name = grant.personName;
  const amount = formatFen(grant.amountFen, language);
  const today = todayDate();
  const close = () => {
    setRefusal(null);
    form.resetFields();
    onClose();
  };

  const submit = (values: Values) => {
    setRefusal(null);
    let input: GrantStep;
    switch (action) {
      case 'approve':
        input = { step: 'approve', note: values.note?.trim() || undefined };
        break;
      case 'reject':
        input = { step: 'reject', reason: values.reason?.trim() ?? '' };
        break;
      case 'amount':
        input = { step: 'amount', amountFen: yuanTextToFen(values.amount ?? '') ?? 0 };
        break;
      case 'pay':
        input = {
          step: 'pay',
          method: values.method ?? 'cash',
          paidOn: values.paidOn ? values.paidOn.format(DATE_FORMAT) : undefined,
          inKindItems: values.method === 'in_kind' ? values.inKindItems?.trim() : undefined,
        };
        break;
      case 'reverse':
        input = { step: 'reverse', reason: values.reason?.trim() ?? '', cancel: values.cancel ?? false };
        break;
      case 'objection':
        input = { step: 'objection', content: values.content?.trim() ?? '' };
        break;
      case 'resolve':
        input = {
          step: 'resolve',
          upheld: values.upheld ?? false,
          resolution: values.resolution?.trim() ?? '',
        };
        break;
    }
    step.mutate(
      { id: grant.id, ...input },
      {
        onSuccess: (updated) => {
          const done: Record<GrantAction, string> = {
            approve:
              updated.status === 'approved' ? t('programDetail.approved') : t('programDetail.firstApproved'),
            reject: t('programDetail.rejected'),
            amount: t('programDetail.amountChanged'),
            pay: t('grantDetail.paidDone'),
            reverse: t('grantDetail.reversed'),
            objection: t('grantDetail.objectionRaised'),
            resolve: t('grantDetail.resolved'),
          };
          showSuccess(done[action]);
          close();
          onDone?.(updated, action);
        },
        onError: (error) => {
          const text = refusalOf(error, t, i18n.language);
          if (text) setRefusal(text);
          else handleFormError(form, error, ['note', 'reason', 'amount', 'method', 'paidOn', 'inKindItems']);
        },
      },
    );
  };

  const titles: Record<GrantAction, string> = {
    approve: t('programDetail.approveTitle', { name, amount }),
    reject: t('programDetail.rejectTitle', { name }),
    amount: t('programDetail.amountTitle', { name }),
    pay: t('grantDetail.payTitle', { name, amount }),
    reverse: t('grantDetail.reverseTitle', { name, amount }),
    objection: t('grantDetail.objectionTitle', { name }),
    resolve: t('grantDetail.resolveTitle', { name }),
  };
  const okTexts: Partial<Record<GrantAction, string>> = {
    approve: t('grants.actions.approve'),
    reject: t('grants.actions.reject'),
    pay: t('grantDetail.paySubmit'),
    reverse: t('grants.actions.reverse'),
  };
  const publicity = publicityState(grant);
  const card = person.data?.bank?.cardMasked;

  return (
    <FormModal<Values>
      open
      title={titles[action]}
      form={form}
      onSubmit={submit}
      onClose={close}
      loading={step.isPending}
      okText={okTexts[action] ?? t('common.save')}
      initialValues={{
        method: 'cash',
        paidOn: dayjs(today),
        cancel: false,
        amount: action === 'amount' ? formatYuan(grant.amountFen).replace(/,/g, '') : undefined,
      }}
      testId={`grant-${action}`}
    >
      {refusal ? (
        <Alert
          type="error"
          showIcon
          title={t('grants.refused')}
          description={refusal}
          style={{ marginBottom: 16 }}
          data-testid="grant-refusal"
        />
      ) : null}
      {action === 'approve' ? (
        <>
          {grant.approvalsNeeded === 2 && grant.firstApprovedBy === null ? (
            <Alert
              type="info"
              showIcon
              title={t('programDetail.approveFirstHint')}
              style={{ marginBottom: 16 }}
            />
          ) : null}
          <Form.Item name="note" label={t('programDetail.approveNote')}>
            <Input.TextArea rows={2} maxLength={500} data-testid="grant-approve-note" />
          </Form.Item>
        </>
      ) : null}
      {action === 'reject' ? (
        <Form.Item
          name="reason"
          label={t('programDetail.rejectReason')}
          required
          rules={[required(t('validation.required'))]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="grant-reject-reason" />
        </Form.Item>
      ) : null}
      {action === 'amount' ? (
        <Form.Item
          name="amount"
          label={t('grants.amount')}
          required
          rules={[yuanRule]}
          extra={
            <>
              {grant.capFen !== null ? (
                <div>{t('programDetail.amountCap', { cap: formatYuan(grant.capFen) })}</div>
              ) : null}
              {grant.firstApprovedBy ? <div>{t('programDetail.amountRestart')}</div> : null}
            </>
          }
        >
          <Input
            inputMode="decimal"
            suffix={t('householdForm.yuan')}
            className="money-input"
            data-testid="grant-amount-input"
          />
        </Form.Item>
      ) : null}
      {action === 'pay' ? (
        <>
          {publicity.running && publicity.ends ? (
            <Alert
              type="warning"
              showIcon
              title={t('grantDetail.payPublicity', { date: formatDate(publicity.ends) })}
              style={{ marginBottom: 16 }}
              data-testid="grant-pay-publicity"
            />
          ) : null}
          <Form.Item name="method" label={t('grants.method')} required>
            <Radio.Group
              options={codeOptions(PAYMENT_METHODS, lang)}
              optionType="button"
              buttonStyle="solid"
              data-testid="grant-pay-method"
            />
          </Form.Item>
          {method === 'bank_card' ? (
            <Alert
              type={card ? 'info' : 'warning'}
              showIcon
              style={{ marginBottom: 16 }}
              title={
                card ? (
                  <span>
                    {t('grants.bankCard')}：<span className="mono">{card}</span>
                    {person.data?.bank?.name ? ` · ${person.data.bank.name}` : ''}
                  </span>
                ) : (
                  t('grants.reasons.no_bank_card')
                )
              }
              description={card ? t('grantDetail.payBankCard') : undefined}
              data-testid="grant-pay-card"
            />
          ) : null}
          {method === 'in_kind' ? (
            <Form.Item
              name="inKindItems"
              label={t('grants.inKindItems')}
              required
              rules={[required(t('validation.required'))]}
            >
              <Input
                maxLength={200}
                placeholder={t('grantDetail.inKindPlaceholder')}
                data-testid="grant-pay-items"
              />
            </Form.Item>
          ) : null}
          <Form.Item
            name="paidOn"
            label={t('grants.paidOn')}
            required
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <DatePicker
              format={DATE_FORMAT}
              allowClear={false}
              style={{ width: '100%' }}
              disabledDate={(d) => {
                const day = d.format(DATE_FORMAT);
                return day > today || (grant.approvedOn !== null && day < grant.approvedOn);
              }}
              data-testid="grant-pay-date"
            />
          </Form.Item>
        </>
      ) : null}
      {action === 'reverse' ? (
        <>
          <Alert type="warning" showIcon title={t('grantDetail.reverseHelp')} style={{ marginBottom: 16 }} />
          <Form.Item
            name="reason"
            label={t('grantDetail.reverseReason')}
            required
            rules={[required(t('validation.required'))]}
          >
            <Input.TextArea rows={2} maxLength={500} showCount data-testid="grant-reverse-reason" />
          </Form.Item>
          <Form.Item name="cancel" label={t('grantDetail.reverseThen')}>
            <Radio.Group
              options={[
                { value: false, label: t('grantDetail.reverseAgain') },
                { value: true, label: t('grantDetail.reverseCancel') },
              ]}
              data-testid="grant-reverse-cancel"
            />
          </Form.Item>
        </>
      ) : null}
      {action === 'objection' ? (
        <Form.Item
          name="content"
          label={t('grantDetail.objectionContent')}
          required
          rules={[required(t('validation.required'))]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount data-testid="grant-objection-content" />
        </Form.Item>
      ) : null}
      {action === 'resolve' ? (
        <>
          {grant.objection ? (
            <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
              {grant.objection}
            </Typography.Paragraph>
          ) : null}
          <Form.Item name="upheld" required rules={[{ required: true, message: t('validation.required') }]}>
            <Radio.Group
              options={[
                { value: false, label: t('grantDetail.notUpheld') },
                { value: true, label: t('grantDetail.upheld') },
              ]}
              data-testid="grant-resolve-upheld"
            />
          </Form.Item>
          <Form.Item
            name="resolution"
            label={t('grantDetail.resolution')}
            required
            rules={[required(t('validation.required'))]}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount data-testid="grant-resolve-resolution" />
          </Form.Item>
        </>
      ) : null}
    </FormModal>
  );
}

/** Which steps the grant's state and the user's permissions allow, in the order offered. */
export function useAllowedActions(): (grant: GrantView) => GrantAction[] {
  const { can } = usePermissions();
  return (grant) => {
    const out: GrantAction[] = [];
    const publicity = publicityState(grant);
    if (grant.status === 'proposed') {
      if (can('assistance:approve')) out.push('approve', 'reject');
      if (can('assistance:propose')) out.push('amount');
    }
    if (grant.status === 'approved') {
      if (can('assistance:pay')) out.push('pay');
      if (publicity.running && can('assistance:propose')) out.push('objection');
    }
    if (grant.status === 'objected' && can('assistance:approve')) out.push('resolve');
    if (grant.status === 'paid' && can('assistance:approve')) out.push('reverse');
    return out;
  };
}
