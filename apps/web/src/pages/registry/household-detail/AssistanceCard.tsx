import { AID_TYPES, type HouseholdAssistance } from '@niangjia/contracts';
import { Card, Empty, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useHouseholdAssistance } from '../../../api/grants';
import { todayDate } from '../../../lib/format';
import { formatYuan } from '../../../lib/money';
import { useCodeLabel } from '../../../lib/registry-labels';

type Row = HouseholdAssistance['byType'][number];

/**
 * 本年帮扶: what the household was granted and paid this year per type of aid, against the caps
 * that apply to a household (living and emergency aid per year, medical aid in all years), each
 * cap with its reasoning.
 */
export function AssistanceCard({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const label = useCodeLabel();
  const year = Number(todayDate().slice(0, 4));
  const query = useHouseholdAssistance(householdId, year);
  const rows = query.data?.byType ?? [];
  const money = (fen: number) => <span className="money">{formatYuan(fen)}</span>;
  return (
    <Card title={t('householdAid.title', { year })} size="small" data-testid="household-assistance">
      <Table<Row>
        rowKey="aidType"
        size="small"
        pagination={false}
        loading={query.isFetching}
        dataSource={rows}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('householdAid.empty')} />,
        }}
        columns={[
          {
            title: t('householdAid.type'),
            dataIndex: 'aidType',
            render: (code: string) => label(AID_TYPES, code),
          },
          { title: t('householdAid.granted'), dataIndex: 'grantedFen', align: 'right', render: money },
          { title: t('householdAid.paid'), dataIndex: 'paidFen', align: 'right', render: money },
          {
            title: t('householdAid.cap'),
            dataIndex: 'capFen',
            align: 'right',
            render: (cap: number | null, row) => (
              <div data-testid="household-assistance-cap">
                {cap === null ? (
                  <Typography.Text type="secondary">{t('householdAid.noCap')}</Typography.Text>
                ) : (
                  <span className="money">{formatYuan(cap)}</span>
                )}
                {row.capBasis ? (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {row.capBasis}
                    </Typography.Text>
                  </div>
                ) : null}
              </div>
            ),
          },
        ]}
      />
    </Card>
  );
}
