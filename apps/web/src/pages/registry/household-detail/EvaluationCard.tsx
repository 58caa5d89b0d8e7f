import { CalculatorOutlined } from '@ant-design/icons';
import { ARCHIVE_CATEGORIES, type Exclusion, type HouseholdEvaluation, RULE_SETS } from '@niangjia/contracts';
import { Alert, Button, Card, Collapse, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useEvaluate, useEvaluations } from '../../../api/policy';
import { usePermissions } from '../../../lib/access';
import { formatDate } from '../../../lib/format';
import { showError, showSuccess } from '../../../lib/notify';
import { useCodeLabel, useCodeLang } from '../../../lib/registry-labels';
import { ExclusionsField } from './ExclusionsField';

/** The colour of a decision: deep and accident hardship red, relative orange, legacy blue, none grey. */
function outcomeColor(e: HouseholdEvaluation['evaluation']): string {
  if (!e.eligible) return 'default';
  if (e.category === 'relative') return 'orange';
  if (e.category === 'deep' || e.category === 'accident') return 'red';
  return 'blue';
}

/**
 * The household's identification under the policy in force (issue 4): the newest decision in one
 * sentence, its basis line by line (figures, parameters with their source, each test), earlier
 * decisions, and for whoever may change the registry, a new evaluation now.
 */
export function EvaluationCard({
  householdId,
  exclusions,
}: {
  householdId: string;
  exclusions: Exclusion[];
}) {
  const { t } = useTranslation();
  const lang = useCodeLang();
  const label = useCodeLabel();
  const { can } = usePermissions();
  const query = useEvaluations(householdId);
  const evaluate = useEvaluate();
  const [latest, ...earlier] = query.data ?? [];

  const outcome = (e: HouseholdEvaluation['evaluation']) =>
    e.category ? label(ARCHIVE_CATEGORIES, e.category) : t('evaluation.ineligible');
  const ruleSet = (code: string) => RULE_SETS.find((r) => r.code === code)?.[lang] ?? code;

  const run = () =>
    evaluate.mutate(
      { householdId },
      {
        onSuccess: (r) =>
          showSuccess(
            r.changed
              ? t('evaluation.doneChanged', { outcome: outcome(r.evaluation) })
              : t('evaluation.doneSame'),
          ),
        onError: (error) => showError(error),
      },
    );

  return (
    <Card
      title={t('evaluation.title')}
      size="small"
      data-testid="evaluation"
      loading={query.isPending}
      extra={
        can('registry:write') ? (
          <Button
            size="small"
            icon={<CalculatorOutlined />}
            onClick={run}
            loading={evaluate.isPending}
            data-testid="evaluate"
          >
            {t('evaluation.evaluate')}
          </Button>
        ) : null
      }
    >
      <div style={{ marginBottom: 12 }}>
        <ExclusionsField householdId={householdId} exclusions={exclusions} />
      </div>
      {!latest ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('evaluation.none')} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Tag color={outcomeColor(latest.evaluation)} data-testid="evaluation-outcome">
              {outcome(latest.evaluation)}
            </Tag>
            <Typography.Text type="secondary">
              {t('evaluation.meta', {
                date: formatDate(latest.asOf),
                ruleSet: ruleSet(latest.evaluation.ruleSet),
                reason: t(`evaluation.reasons.${latest.reason}`),
              })}
            </Typography.Text>
          </Space>
          <Alert
            type={latest.evaluation.eligible ? 'success' : 'info'}
            showIcon
            title={latest.explanation[lang].summary}
            data-testid="evaluation-summary"
          />
          <Collapse
            size="small"
            items={[
              {
                key: 'basis',
                label: t('evaluation.basis'),
                children: (
                  <List
                    size="small"
                    dataSource={latest.explanation[lang].lines}
                    renderItem={(line) => <List.Item data-testid="evaluation-line">{line}</List.Item>}
                  />
                ),
              },
              ...(earlier.length > 0
                ? [
                    {
                      key: 'earlier',
                      label: t('evaluation.earlier', { count: earlier.length }),
                      children: (
                        <List
                          size="small"
                          dataSource={earlier}
                          renderItem={(e) => (
                            <List.Item>
                              <Space wrap>
                                <span className="mono">{formatDate(e.asOf)}</span>
                                <Tag color={outcomeColor(e.evaluation)}>{outcome(e.evaluation)}</Tag>
                                <Typography.Text type="secondary">
                                  {ruleSet(e.evaluation.ruleSet)} · {t(`evaluation.reasons.${e.reason}`)}
                                </Typography.Text>
                              </Space>
                            </List.Item>
                          )}
                        />
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
