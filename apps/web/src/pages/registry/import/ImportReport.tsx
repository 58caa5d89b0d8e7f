import { type ImportProblem, MAX_REPORTED_PROBLEMS, type SurveyImportResult } from '@niangjia/contracts';
import { Alert, Card, Col, Row, Segmented, Statistic, Table, type TableColumnsType, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sheetCounts, sortProblems } from './problems';

const ALL = '';
const RED = { content: { color: '#cf1322' } };
const GREEN = { content: { color: '#389e0d' } };

interface ProblemRow extends ImportProblem {
  key: number;
}

/** Every problem by sheet, row and column, sorted, with a sheet filter and paging. */
function ProblemTable({ problems, testId }: { problems: readonly ImportProblem[]; testId: string }) {
  const { t } = useTranslation();
  const sorted = useMemo(() => sortProblems(problems), [problems]);
  const sheets = useMemo(() => sheetCounts(sorted), [sorted]);
  const [sheet, setSheet] = useState(ALL);
  const rows: ProblemRow[] = useMemo(
    () => sorted.filter((p) => sheet === ALL || p.sheet === sheet).map((p, key) => ({ ...p, key })),
    [sorted, sheet],
  );
  const dash = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const columns: TableColumnsType<ProblemRow> = [
    { title: t('surveyImport.sheet'), dataIndex: 'sheet', width: 110, className: 'nowrap' },
    {
      title: t('surveyImport.row'),
      dataIndex: 'row',
      width: 80,
      align: 'right',
      render: (row: number | undefined) =>
        row === undefined ? (
          <Typography.Text type="secondary">{t('surveyImport.wholeSheet')}</Typography.Text>
        ) : (
          row
        ),
    },
    {
      title: t('surveyImport.column'),
      dataIndex: 'column',
      width: 160,
      className: 'nowrap',
      render: (column: string | undefined) => column ?? dash,
    },
    { title: t('surveyImport.message'), dataIndex: 'message' },
  ];
  return (
    <>
      {sheets.length > 1 ? (
        <Segmented<string>
          style={{ marginBottom: 12 }}
          value={sheet}
          onChange={setSheet}
          data-testid={`${testId}-sheet`}
          options={[
            { value: ALL, label: t('surveyImport.allSheets', { count: sorted.length }) },
            ...sheets.map((s) => ({
              value: s.sheet,
              label: t('surveyImport.sheetCount', { sheet: s.sheet, count: s.count }),
            })),
          ]}
        />
      ) : null}
      <Table<ProblemRow>
        size="small"
        columns={columns}
        dataSource={rows}
        data-testid={testId}
        rowClassName={() => `${testId}-row`}
        pagination={{
          defaultPageSize: 20,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          hideOnSinglePage: true,
          showTotal: (total) => t('common.total', { total }),
        }}
      />
    </>
  );
}

interface Props {
  result: SurveyImportResult;
  /** What the counts mean: what a preview would do, or what the import did. */
  mode: 'preview' | 'import';
  /** A message above the problems (what the user can do now). */
  headline?: ReactNode;
}

/** What an import would do or did: the counts by sheet, then every problem, then the warnings apart. */
export function ImportReport({ result, mode, headline }: Props) {
  const { t } = useTranslation();
  const preview = mode === 'preview';
  const errorCount = result.errors.length + result.errorsNotListed;
  const stat = (title: string, value: number, testId: string, styles?: typeof RED, span = 8) => (
    <Col xs={12} sm={span}>
      <Statistic
        title={title}
        value={value}
        data-testid={testId}
        {...(styles && value > 0 ? { styles } : {})}
      />
    </Col>
  );

  return (
    <div className="import-report" data-testid={`import-${mode}-report`}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('surveyImport.households')}>
            <Row gutter={16}>
              {stat(
                t(preview ? 'surveyImport.wouldImport' : 'surveyImport.imported'),
                result.households.imported,
                'import-households-imported',
                GREEN,
              )}
              {stat(
                t(preview ? 'surveyImport.wouldUpdate' : 'surveyImport.updated'),
                result.households.updated,
                'import-households-updated',
              )}
              {stat(
                t(preview ? 'surveyImport.wouldReject' : 'surveyImport.rejected'),
                result.households.rejected,
                'import-households-rejected',
                RED,
              )}
            </Row>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('surveyImport.members')}>
            <Row gutter={16}>
              {stat(
                t(preview ? 'surveyImport.wouldImport' : 'surveyImport.imported'),
                result.members.imported,
                'import-members-imported',
                GREEN,
                12,
              )}
              {stat(
                t(preview ? 'surveyImport.wouldReject' : 'surveyImport.rejected'),
                result.members.rejected,
                'import-members-rejected',
                RED,
                12,
              )}
            </Row>
          </Card>
        </Col>
      </Row>
      {headline ? <div style={{ marginTop: 16 }}>{headline}</div> : null}
      {errorCount > 0 ? (
        <Card
          size="small"
          style={{ marginTop: 16 }}
          title={t('surveyImport.problemsTitle', { n: errorCount.toLocaleString('en') })}
        >
          {result.errorsNotListed > 0 ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="import-not-listed"
              title={t('surveyImport.notListed', {
                n: result.errorsNotListed.toLocaleString('en'),
                listed: MAX_REPORTED_PROBLEMS.toLocaleString('en'),
              })}
            />
          ) : null}
          <ProblemTable problems={result.errors} testId="import-problems" />
        </Card>
      ) : null}
      {result.warnings.length > 0 ? (
        <Card
          size="small"
          style={{ marginTop: 16 }}
          title={t('surveyImport.warningsTitle', { n: result.warnings.length.toLocaleString('en') })}
        >
          <ProblemTable problems={result.warnings} testId="import-warnings" />
        </Card>
      ) : null}
    </div>
  );
}
