import {
  ARCHIVE_CATEGORIES,
  ARCHIVE_STATUSES,
  type BatchProposed,
  FUND_SOURCES,
  type FundSource,
  HARDSHIP_CAUSES,
  type ProgramView,
  URGENCIES,
} from '@niangjia/contracts';
import { Alert, Button, Descriptions, Form, Input, Modal, Select, Space, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProposeBatch } from '../../../api/grants';
import { OrgSelect } from '../../../components/OrgSelect';
import { reasonText, refusalOf } from '../../../lib/grants';
import { formatYuan, yuanTextToFen } from '../../../lib/money';
import { showError } from '../../../lib/notify';
import { codeOptions, useCodeLang } from '../../../lib/registry-labels';
import { useYuanRule } from '../grant-detail/GrantActionModal';

interface Values {
  org?: string;
  status?: string;
  category?: string;
  urgency?: string;
  migrant?: 'true' | 'false';
  cause?: string;
  amount?: string;
  fundSource?: FundSource;
}

/**
 * 批量申报: the households the archive list's filters give (the same filters as 困难职工档案), each
 * household's head proposed; then what happened: matched, proposed, amount, and the households
 * skipped by reason.
 */
export function BatchProposeModal({
  program,
  open,
  onClose,
}: {
  program: ProgramView;
  open: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = useCodeLang();
  const [form] = Form.useForm<Values>();
  const batch = useProposeBatch();
  const yuanRule = useYuanRule(false);
  const [result, setResult] = useState<BatchProposed | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const only = (list: readonly string[]) => (list.length === 1 ? list[0] : undefined);

  const close = () => {
    setResult(null);
    setRefusal(null);
    form.resetFields();
    onClose();
  };

  const submit = (values: Values) => {
    setRefusal(null);
    batch.mutate(
      {
        programId: program.id,
        filters: {
          org: values.org || undefined,
          status: (values.status as never) || undefined,
          category: values.category || undefined,
          urgency: values.urgency || undefined,
          cause: values.cause || undefined,
          migrant: values.migrant === undefined ? undefined : values.migrant === 'true',
        },
        amountFen: values.amount?.trim() ? yuanTextToFen(values.amount) : undefined,
        fundSource: values.fundSource,
      },
      {
        onSuccess: setResult,
        onError: (error) => {
          const text = refusalOf(error, t, i18n.language);
          if (text) setRefusal(text);
          else showError(error);
        },
      },
    );
  };

  const skipped = Object.entries(result?.skipped ?? {});

  return (
    <Modal
      open={open}
      title={t('programDetail.batchTitle', { name: program.name })}
      onCancel={close}
      width={640}
      destroyOnHidden
      footer={
        result ? (
          <Button type="primary" onClick={close} data-testid="batch-done">
            {t('common.ok')}
          </Button>
        ) : (
          <Space>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={batch.isPending}
              onClick={() => form.submit()}
              data-testid="batch-submit"
            >
              {t('programDetail.submitBatch')}
            </Button>
          </Space>
        )
      }
    >
      {result ? (
        <div data-testid="batch-result">
          <Space size={40} style={{ margin: '8px 0 16px' }}>
            <Statistic
              title={t('programDetail.matched')}
              value={result.matched}
              data-testid="batch-matched"
            />
            <Statistic
              title={t('programDetail.proposedNow')}
              value={result.proposed}
              data-testid="batch-proposed"
            />
            <Statistic
              title={t('programDetail.amountNow')}
              value={formatYuan(result.amountFen)}
              data-testid="batch-amount"
            />
          </Space>
          <Descriptions
            size="small"
            bordered
            column={1}
            items={[
              {
                key: 'skipped',
                label: t('programDetail.skipped'),
                children:
                  skipped.length === 0 ? (
                    t('programDetail.skippedNone')
                  ) : (
                    <ul className="plain-list" data-testid="batch-skipped">
                      {skipped.map(([reason, count]) => (
                        <li key={reason}>
                          {t('programDetail.skippedLine', { reason: reasonText(t, reason), count })}
                        </li>
                      ))}
                    </ul>
                  ),
              },
            ]}
          />
        </div>
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('programDetail.batchHelp')}</Typography.Paragraph>
          {refusal ? (
            <Alert
              type="error"
              showIcon
              title={t('grants.refused')}
              description={refusal}
              style={{ marginBottom: 16 }}
              data-testid="batch-refusal"
            />
          ) : null}
          <Form<Values>
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={submit}
            initialValues={{
              // The archive status is left open: households that do not qualify are counted as skipped.
              org: program.org,
              category: only(program.eligibleCategories),
            }}
            data-testid="batch-form"
          >
            <Form.Item name="org" label={t('programDetail.filterOrg')}>
              <OrgSelect allowClear data-testid="batch-org" />
            </Form.Item>
            <Space size="middle" wrap style={{ display: 'flex' }}>
              <Form.Item name="status" label={t('programDetail.filterStatus2')} style={{ width: 180 }}>
                <Select
                  allowClear
                  placeholder={t('programDetail.anyValue')}
                  options={codeOptions(ARCHIVE_STATUSES, lang)}
                  data-testid="batch-status"
                />
              </Form.Item>
              <Form.Item name="category" label={t('programDetail.filterCategory')} style={{ width: 180 }}>
                <Select
                  allowClear
                  placeholder={t('programDetail.anyValue')}
                  popupMatchSelectWidth={false}
                  options={codeOptions(ARCHIVE_CATEGORIES, lang)}
                  data-testid="batch-category"
                />
              </Form.Item>
              <Form.Item name="urgency" label={t('programDetail.filterUrgency')} style={{ width: 120 }}>
                <Select
                  allowClear
                  placeholder={t('programDetail.anyValue')}
                  options={codeOptions(URGENCIES, lang)}
                  data-testid="batch-urgency"
                />
              </Form.Item>
              <Form.Item name="migrant" label={t('programDetail.filterMigrant')} style={{ width: 110 }}>
                <Select
                  allowClear
                  placeholder={t('programDetail.anyValue')}
                  options={[
                    { value: 'true', label: t('common.yes') },
                    { value: 'false', label: t('common.no') },
                  ]}
                  data-testid="batch-migrant"
                />
              </Form.Item>
              <Form.Item name="cause" label={t('programDetail.filterCause')} style={{ width: 180 }}>
                <Select
                  allowClear
                  placeholder={t('programDetail.anyValue')}
                  popupMatchSelectWidth={false}
                  options={codeOptions(HARDSHIP_CAUSES, lang)}
                  data-testid="batch-cause"
                />
              </Form.Item>
            </Space>
            <Space size="middle" wrap style={{ display: 'flex' }} align="start">
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
                  data-testid="batch-amount-input"
                />
              </Form.Item>
              {program.fundSources.length > 1 ? (
                <Form.Item name="fundSource" label={t('grants.fundSource')} style={{ width: 180 }}>
                  <Select<FundSource>
                    placeholder={
                      codeOptions(FUND_SOURCES, lang).find((o) => o.value === program.fundSources[0])?.label
                    }
                    options={codeOptions(FUND_SOURCES, lang).filter((o) =>
                      program.fundSources.includes(o.value as FundSource),
                    )}
                  />
                </Form.Item>
              ) : null}
            </Space>
          </Form>
        </>
      )}
    </Modal>
  );
}
