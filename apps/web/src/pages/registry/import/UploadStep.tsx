import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { type ImportStarted, MAX_UPLOAD_BYTES, XLSX_MEDIA_TYPE } from '@niangjia/contracts';
import { Alert, Button, Card, Col, Row, Spin, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadTemplate, uploadSurvey } from '../../../api/imports';
import { showError } from '../../../lib/notify';

const MB = Math.round(MAX_UPLOAD_BYTES / 1024 / 1024);
const INSTRUCTIONS = ['sheets', 'headers', 'idText', 'values', 'safe'] as const;

interface Props {
  onUploaded: (started: ImportStarted, filename: string) => void;
}

/** Step 1: the workbook chosen or dropped, sent as it is; the instructions and the template beside it. */
export function UploadStep({ onUploaded }: Props) {
  const { t } = useTranslation();
  const [uploading, setUploading] = useState<string>();
  const [refused, setRefused] = useState<string>();
  const [templateLoading, setTemplateLoading] = useState(false);

  const template = () => {
    setTemplateLoading(true);
    downloadTemplate()
      .catch(showError)
      .finally(() => setTemplateLoading(false));
  };

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={14}>
        <div data-testid="import-dropzone">
          <Upload.Dragger
            accept={`.xlsx,${XLSX_MEDIA_TYPE}`}
            multiple={false}
            fileList={[]}
            showUploadList={false}
            disabled={uploading !== undefined}
            beforeUpload={(file) => {
              setRefused(undefined);
              if (!file.name.toLowerCase().endsWith('.xlsx')) {
                setRefused(t('surveyImport.notXlsx'));
                return Upload.LIST_IGNORE;
              }
              if (file.size > MAX_UPLOAD_BYTES) {
                setRefused(t('surveyImport.tooLarge', { mb: MB }));
                return Upload.LIST_IGNORE;
              }
              return true;
            }}
            customRequest={({ file }) => {
              if (!(file instanceof File)) return;
              setUploading(file.name);
              uploadSurvey(file)
                .then((started) => onUploaded(started, file.name), showError)
                .finally(() => setUploading(undefined));
            }}
          >
            {uploading ? (
              <div className="import-drop-body" data-testid="import-uploading">
                <Spin />
                <p className="ant-upload-text">{t('surveyImport.uploading', { name: uploading })}</p>
              </div>
            ) : (
              <div className="import-drop-body">
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('surveyImport.drop')}</p>
                <p className="ant-upload-hint">{t('surveyImport.dropHint', { mb: MB })}</p>
              </div>
            )}
          </Upload.Dragger>
        </div>
        {refused ? (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 16 }}
            title={refused}
            data-testid="import-file-refused"
          />
        ) : null}
      </Col>
      <Col xs={24} lg={10}>
        <Card
          size="small"
          title={t('surveyImport.instructionsTitle')}
          extra={
            <Button
              type="link"
              icon={<DownloadOutlined />}
              loading={templateLoading}
              onClick={template}
              data-testid="import-template"
            >
              {t('surveyImport.template')}
            </Button>
          }
        >
          <ol className="import-instructions" data-testid="import-instructions">
            {INSTRUCTIONS.map((key) => (
              <li key={key}>
                <Typography.Text>{t(`surveyImport.instructions.${key}`)}</Typography.Text>
              </li>
            ))}
          </ol>
        </Card>
      </Col>
    </Row>
  );
}
