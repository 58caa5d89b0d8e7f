import { EditOutlined } from '@ant-design/icons';
import { EXCLUSIONS, type Exclusion, SetExclusions } from '@niangjia/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { FormModal } from '../../../components/FormModal';
import { usePermissions } from '../../../lib/access';
import { showError, showSuccess } from '../../../lib/notify';
import { useCodeLang } from '../../../lib/registry-labels';

interface Values {
  exclusions: Exclusion[];
  reason: string;
}

/** The exclusions found for a household (a car, two homes…), changed with a reason; the household is then evaluated again. */
export function ExclusionsField({
  householdId,
  exclusions,
}: {
  householdId: string;
  exclusions: Exclusion[];
}) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const { can } = usePermissions();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const save = useMutation({
    mutationFn: (body: SetExclusions) =>
      api.post<{ exclusions: Exclusion[] }>(
        `/api/v1/households/${encodeURIComponent(householdId)}/exclusions`,
        body,
      ),
    meta: { silent: true },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['households'] }),
        queryClient.invalidateQueries({ queryKey: ['evaluations'] }),
      ]),
  });
  const label = (code: Exclusion) => EXCLUSIONS.find((e) => e.code === code)?.[lang] ?? code;
  const submit = (values: Values) => {
    const parsed = SetExclusions.safeParse({ exclusions: values.exclusions ?? [], reason: values.reason });
    if (!parsed.success) {
      form.setFields([{ name: 'reason', errors: [t('validation.required')] }]);
      return;
    }
    save.mutate(parsed.data, {
      onSuccess: () => {
        showSuccess(t('exclusions.saved'));
        setOpen(false);
      },
      onError: (error) => showError(error),
    });
  };
  return (
    <Space wrap size={4} data-testid="household-exclusions">
      <Typography.Text type="secondary">{t('exclusions.label')}</Typography.Text>
      {exclusions.length === 0 ? (
        <Typography.Text>{t('common.none')}</Typography.Text>
      ) : (
        exclusions.map((e) => (
          <Tag key={e} color="volcano">
            {label(e)}
          </Tag>
        ))
      )}
      {can('registry:write') ? (
        <Button
          size="small"
          type="link"
          icon={<EditOutlined />}
          onClick={() => setOpen(true)}
          data-testid="exclusions-edit"
        >
          {t('urgency.edit')}
        </Button>
      ) : null}
      <FormModal<Values>
        open={open}
        title={t('exclusions.title')}
        form={form}
        onSubmit={submit}
        onClose={() => setOpen(false)}
        loading={save.isPending}
        initialValues={{ exclusions }}
        testId="exclusions-form"
      >
        <Form.Item name="exclusions" label={t('exclusions.label')}>
          <Checkbox.Group
            style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
            options={EXCLUSIONS.map((e) => ({ value: e.code, label: e[lang] }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('urgency.reason')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="exclusions-form-reason" />
        </Form.Item>
      </FormModal>
    </Space>
  );
}
