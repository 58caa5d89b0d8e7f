import { EditOutlined, KeyOutlined, PlusOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { ROLE_NAMES, type Role, type User } from '@niangjia/contracts';
import {
  Button,
  Card,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentMe } from '../../../api/auth';
import { type UserListParams, useSetUserActive, useUsers } from '../../../api/users';
import { OrgCodeInput } from '../../../components/OrgCodeInput';
import { usePermissions } from '../../../lib/access';
import { formatDateTime } from '../../../lib/format';
import { roleColor, roleLabel } from '../../../lib/labels';
import { showError, showSuccess } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';
import { ResetPasswordModal, UserFormDrawer, type UserFormTarget } from './UserForms';

const PAGE_SIZES = [10, 20, 50, 100];

interface FilterValues {
  org?: string;
  q?: string;
  role?: Role;
  active?: 'true' | 'false';
}

function isRole(value: string | null): value is Role {
  return value !== null && (ROLE_NAMES as readonly string[]).includes(value);
}

/** The list's query, kept in the address so a filtered page can be reloaded or shared. */
function paramsFrom(search: URLSearchParams): UserListParams {
  const page = Number(search.get('page'));
  const pageSize = Number(search.get('pageSize'));
  const active = search.get('active');
  const role = search.get('role');
  return {
    org: search.get('org') || undefined,
    q: search.get('q') || undefined,
    role: isRole(role) ? role : undefined,
    active: active === 'true' ? true : active === 'false' ? false : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : 20,
  };
}

function toSearch(params: UserListParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (params.org) out.org = params.org;
  if (params.q) out.q = params.q;
  if (params.role) out.role = params.role;
  if (params.active !== undefined) out.active = String(params.active);
  if (params.page !== 1) out.page = String(params.page);
  if (params.pageSize !== 20) out.pageSize = String(params.pageSize);
  return out;
}

export default function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t('users.pageTitle'));
  const me = useCurrentMe();
  const { can } = usePermissions();
  const canWrite = can('user:write');
  const [search, setSearch] = useSearchParams();
  const params = paramsFrom(search);
  const list = useUsers(params);
  const setActive = useSetUserActive();
  const [filterForm] = Form.useForm<FilterValues>();
  const [formTarget, setFormTarget] = useState<UserFormTarget | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  // Keep the filter form in step with the address (back/forward, links from the organisation page).
  useEffect(() => {
    filterForm.setFieldsValue({
      org: params.org ?? '',
      q: params.q ?? '',
      role: params.role,
      active: params.active === undefined ? undefined : params.active ? 'true' : 'false',
    });
  }, [filterForm, params.org, params.q, params.role, params.active]);

  const update = (next: Partial<UserListParams>) => setSearch(toSearch({ ...params, ...next }));

  const applyFilters = (values: FilterValues) =>
    update({
      org: values.org?.trim() || undefined,
      q: values.q?.trim().slice(0, 50) || undefined,
      role: values.role,
      active: values.active === undefined ? undefined : values.active === 'true',
      page: 1,
    });

  const toggleActive = (user: User) => {
    const active = !user.active;
    setActive.mutate(
      { id: user.id, active },
      {
        onSuccess: () =>
          showSuccess(t(active ? 'users.activated' : 'users.deactivated', { name: user.displayName })),
        onError: (error) => showError(error),
      },
    );
  };

  const columns: TableColumnsType<User> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      render: (username: string, user) => (
        <span className="mono">
          {username}
          {user.id === me.user.id ? (
            <Typography.Text type="secondary">{t('users.self')}</Typography.Text>
          ) : null}
        </span>
      ),
    },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    {
      title: t('users.organisation'),
      dataIndex: 'orgName',
      render: (_: string, user) => (
        <span>
          {user.orgName}{' '}
          <Typography.Text type="secondary" className="mono">
            {user.orgCode}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      render: (roles: string[]) => (
        <Space size={[0, 4]} wrap>
          {roles.map((role) => (
            <Tag key={role} color={roleColor(role)}>
              {roleLabel(t, role)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('users.status'),
      dataIndex: 'active',
      render: (active: boolean, user) => (
        <Space size={[0, 4]} wrap>
          {active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
          {user.mustChangePassword ? <Tag color="warning">{t('users.mustChange')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      render: (value: string | null) =>
        value ? (
          formatDateTime(value)
        ) : (
          <Typography.Text type="secondary">{t('users.neverLoggedIn')}</Typography.Text>
        ),
    },
  ];

  if (canWrite) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, user) => {
        const self = user.id === me.user.id;
        return (
          <Space size={0} wrap>
            <Button
              type="link"
              size="small"
              icon={<EditOutlined />}
              onClick={() => setFormTarget({ mode: 'edit', user })}
              data-testid={`user-edit-${user.username}`}
            >
              {t('common.edit')}
            </Button>
            <Button
              type="link"
              size="small"
              icon={<KeyOutlined />}
              onClick={() => setResetting(user)}
              data-testid={`user-reset-password-${user.username}`}
            >
              {t('users.resetPassword')}
            </Button>
            {self ? null : (
              <Popconfirm
                key={user.active ? 'deactivate' : 'activate'}
                title={t(user.active ? 'users.confirmDeactivate' : 'users.confirmActivate', {
                  name: user.displayName,
                })}
                onConfirm={() => toggleActive(user)}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: user.active }}
              >
                {user.active ? (
                  <Button
                    type="link"
                    size="small"
                    danger
                    icon={<StopOutlined />}
                    data-testid={`user-deactivate-${user.username}`}
                  >
                    {t('common.deactivate')}
                  </Button>
                ) : (
                  <Button
                    type="link"
                    size="small"
                    icon={<UndoOutlined />}
                    data-testid={`user-activate-${user.username}`}
                  >
                    {t('common.activate')}
                  </Button>
                )}
              </Popconfirm>
            )}
          </Space>
        );
      },
    });
  }

  return (
    <>
      <div className="page-header">
        <Typography.Title level={4}>{t('users.pageTitle')}</Typography.Title>
        {canWrite ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setFormTarget({ mode: 'create', orgCode: params.org })}
            data-testid="user-create"
          >
            {t('users.create')}
          </Button>
        ) : null}
      </div>
      <Card>
        <Form<FilterValues>
          form={filterForm}
          layout="inline"
          onFinish={applyFilters}
          style={{ marginBottom: 16, rowGap: 12 }}
          data-testid="user-filters"
        >
          <Form.Item name="org">
            <OrgCodeInput
              allowClear
              placeholder={t('users.filterOrg')}
              style={{ width: 200 }}
              data-testid="user-filter-org"
            />
          </Form.Item>
          <Form.Item name="q">
            <Input
              allowClear
              placeholder={t('users.filterText')}
              style={{ width: 180 }}
              data-testid="user-filter-q"
            />
          </Form.Item>
          <Form.Item name="role">
            <Select<Role>
              allowClear
              placeholder={t('users.filterRole')}
              style={{ width: 160 }}
              data-testid="user-filter-role"
              options={ROLE_NAMES.map((role) => ({ value: role, label: roleLabel(t, role) }))}
            />
          </Form.Item>
          <Form.Item name="active">
            <Select<'true' | 'false'>
              allowClear
              placeholder={t('users.filterStatus')}
              style={{ width: 120 }}
              data-testid="user-filter-active"
              options={[
                { value: 'true', label: t('common.active') },
                { value: 'false', label: t('common.inactive') },
              ]}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="user-filter-submit">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  filterForm.resetFields();
                  setSearch({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <Table<User>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          data-testid="user-table"
          pagination={{
            current: params.page,
            pageSize: params.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (total) => t('common.total', { total }),
            onChange: (page, pageSize) => update({ page: pageSize !== params.pageSize ? 1 : page, pageSize }),
          }}
        />
      </Card>
      <UserFormDrawer target={formTarget} onClose={() => setFormTarget(null)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
