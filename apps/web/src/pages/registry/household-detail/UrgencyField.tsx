import { EditOutlined } from '@ant-design/icons';
import { type Archive, SetUrgency, URGENCIES, URGENCY_REASONS } from '@niangjia/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { FormModal } from '../../../components/FormModal';
import { usePermissions } from '../../../lib/access';
import { showError, showSuccess } from '../../../lib/notify';
import { URGENCY_COLORS, useCodeLabel } from '../../../lib/registry-labels';

interface Values {
  urgency: SetUrgency['urgency'];
  reason: string;
}

/**
 * The archive's urgency with why: the rule that gave it, or the caseworker's words when set by
 * hand; whoever may change the registry sets it with a reason, or gives it back to the rules.
 */
export function UrgencyField({ archive }: { archive: Archive }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const { can } = usePermissions();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const save = useMutation({
    mutationFn: (body: SetUrgency) =>
      api.post(`/api/v1/archives/${encodeURIComponent(archive.id)}/urgency`, body),
    meta: { silent: true },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['households'] }),
        queryClient.invalidateQueries({ queryKey: ['evaluations'] }),
      ]),
  });
  const closed = archive.status === 'exited' || archive.status === 'refused';
  const why = archive.urgencyManual
    ? t('urgency.manual', { reason: archive.urgencyReason ?? '' })
    : archive.urgencyReason
      ? label(URGENCY_REASONS, archive.urgencyReason)
      : null;
  const submit = (values: Values) => {
    const parsed = SetUrgency.safeParse(values);
    if (!parsed.success) {
      form.setFields([{ name: 'reason', errors: [t('validation.required')] }]);
      return;
    }
    save.mutate(parsed.data, {
      onSuccess: () => {
        showSuccess(t('urgency.saved'));
        setOpen(false);
      },
      onError: (error) => showError(error),
    });
  };
  return (
    <Space wrap size={4}>
      <Tag color={URGENCY_COLORS[archive.urgency]} data-testid="archive-urgency">
        {label(URGENCIES, archive.urgency)}
      </Tag>
      {why ? (
        <Typography.Text type="secondary" data-testid="archive-urgency-reason">
          {why}
        </Typography.Text>
      ) : null}
      {can('registry:write') && !closed ? (
        <Button
          size="small"
          type="link"
          icon={<EditOutlined />}
          onClick={() => setOpen(true)}
          data-testid="urgency-edit"
        >
          {t('urgency.edit')}
        </Button>
      ) : null}
      <FormModal<Values>
        open={open}
        title={t('urgency.title')}
        form={form}
        onSubmit={submit}
        onClose={() => setOpen(false)}
        loading={save.isPending}
        initialValues={{ urgency: archive.urgency }}
        testId="urgency-form"
      >
        <Form.Item name="urgency" label={t('registry.fields.urgency')} rules={[{ required: true }]}>
          <Select
            options={[
              ...URGENCIES.map((u) => ({ value: u.code, label: label(URGENCIES, u.code) })),
              { value: 'derived', label: t('urgency.derived') },
            ]}
            data-testid="urgency-form-urgency"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('urgency.reason')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="urgency-form-reason" />
        </Form.Item>
      </FormModal>
    </Space>
  );
}
