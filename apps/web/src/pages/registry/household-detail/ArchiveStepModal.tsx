import {
  ARCHIVE_ACTIONS,
  type Archive,
  type ArchiveActionCode,
  ArchiveStepInput,
  EXIT_REASONS,
  type ExitReason,
} from '@niangjia/contracts';
import { Alert, DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client';
import { useArchiveStep } from '../../../api/registry';
import { FormModal } from '../../../components/FormModal';
import { DATE_FORMAT, todayDate } from '../../../lib/format';
import { showError, showSuccess } from '../../../lib/notify';
import { actionLabel, codeOptions, statusLabel, useCodeLang } from '../../../lib/registry-labels';
import { handleFormError, zodRule } from '../../../lib/zod-form';

interface StepValues {
  comment: string;
  onDate: Dayjs | null;
  exitReason?: ExitReason;
}

const FIELDS = ['comment', 'onDate', 'exitReason'] as const;

function detailsOf(error: unknown): Record<string, unknown> {
  if (!isApiError(error) || typeof error.details !== 'object' || error.details === null) return {};
  return error.details as Record<string, unknown>;
}

/** Why the server refused the step, in plain words; undefined when the error is not a refusal. */
function useRefusalText() {
  const { t } = useTranslation();
  const lang = useCodeLang();
  return (error: unknown, action: ArchiveActionCode): string | undefined => {
    if (!isApiError(error)) return undefined;
    if (error.status === 403) return t('archiveStep.refusal.forbidden');
    if (error.code !== 'conflict') return undefined;
    const details = detailsOf(error);
    switch (details.code) {
      case 'illegal_transition':
        return t('archiveStep.refusal.illegal_transition', {
          status: statusLabel(String(details.from ?? ''), lang),
          action: actionLabel(action, lang, t('householdDetail.stepSurvey')),
        });
      case 'publicity_not_over':
        return t(
          details.provisional === true
            ? 'archiveStep.refusal.publicity_provisional'
            : 'archiveStep.refusal.publicity_not_over',
          { endsOn: String(details.endsOn ?? '') },
        );
      case 'open_objections':
        return t('archiveStep.refusal.open_objections', { n: Number(details.count ?? 0) });
      case 'exit_reason_required':
        return t('archiveStep.refusal.exit_reason_required');
      case 'person_in_open_household': {
        const people = Array.isArray(details.people) ? (details.people as { name?: string }[]) : [];
        return t('archiveStep.refusal.person_in_open_household', {
          names: people.map((p) => p.name).join(lang === 'zh' ? '、' : ', '),
        });
      }
      case 'not_current_archive':
        return t('archiveStep.refusal.not_current_archive');
      case 'household_has_open_archive':
        return t('archiveStep.refusal.household_has_open_archive');
      case 'head_deceased':
        return t('archiveStep.refusal.head_deceased');
      default:
        return t('archiveStep.refusal.other', { message: error.message });
    }
  };
}

interface Props {
  archive: Archive;
  /** The step to take; null: closed. */
  action: ArchiveActionCode | null;
  onClose: () => void;
  onDone: () => void;
}

/** Takes one step of the archive's life cycle: a comment (required), the date, an exit reason for `exit`. */
export function ArchiveStepModal({ archive, action, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const [form] = Form.useForm<StepValues>();
  const step = useArchiveStep();
  const [refusal, setRefusal] = useState<string | null>(null);
  const refusalText = useRefusalText();
  const today = todayDate();
  const previous = archive.steps[archive.steps.length - 1]?.onDate;
  const label = action ? actionLabel(action, lang, t('householdDetail.stepSurvey')) : '';
  const definition = ARCHIVE_ACTIONS.find((a) => a.code === action);
  const danger = action === 'refuse' || action === 'exit' || action === 'return';

  // The form instance outlives the modal's content: start each step from a clean form (today, no comment).
  const close = () => {
    setRefusal(null);
    form.resetFields();
    onClose();
  };

  const submit = (values: StepValues) => {
    if (!action) return;
    setRefusal(null);
    const parsed = ArchiveStepInput.safeParse({
      action,
      comment: values.comment,
      onDate: values.onDate ? values.onDate.format(DATE_FORMAT) : undefined,
      exitReason: action === 'exit' ? values.exitReason : undefined,
    });
    if (!parsed.success) {
      form.setFields([{ name: 'comment', errors: [t('validation.required')] }]);
      return;
    }
    step.mutate(
      { archiveId: archive.id, ...parsed.data },
      {
        onSuccess: () => {
          showSuccess(t('archiveStep.done', { action: label }));
          setRefusal(null);
          form.resetFields();
          onDone();
        },
        onError: (error) => {
          const text = refusalText(error, action);
          if (text) {
            setRefusal(text);
            return;
          }
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
    <FormModal<StepValues>
      open={action !== null}
      title={label}
      form={form}
      onSubmit={submit}
      onClose={close}
      loading={step.isPending}
      okText={t('archiveStep.submit')}
      initialValues={{ onDate: dayjs(today) }}
      testId="archive-step"
    >
      {refusal ? (
        <Alert
          type="error"
          showIcon
          title={t('archiveStep.refusedTitle')}
          description={refusal}
          style={{ marginBottom: 16 }}
          data-testid="archive-step-refusal"
        />
      ) : null}
      {danger && definition ? (
        <Alert
          type="warning"
          title={`${statusLabel(archive.status, lang)} → ${statusLabel(definition.to, lang)}`}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {action === 'exit' ? (
        <Form.Item
          name="exitReason"
          label={t('archiveStep.exitReason')}
          required
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Select options={codeOptions(EXIT_REASONS, lang)} data-testid="archive-step-exitReason" />
        </Form.Item>
      ) : null}
      <Form.Item
        name="comment"
        label={t('archiveStep.comment')}
        required
        rules={[zodRule(ArchiveStepInput.shape.comment, 'comment')]}
      >
        <Input.TextArea
          rows={3}
          maxLength={1000}
          showCount
          placeholder={t('archiveStep.commentPlaceholder')}
          data-testid="archive-step-comment"
        />
      </Form.Item>
      <Form.Item
        name="onDate"
        label={t('archiveStep.onDate')}
        required
        extra={previous ? t('archiveStep.onDateHint', { date: previous }) : undefined}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <DatePicker
          format={DATE_FORMAT}
          allowClear={false}
          style={{ width: '100%' }}
          disabledDate={(date) => {
            const day = date.format(DATE_FORMAT);
            return day > today || (previous !== undefined && day < previous);
          }}
          data-testid="archive-step-date"
        />
      </Form.Item>
    </FormModal>
  );
}
