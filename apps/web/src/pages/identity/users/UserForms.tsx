import { CreateUser, ResetPassword, ROLE_NAMES, type Role, UpdateUser, type User } from '@niangjia/contracts';
import { Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useCreateUser, useResetUserPassword, useUpdateUser } from '../../../api/users';
import { FormModal } from '../../../components/FormModal';
import { OrgCodeInput } from '../../../components/OrgCodeInput';
import { roleLabel } from '../../../lib/labels';
import { showSuccess } from '../../../lib/notify';
import { handleFormError, parseForm, zodRule } from '../../../lib/zod-form';

interface UserValues {
  username: string;
  displayName: string;
  orgCode: string;
  roles: Role[];
  password: string;
}

const FIELDS = ['username', 'displayName', 'orgCode', 'roles', 'password'] as const;

export type UserFormTarget = { mode: 'create'; orgCode?: string | undefined } | { mode: 'edit'; user: User };

/** The drawer to create a user or edit one (display name, organisation, roles). */
export function UserFormDrawer({ target, onClose }: { target: UserFormTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UserValues>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const editing = target?.mode === 'edit' ? target.user : null;
  const pending = create.isPending || update.isPending;

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    if (target.mode === 'edit') {
      const { username, displayName, orgCode, roles } = target.user;
      form.setFieldsValue({ username, displayName, orgCode, roles });
    } else if (target.orgCode) {
      form.setFieldsValue({ orgCode: target.orgCode });
    }
  }, [target, form]);

  const submit = (values: UserValues) => {
    if (editing) {
      const body = parseForm(form, UpdateUser, {
        displayName: values.displayName,
        orgCode: values.orgCode,
        roles: values.roles,
      });
      if (!body) return;
      update.mutate(
        { id: editing.id, ...body },
        {
          onSuccess: () => {
            showSuccess(t('users.updated'));
            onClose();
          },
          onError: (error) => handleFormError(form, error, FIELDS),
        },
      );
      return;
    }
    const body = parseForm(form, CreateUser, values);
    if (!body) return;
    create.mutate(body, {
      onSuccess: (user) => {
        showSuccess(t('users.created', { name: user.displayName }));
        onClose();
      },
      onError: (error) =>
        handleFormError(form, error, FIELDS, {
          conflictField: 'username',
          conflictMessage: t('users.usernameTaken'),
        }),
    });
  };

  return (
    <Drawer
      open={Boolean(target)}
      title={editing ? t('users.editTitle', { name: editing.displayName }) : t('users.createTitle')}
      size={480}
      onClose={onClose}
      forceRender
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={pending}
            onClick={() => form.submit()}
            data-testid="user-form-submit"
          >
            {editing ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form<UserValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        data-testid="user-form"
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={editing ? [] : [zodRule(CreateUser.shape.username, 'username')]}
        >
          <Input
            disabled={Boolean(editing)}
            className="mono"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            data-testid="user-form-username"
          />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[zodRule(CreateUser.shape.displayName, 'displayName')]}
        >
          <Input autoComplete="off" data-testid="user-form-displayName" />
        </Form.Item>
        <Form.Item
          name="orgCode"
          label={t('users.organisation')}
          rules={[zodRule(CreateUser.shape.orgCode, 'orgCode')]}
        >
          <OrgCodeInput showName data-testid="user-form-orgCode" />
        </Form.Item>
        <Form.Item name="roles" label={t('users.roles')} rules={[zodRule(CreateUser.shape.roles, 'roles')]}>
          <Select<Role[]>
            mode="multiple"
            allowClear
            data-testid="user-form-roles"
            optionFilterProp="label"
            options={ROLE_NAMES.map((role) => ({ value: role, label: roleLabel(t, role) }))}
          />
        </Form.Item>
        {editing ? null : (
          <Form.Item
            name="password"
            label={t('users.password')}
            extra={t('users.passwordHint')}
            rules={[zodRule(CreateUser.shape.password, 'password')]}
          >
            <Input.Password autoComplete="new-password" data-testid="user-form-password" />
          </Form.Item>
        )}
        <button type="submit" hidden aria-hidden tabIndex={-1} />
      </Form>
    </Drawer>
  );
}

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useResetUserPassword();

  const submit = (values: { password: string }) => {
    if (!user) return;
    const body = parseForm(form, ResetPassword, values);
    if (!body) return;
    reset.mutate(
      { id: user.id, password: body.password },
      {
        onSuccess: () => {
          showSuccess(t('users.passwordReset'));
          onClose();
        },
        onError: (error) => handleFormError(form, error, ['password']),
      },
    );
  };

  return (
    <FormModal<{ password: string }>
      open={Boolean(user)}
      title={user ? t('users.resetPasswordTitle', { name: user.displayName }) : ''}
      form={form}
      onSubmit={submit}
      onClose={onClose}
      loading={reset.isPending}
      testId="reset-password-form"
    >
      <Form.Item
        name="password"
        label={t('users.newPassword')}
        extra={t('users.resetPasswordHint')}
        rules={[zodRule(ResetPassword.shape.password, 'password')]}
      >
        <Input.Password autoComplete="new-password" data-testid="reset-password-input" />
      </Form.Item>
    </FormModal>
  );
}
