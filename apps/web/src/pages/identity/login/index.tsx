import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Login } from '@niangjia/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useLogin } from '../../../api/auth';
import { isApiError } from '../../../api/client';
import { LanguageSwitch } from '../../../layout/LanguageSwitch';
import { describeError, RequestIdNote } from '../../../lib/notify';
import { usePageTitle } from '../../../lib/page-title';

interface Values {
  username: string;
  password: string;
}

/** Only same-site paths, never `//host` or absolute URLs. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('login.pageTitle'));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const login = useLogin();
  const [error, setError] = useState<unknown>(null);
  const queryClient = useQueryClient();

  // Arriving here (logout, ended session) forgets the previous user's data; no page uses it any more.
  useEffect(() => queryClient.clear(), [queryClient]);

  const submit = (values: Values) => {
    setError(null);
    const parsed = Login.safeParse(values);
    if (!parsed.success) return;
    login.mutate(parsed.data, {
      onSuccess: () => void navigate(safeNext(params.get('next')), { replace: true }),
      onError: setError,
    });
  };

  let errorTitle: string | null = null;
  let errorDetail: string | undefined;
  let requestId: string | undefined;
  if (error) {
    if (isApiError(error) && error.status === 401) {
      errorTitle = t('login.invalid');
    } else if (isApiError(error) && error.status === 429) {
      const minutes = error.retryAfter ? Math.max(1, Math.ceil(error.retryAfter / 60)) : 15;
      errorTitle = t('login.throttled', { minutes });
    } else {
      const described = describeError(error);
      errorTitle = described.summary;
      errorDetail = described.detail;
    }
    requestId = isApiError(error) ? error.requestId : undefined;
  }

  return (
    <div className="login-page">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <Card className="login-card">
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Typography.Title level={3} style={{ marginBottom: 4 }} data-testid="login-title">
            {t('app.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.footer')}</Typography.Text>
        </div>
        {errorTitle ? (
          <Alert
            type="error"
            showIcon
            title={errorTitle}
            description={
              errorDetail || requestId ? (
                <>
                  {errorDetail ? <div>{errorDetail}</div> : null}
                  <RequestIdNote id={requestId} />
                </>
              ) : undefined
            }
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        ) : null}
        <Form<Values> layout="vertical" onFinish={submit} requiredMark={false} size="large" autoComplete="on">
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              autoCapitalize="none"
              spellCheck={false}
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 0 }}>
            <Button
              type="primary"
              htmlType="submit"
              block
              loading={login.isPending}
              data-testid="login-submit"
            >
              {t('login.submit')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}
