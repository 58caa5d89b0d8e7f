import { UnorderedListOutlined } from '@ant-design/icons';
import type { SurveyImportResult } from '@niangjia/contracts';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  commitSurvey,
  downloadTemplate,
  surveyResultOf,
  uploadSurvey,
  useRefreshAfterImport,
} from '../../../api/imports';
import { ImportFlow } from '../../../components/import/ImportFlow';
import { UPLOAD_MB, UploadStep } from '../../../components/import/UploadStep';
import { usePageTitle } from '../../../lib/page-title';
import { SurveyImportReport } from './ImportReport';

const INSTRUCTIONS = ['sheets', 'headers', 'idText', 'values', 'safe'] as const;

/** Something can be saved: a household new or changed, or a member added. */
const anythingToImport = (r: SurveyImportResult) =>
  r.households.imported + r.households.updated + r.members.imported > 0;

/**
 * The survey workbook (TEMPLATES.md §1) from the browser: upload, a preview listing every problem
 * by sheet, row and column, then the real import (see ImportFlow).
 */
export default function SurveyImportPage() {
  const { t } = useTranslation();
  usePageTitle(t('surveyImport.pageTitle'));
  const navigate = useNavigate();
  const refresh = useRefreshAfterImport();

  return (
    <ImportFlow<SurveyImportResult>
      title={t('surveyImport.pageTitle')}
      backTo="/households"
      backLabel={t('householdDetail.back')}
      uploadStep={(onUploaded) => (
        <UploadStep
          upload={uploadSurvey}
          onUploaded={onUploaded}
          hint={t('surveyImport.dropHint', { mb: UPLOAD_MB })}
          instructions={INSTRUCTIONS.map((key) => t(`surveyImport.instructions.${key}`))}
          downloadTemplate={downloadTemplate}
        />
      )}
      resultOf={surveyResultOf}
      canImport={anythingToImport}
      report={(result, mode, headline) => (
        <SurveyImportReport result={result} mode={mode} headline={headline} />
      )}
      commit={(result) => commitSurvey(result.uploadId)}
      onImported={refresh}
      doneAction={
        <Button
          type="primary"
          icon={<UnorderedListOutlined />}
          onClick={() => void navigate('/households')}
          data-testid="import-to-list"
        >
          {t('surveyImport.toList')}
        </Button>
      }
      failedHint={t('surveyImport.failedHint')}
    />
  );
}
