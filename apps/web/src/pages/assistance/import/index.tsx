import { UnorderedListOutlined } from '@ant-design/icons';
import { AID_TYPES, FUND_SOURCES, type LedgerImportJobResult } from '@niangjia/contracts';
import { Button, Card, Col, Form, Row } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  commitLedger,
  downloadLedgerTemplate,
  ledgerResultOf,
  uploadLedger,
  useRefreshAssistance,
} from '../../../api/assistance';
import { ImportFlow } from '../../../components/import/ImportFlow';
import { CountStat, ImportReport } from '../../../components/import/ImportReport';
import { UPLOAD_MB, UploadStep } from '../../../components/import/UploadStep';
import { OrgSelect } from '../../../components/OrgSelect';
import { usePageTitle } from '../../../lib/page-title';
import { useCodeLang } from '../../../lib/registry-labels';

const INSTRUCTIONS = ['sheet', 'codes', 'values', 'org', 'people', 'safe'] as const;

/** What a ledger import would book or booked, and whom it would register or registered. */
function LedgerImportReport({
  result,
  mode,
  headline,
}: {
  result: LedgerImportJobResult;
  mode: 'preview' | 'import';
  headline: ReactNode;
}) {
  const { t } = useTranslation();
  const preview = mode === 'preview';
  const counts = (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={16}>
        <Card size="small" title={t('ledgerImport.lines')}>
          <Row gutter={16}>
            <Col xs={12} sm={8}>
              <CountStat
                title={t(preview ? 'ledgerImport.wouldImport' : 'ledgerImport.imported')}
                value={result.imported}
                testId="import-lines-imported"
                tone="good"
              />
            </Col>
            <Col xs={12} sm={8}>
              <CountStat
                title={t('ledgerImport.unchanged')}
                value={result.unchanged}
                testId="import-lines-unchanged"
              />
            </Col>
            <Col xs={12} sm={8}>
              <CountStat
                title={t(preview ? 'ledgerImport.wouldReject' : 'ledgerImport.rejected')}
                value={result.rejected}
                testId="import-lines-rejected"
                tone="bad"
              />
            </Col>
          </Row>
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('ledgerImport.people')}>
          <CountStat
            title={t(preview ? 'ledgerImport.wouldCreate' : 'ledgerImport.created')}
            value={result.peopleCreated}
            testId="import-people-created"
          />
        </Card>
      </Col>
    </Row>
  );
  return <ImportReport result={result} mode={mode} counts={counts} headline={headline} />;
}

/**
 * 台账导入: an assistance ledger workbook (TEMPLATES.md §2) from the browser: upload (with the paying
 * organisation of rows that name none), a preview listing every problem by row and column, then the
 * real import (see ImportFlow). The organisation is kept in the address for the commit.
 */
export default function LedgerImportPage() {
  const { t } = useTranslation();
  usePageTitle(t('ledgerImport.pageTitle'));
  const lang = useCodeLang();
  const navigate = useNavigate();
  const refresh = useRefreshAssistance();
  const [org, setOrg] = useState<string>();

  const list = (table: readonly { zh: string; en: string }[]) =>
    table.map((e) => e.zh).join(lang === 'zh' ? '、' : ', ');
  const instructions = INSTRUCTIONS.map((key) =>
    t(`ledgerImport.instructions.${key}`, { aidTypes: list(AID_TYPES), funds: list(FUND_SOURCES) }),
  );

  return (
    <ImportFlow<LedgerImportJobResult>
      title={t('ledgerImport.pageTitle')}
      backTo="/assistance/ledger"
      backLabel={t('ledgerImport.toLedger')}
      uploadStep={(onUploaded) => (
        <UploadStep
          upload={(file) => uploadLedger(file, org)}
          onUploaded={(started, name) => onUploaded(started, name, org ? { org } : {})}
          hint={t('ledgerImport.dropHint', { mb: UPLOAD_MB })}
          instructions={instructions}
          downloadTemplate={downloadLedgerTemplate}
          before={
            <Form layout="vertical" className="import-options">
              <Form.Item label={t('ledgerImport.org')} extra={t('ledgerImport.orgHelp')}>
                <OrgSelect
                  value={org}
                  onChange={(code) => setOrg(code || undefined)}
                  placeholder={t('ledgerImport.orgPlaceholder')}
                  allowClear
                  data-testid="ledger-import-org"
                />
              </Form.Item>
            </Form>
          }
        />
      )}
      details={(search) => {
        const code = search.get('org');
        return code ? t('ledgerImport.orgChosen', { code }) : undefined;
      }}
      resultOf={ledgerResultOf}
      canImport={(result) => result.imported > 0}
      report={(result, mode, headline) => (
        <LedgerImportReport result={result} mode={mode} headline={headline} />
      )}
      commit={(result, search) => commitLedger(result.uploadId, search.get('org') || undefined)}
      onImported={refresh}
      doneAction={
        <Button
          type="primary"
          icon={<UnorderedListOutlined />}
          onClick={() => void navigate('/assistance/ledger')}
          data-testid="import-to-list"
        >
          {t('ledgerImport.toLedger')}
        </Button>
      }
      failedHint={t('ledgerImport.failedHint')}
    />
  );
}
