import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { type ImportStarted, MAX_UPLOAD_BYTES, XLSX_MEDIA_TYPE } from '@niangjia/contracts';
import { Alert, Button, Card, Col, Row, Spin, Typography, Upload } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showError } from '../../lib/notify';

export const UPLOAD_MB = Math.round(MAX_UPLOAD_BYTES / 1024 / 1024);

interface Props {
  /** Sends the chosen file and queues its preview. */
  upload: (file: File) => Promise<ImportStarted>;
  onUploaded: (started: ImportStarted, filename: string) => void;
  /** Under the drop text: which workbook, its format and size limit. */
  hint: string;
  /** The numbered instructions beside the drop zone. */
  instructions: readonly string[];
  downloadTemplate: () => Promise<void>;
  /** Above the drop zone: what the upload needs besides the file (a paying organisation, say). */
  before?: ReactNode;
}

/** Step 1: the workbook chosen or dropped, sent as it is; the instructions and the template beside it. */
export function UploadStep({ upload, onUploaded, hint, instructions, downloadTemplate, before }: Props) {
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
        {before}
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
                setRefused(t('importFlow.notXlsx'));
                return Upload.LIST_IGNORE;
              }
              if (file.size > MAX_UPLOAD_BYTES) {
                setRefused(t('importFlow.tooLarge', { mb: UPLOAD_MB }));
                return Upload.LIST_IGNORE;
              }
              return true;
            }}
            customRequest={({ file }) => {
              if (!(file instanceof File)) return;
              setUploading(file.name);
              upload(file)
                .then((started) => onUploaded(started, file.name), showError)
                .finally(() => setUploading(undefined));
            }}
          >
            {uploading ? (
              <div className="import-drop-body" data-testid="import-uploading">
                <Spin />
                <p className="ant-upload-text">{t('importFlow.uploading', { name: uploading })}</p>
              </div>
            ) : (
              <div className="import-drop-body">
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('importFlow.drop')}</p>
                <p className="ant-upload-hint">{hint}</p>
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
          title={t('importFlow.instructionsTitle')}
          extra={
            <Button
              type="link"
              icon={<DownloadOutlined />}
              loading={templateLoading}
              onClick={template}
              data-testid="import-template"
            >
              {t('importFlow.template')}
            </Button>
          }
        >
          <ol className="import-instructions" data-testid="import-instructions">
            {instructions.map((text) => (
              <li key={text}>
                <Typography.Text>{text}</Typography.Text>
              </li>
            ))}
          </ol>
        </Card>
      </Col>
    </Row>
  );
}
