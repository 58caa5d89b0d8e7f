import { RecordVisit } from '@niangjia/contracts';
import { Alert, DatePicker, Form, Input } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { useRecordVisit } from '../../../api/registry';
import { FormModal } from '../../../components/FormModal';
import { DATE_FORMAT, formatDate, todayDate } from '../../../lib/format';
import { isYuanText, yuanTextToFen } from '../../../lib/money';
import { showError, showSuccess } from '../../../lib/notify';
import { handleFormError, zodRule } from '../../../lib/zod-form';

interface Values {
  visitedOn: Dayjs | null;
  findings: string;
  /** The household's income for a month, in all, as found (yuan, typed); optional. */
  monthlyIncome?: string;
}

const FIELDS = ['visitedOn', 'findings', 'monthlyIncome'] as const;

export interface VisitToRecord {
  visitId: string;
  archiveId: string;
  dueOn: string;
  /** Whose household, for the title. */
  headName?: string;
}

interface Props {
  visit: VisitToRecord | null;
  onClose: () => void;
  onDone?: () => void;
}

/** Records a follow-up visit (回访): its date and findings; the server schedules the next one. */
export function RecordVisitModal({ visit, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const record = useRecordVisit();
  const today = todayDate();

  const close = () => {
    form.resetFields();
    onClose();
  };

  const submit = (values: Values) => {
    if (!visit) return;
    const income = values.monthlyIncome?.trim() ? yuanTextToFen(values.monthlyIncome) : undefined;
    if (values.monthlyIncome?.trim() && income === undefined) {
      form.setFields([{ name: 'monthlyIncome', errors: [t('householdForm.moneyInvalid')] }]);
      return;
    }
    const parsed = RecordVisit.safeParse({
      visitedOn: values.visitedOn ? values.visitedOn.format(DATE_FORMAT) : undefined,
      findings: values.findings,
      monthlyIncomeFen: income,
    });
    if (!parsed.success) {
      form.setFields([{ name: 'findings', errors: [t('validation.required')] }]);
      return;
    }
    record.mutate(
      { visitId: visit.visitId, archiveId: visit.archiveId, ...parsed.data },
      {
        onSuccess: ({ nextDueOn }) => {
          showSuccess(
            nextDueOn ? t('visits.recordedNext', { date: formatDate(nextDueOn) }) : t('visits.recorded'),
          );
          form.resetFields();
          onDone?.();
          onClose();
        },
        onError: (error) => {
          if (isApiError(error) && error.fieldProblems.length > 0) {
            handleFormError(form, error, FIELDS);
            return;
          }
          showError(error);
        },
      },
    );
  };

  return (
    <FormModal<Values>
      open={visit !== null}
      title={visit?.headName ? t('visits.recordTitleOf', { name: visit.headName }) : t('visits.recordTitle')}
      form={form}
      onSubmit={submit}
      onClose={close}
      loading={record.isPending}
      okText={t('visits.recordSubmit')}
      initialValues={{ visitedOn: dayjs(today) }}
      testId="record-visit"
    >
      {visit ? (
        <Alert
          type={visit.dueOn < today ? 'error' : 'info'}
          showIcon
          style={{ marginBottom: 16 }}
          title={t('visits.dueOnNote', { date: formatDate(visit.dueOn) })}
        />
      ) : null}
      <Form.Item
        name="visitedOn"
        label={t('visits.visitedOn')}
        required
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <DatePicker
          format={DATE_FORMAT}
          allowClear={false}
          style={{ width: '100%' }}
          disabledDate={(date) => date.format(DATE_FORMAT) > today}
          data-testid="record-visit-date"
        />
      </Form.Item>
      <Form.Item
        name="findings"
        label={t('visits.findings')}
        required
        rules={[zodRule(RecordVisit.shape.findings, 'findings')]}
      >
        <Input.TextArea
          rows={4}
          maxLength={4000}
          showCount
          placeholder={t('visits.findingsPlaceholder')}
          data-testid="record-visit-findings"
        />
      </Form.Item>
      <Form.Item
        name="monthlyIncome"
        label={t('visits.monthlyIncome')}
        extra={t('visits.monthlyIncomeHelp')}
        rules={[
          {
            validator: (_, v?: string) =>
              !v?.trim() || isYuanText(v)
                ? Promise.resolve()
                : Promise.reject(new Error(t('householdForm.moneyInvalid'))),
          },
        ]}
      >
        <Input
          inputMode="decimal"
          suffix={t('householdForm.yuan')}
          placeholder="0.00"
          className="money-input"
          data-testid="record-visit-income"
        />
      </Form.Item>
    </FormModal>
  );
}
