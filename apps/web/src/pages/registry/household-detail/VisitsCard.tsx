import type { Archive, Visit } from '@niangjia/contracts';
import { Button, Card, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useVisits } from '../../../api/registry';
import { usePermissions } from '../../../lib/access';
import { formatDate, todayDate } from '../../../lib/format';
import { RecordVisitModal, type VisitToRecord } from '../due/RecordVisitModal';
import { daysFrom } from './shared';
import '../due/due.css';

/** The archive's follow-up visits (回访): the one due (red when overdue), then those made with findings. */
export function VisitsCard({ archive, headName }: { archive: Archive; headName: string }) {
  const { t } = useTranslation();
  const { can } = usePermissions();
  const query = useVisits(archive.id);
  const [recording, setRecording] = useState<VisitToRecord | null>(null);
  const today = todayDate();
  const visits = query.data ?? [];
  if (visits.length === 0) return null;
  return (
    <Card title={t('visits.title')} size="small" data-testid="visits">
      <Table<Visit>
        rowKey="id"
        size="small"
        pagination={{ pageSize: 5, hideOnSinglePage: true, showSizeChanger: false }}
        dataSource={visits}
        rowClassName={(v) => (v.overdue ? 'due-overdue' : '')}
        columns={[
          {
            title: t('visits.dueOn'),
            dataIndex: 'dueOn',
            className: 'nowrap',
            render: (dueOn: string, v) => (
              <div>
                <span className="mono">{formatDate(dueOn)}</span>
                {v.visitedOn ? null : v.overdue ? (
                  <div>
                    <Tag color="red">{t('due.overdueDays', { count: daysFrom(dueOn, today) })}</Tag>
                  </div>
                ) : archive.status === 'archived' ? (
                  <div>
                    <Tag color="blue">{t('visits.pending')}</Tag>
                  </div>
                ) : null}
              </div>
            ),
          },
          {
            title: t('visits.visitedOn'),
            key: 'visited',
            render: (_: unknown, v) =>
              v.visitedOn ? (
                <div data-testid="visit-made">
                  <div>
                    <span className="mono">{formatDate(v.visitedOn)}</span>{' '}
                    {v.caseworker ? (
                      <Typography.Text type="secondary" className="mono">
                        {v.caseworker}
                      </Typography.Text>
                    ) : null}
                  </div>
                  {v.findings ? <div className="archive-step-comment">{v.findings}</div> : null}
                </div>
              ) : archive.status === 'archived' && can('registry:write') ? (
                <Button
                  size="small"
                  type={v.overdue ? 'primary' : 'default'}
                  onClick={() =>
                    setRecording({ visitId: v.id, archiveId: archive.id, dueOn: v.dueOn, headName })
                  }
                  data-testid="visit-record"
                >
                  {t('visits.record')}
                </Button>
              ) : (
                <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
              ),
          },
        ]}
      />
      <RecordVisitModal visit={recording} onClose={() => setRecording(null)} />
    </Card>
  );
}
