import { ARCHIVE_CATEGORIES } from '@niangjia/contracts';
import { Alert, Card, Progress, Space, Statistic, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useJob } from '../../../api/imports';
import { useCodeLabel } from '../../../lib/registry-labels';

interface Result {
  evaluated: number;
  changed: number;
  skipped: number;
  byCategory: Record<string, number>;
  changes: { householdId: string; headName: string; before: string | null; after: string }[];
  unevaluated: { householdId: string; message: string }[];
}

/**
 * The background re-evaluation a policy change started: its progress, then what changed (issue 4:
 * "re-evaluate every household in scope as background work with progress … and list what changed").
 */
export function ReevaluationCard({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const job = useJob(jobId);
  const outcome = (code: string | null) =>
    code === null
      ? t('policy.notEvaluated')
      : code === 'ineligible'
        ? t('evaluation.ineligible')
        : label(ARCHIVE_CATEGORIES, code);
  const status = job.data?.status;
  const result = status === 'succeeded' ? (job.data?.result as Result) : undefined;
  return (
    <Card
      size="small"
      title={t('policy.reevaluation')}
      style={{ marginBottom: 16 }}
      data-testid="policy-reevaluation"
    >
      {status === 'failed' ? <Alert type="error" showIcon title={job.data?.error ?? ''} /> : null}
      {!result && status !== 'failed' ? (
        <Progress percent={Math.floor((job.data?.progress?.fraction ?? 0) * 100)} status="active" />
      ) : null}
      {result ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space size="large" wrap>
            <Statistic title={t('policy.evaluated')} value={result.evaluated} />
            <Statistic title={t('policy.changed')} value={result.changed} />
            {result.skipped > 0 ? <Statistic title={t('policy.skipped')} value={result.skipped} /> : null}
            {Object.entries(result.byCategory).map(([c, n]) => (
              <Statistic key={c} title={outcome(c)} value={n} />
            ))}
          </Space>
          {result.changes.length > 0 ? (
            <Table
              rowKey="householdId"
              size="small"
              dataSource={result.changes}
              pagination={{ pageSize: 10, showSizeChanger: false }}
              data-testid="policy-reevaluation-changes"
              columns={[
                {
                  title: t('registry.fields.headName'),
                  dataIndex: 'headName',
                  render: (name: string, c) => <Link to={`/households/${c.householdId}`}>{name}</Link>,
                },
                {
                  title: t('policy.before'),
                  dataIndex: 'before',
                  render: (v: string | null) => <Tag>{outcome(v)}</Tag>,
                },
                {
                  title: t('policy.after'),
                  dataIndex: 'after',
                  render: (v: string) => <Tag color="red">{outcome(v)}</Tag>,
                },
              ]}
            />
          ) : null}
        </Space>
      ) : null}
    </Card>
  );
}
