import { Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentMe } from '../../../api/auth';
import { MENU } from '../../../layout/menu';
import { usePermissions } from '../../../lib/access';
import { levelLabel, roleColor, roleLabel } from '../../../lib/labels';
import { usePageTitle } from '../../../lib/page-title';

export default function DashboardPage() {
  const { t } = useTranslation();
  usePageTitle(t('home.pageTitle'));
  const me = useCurrentMe();
  const { can } = usePermissions();
  const shortcuts = MENU.filter(
    (entry) => entry.path !== '/' && (!entry.permission || can(entry.permission)),
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="welcome">
          {t('home.welcome', { name: me.user.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
        <Descriptions
          column={1}
          size="small"
          items={[
            { key: 'username', label: t('home.username'), children: me.user.username },
            {
              key: 'organisation',
              label: t('home.organisation'),
              children: (
                <span data-testid="home-organisation">
                  {me.organisation.name} ({me.organisation.code}) · {levelLabel(t, me.organisation.level)}
                </span>
              ),
            },
            {
              key: 'roles',
              label: t('home.roles'),
              children: (
                <span data-testid="home-roles">
                  {me.roles.map((role) => (
                    <Tag key={role} color={roleColor(role)}>
                      {roleLabel(t, role)}
                    </Tag>
                  ))}
                </span>
              ),
            },
          ]}
        />
      </Card>
      {shortcuts.length > 0 ? (
        <Card title={t('home.shortcuts')}>
          <Row gutter={[16, 16]}>
            {shortcuts.map((entry) => (
              <Col key={entry.key} xs={24} sm={12} md={8} lg={6}>
                <Link to={entry.path}>
                  <Card hoverable size="small">
                    <Space>
                      <span style={{ fontSize: 20 }}>{entry.icon}</span>
                      {t(entry.labelKey)}
                    </Space>
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
        </Card>
      ) : null}
    </Space>
  );
}
