import { type ImportProblem, MAX_REPORTED_PROBLEMS } from '@niangjia/contracts';
import { Alert, Card, Segmented, Statistic, Table, type TableColumnsType, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sheetCounts, sortProblems } from './problems';

const ALL = '';
const TONES = {
  good: { content: { color: '#389e0d' } },
  bad: { content: { color: '#cf1322' } },
} as const;

/** One count of an import's report; green or red (by `tone`) only when it is not zero. */
export function CountStat({
  title,
  value,
  testId,
  tone,
}: {
  title: string;
  value: number;
  testId: string;
  tone?: keyof typeof TONES;
}) {
  return (
    <Statistic
      title={title}
      value={value}
      data-testid={testId}
      {...(tone && value > 0 ? { styles: TONES[tone] } : {})}
    />
  );
}

interface ProblemRow extends ImportProblem {
  key: number;
}

/** Every problem by sheet, row and column, sorted, with a sheet filter and paging. */
function ProblemTable({
  problems,
  sheetOrder,
  testId,
}: {
  problems: readonly ImportProblem[];
  sheetOrder: readonly string[];
  testId: string;
}) {
  const { t } = useTranslation();
  const sorted = useMemo(() => sortProblems(problems, sheetOrder), [problems, sheetOrder]);
  const sheets = useMemo(() => sheetCounts(sorted), [sorted]);
  const [sheet, setSheet] = useState(ALL);
  const rows: ProblemRow[] = useMemo(
    () => sorted.filter((p) => sheet === ALL || p.sheet === sheet).map((p, key) => ({ ...p, key })),
    [sorted, sheet],
  );
  const dash = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const columns: TableColumnsType<ProblemRow> = [
    { title: t('importFlow.sheet'), dataIndex: 'sheet', width: 110, className: 'nowrap' },
    {
      title: t('importFlow.row'),
      dataIndex: 'row',
      width: 80,
      align: 'right',
      render: (row: number | undefined) =>
        row === undefined ? (
          <Typography.Text type="secondary">{t('importFlow.wholeSheet')}</Typography.Text>
        ) : (
          row
        ),
    },
    {
      title: t('importFlow.column'),
      dataIndex: 'column',
      width: 160,
      className: 'nowrap',
      render: (column: string | undefined) => column ?? dash,
    },
    { title: t('importFlow.message'), dataIndex: 'message' },
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
            { value: ALL, label: t('importFlow.allSheets', { count: sorted.length }) },
            ...sheets.map((s) => ({
              value: s.sheet,
              label: t('importFlow.sheetCount', { sheet: s.sheet, count: s.count }),
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

/** What every import job reports besides its counts. */
export interface ImportProblems {
  errors: readonly ImportProblem[];
  warnings: readonly ImportProblem[];
  /** Problems beyond the first MAX_REPORTED_PROBLEMS, counted but not listed. */
  errorsNotListed: number;
}

interface Props {
  result: ImportProblems;
  /** What the counts mean: what a preview would do, or what the import did. */
  mode: 'preview' | 'import';
  /** The counts of the workbook's kind (cards of CountStat). */
  counts: ReactNode;
  /** A message above the problems (what the user can do now). */
  headline?: ReactNode;
  /** The workbook's sheets in the template's order, for sorting the problems. */
  sheetOrder?: readonly string[];
}

/** What an import would do or did: the counts, then every problem, then the warnings apart. */
export function ImportReport({ result, mode, counts, headline, sheetOrder = [] }: Props) {
  const { t } = useTranslation();
  const errorCount = result.errors.length + result.errorsNotListed;
  return (
    <div className="import-report" data-testid={`import-${mode}-report`}>
      {counts}
      {headline ? <div style={{ marginTop: 16 }}>{headline}</div> : null}
      {errorCount > 0 ? (
        <Card
          size="small"
          style={{ marginTop: 16 }}
          title={t('importFlow.problemsTitle', { n: errorCount.toLocaleString('en') })}
        >
          {result.errorsNotListed > 0 ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="import-not-listed"
              title={t('importFlow.notListed', {
                n: result.errorsNotListed.toLocaleString('en'),
                listed: MAX_REPORTED_PROBLEMS.toLocaleString('en'),
              })}
            />
          ) : null}
          <ProblemTable problems={result.errors} sheetOrder={sheetOrder} testId="import-problems" />
        </Card>
      ) : null}
      {result.warnings.length > 0 ? (
        <Card
          size="small"
          style={{ marginTop: 16 }}
          title={t('importFlow.warningsTitle', { n: result.warnings.length.toLocaleString('en') })}
        >
          <ProblemTable problems={result.warnings} sheetOrder={sheetOrder} testId="import-warnings" />
        </Card>
      ) : null}
    </div>
  );
}
