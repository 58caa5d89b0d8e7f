import type { SurveyImportResult } from '@niangjia/contracts';
import { Card, Col, Row } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CountStat, ImportReport } from '../../../components/import/ImportReport';

/** The survey workbook's sheets in their order (TEMPLATES.md §1). */
const SHEET_ORDER = ['家庭', '家庭成员'];

interface Props {
  result: SurveyImportResult;
  /** What the counts mean: what a preview would do, or what the import did. */
  mode: 'preview' | 'import';
  /** A message above the problems (what the user can do now). */
  headline?: ReactNode;
}

/** What a survey import would do or did: households and members counted, then every problem. */
export function SurveyImportReport({ result, mode, headline }: Props) {
  const { t } = useTranslation();
  const preview = mode === 'preview';
  const counts = (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card size="small" title={t('surveyImport.households')}>
          <Row gutter={16}>
            <Col xs={12} sm={8}>
              <CountStat
                title={t(preview ? 'surveyImport.wouldImport' : 'surveyImport.imported')}
                value={result.households.imported}
                testId="import-households-imported"
                tone="good"
              />
            </Col>
            <Col xs={12} sm={8}>
              <CountStat
                title={t(preview ? 'surveyImport.wouldUpdate' : 'surveyImport.updated')}
                value={result.households.updated}
                testId="import-households-updated"
              />
            </Col>
            <Col xs={12} sm={8}>
              <CountStat
                title={t(preview ? 'surveyImport.wouldReject' : 'surveyImport.rejected')}
                value={result.households.rejected}
                testId="import-households-rejected"
                tone="bad"
              />
            </Col>
          </Row>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('surveyImport.members')}>
          <Row gutter={16}>
            <Col xs={12} sm={12}>
              <CountStat
                title={t(preview ? 'surveyImport.wouldImport' : 'surveyImport.imported')}
                value={result.members.imported}
                testId="import-members-imported"
                tone="good"
              />
            </Col>
            <Col xs={12} sm={12}>
              <CountStat
                title={t(preview ? 'surveyImport.wouldReject' : 'surveyImport.rejected')}
                value={result.members.rejected}
                testId="import-members-rejected"
                tone="bad"
              />
            </Col>
          </Row>
        </Card>
      </Col>
    </Row>
  );
  return (
    <ImportReport result={result} mode={mode} counts={counts} headline={headline} sheetOrder={SHEET_ORDER} />
  );
}
