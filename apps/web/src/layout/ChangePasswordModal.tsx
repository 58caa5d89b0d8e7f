import { ChangePassword } from '@niangjia/contracts';
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useChangePassword } from '../api/auth';
import { isApiError } from '../api/client';
import { showSuccess } from '../lib/notify';
import { handleFormError, parseForm, zodRule } from '../lib/zod-form';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

interface Props {
  open: boolean;
  /** Must change now (initial or reset password): the modal cannot be dismissed, only logged out of. */
  forced: boolean;
  onClose: () => void;
  onLogout: () => void;
}

export function ChangePasswordModal({ open, forced, onClose, onLogout }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();

  const submit = (values: Values) => {
    const body = parseForm(form, ChangePassword, {
      currentPassword: values.currentPassword,
      newPassword: values.newPassword,
    });
    if (!body) return;
    change.mutate(body, {
      onSuccess: () => {
        showSuccess(t('password.changed'));
        form.resetFields();
        onClose();
      },
      onError: (error) => {
        // A wrong current password is a validation error that may name no field.
        if (
          isApiError(error) &&
          error.code === 'validation_failed' &&
          !error.fieldProblems.some((p) => p.path.includes('newPassword'))
        ) {
          form.setFields([{ name: 'currentPassword', errors: [t('password.currentWrong')] }]);
          return;
        }
        handleFormError(form, error, ['currentPassword', 'newPassword']);
      },
    });
  };

  const cancel = () => {
    form.resetFields();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('password.title')}
      closable={!forced}
      keyboard={!forced}
      mask={{ closable: !forced }}
      onCancel={forced ? undefined : cancel}
      destroyOnHidden
      forceRender
      footer={[
        forced ? (
          <Button key="logout" onClick={onLogout} data-testid="password-logout">
            {t('header.logout')}
          </Button>
        ) : (
          <Button key="cancel" onClick={cancel}>
            {t('common.cancel')}
          </Button>
        ),
        <Button
          key="submit"
          type="primary"
          loading={change.isPending}
          onClick={() => form.submit()}
          data-testid="password-submit"
        >
          {t('common.save')}
        </Button>,
      ]}
    >
      {forced ? (
        <Alert type="warning" showIcon title={t('password.forced')} style={{ marginBottom: 16 }} />
      ) : null}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="password-form">
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.hint')}
          dependencies={['currentPassword']}
          rules={[
            zodRule(ChangePassword.shape.newPassword, 'newPassword'),
            ({ getFieldValue }) => ({
              validator: async (_rule, value: unknown) => {
                if (value && value === getFieldValue('currentPassword'))
                  throw new Error(t('password.sameAsCurrent'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_rule, value: unknown) => {
                if (value !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Modal>
  );
}
