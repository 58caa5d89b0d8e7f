import { AID_TYPES, FUND_SOURCES, type GrantView, PAYMENT_METHODS } from '@niangjia/contracts';
import { fenInCapitals } from '@niangjia/domain/money';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type zhCN from '../../../i18n/zh-CN';
import { formatDate, formatDateTime } from '../../../lib/format';
import { formatFen } from '../../../lib/money';
import { useCodeLabel, useCodeLang } from '../../../lib/registry-labels';
import '../publicity/sheet.css';

type ReceiptKey = keyof (typeof zhCN)['grantDetail']['receipt'];

function Field({ label, children, span = 1 }: { label: string; children?: ReactNode; span?: number }) {
  return (
    <>
      <th scope="row">{label}</th>
      <td colSpan={span}>{children}</td>
    </>
  );
}

/**
 * 帮扶资金发放回执: who received what, from which program, the amount in figures and in capitals
 * (大写, as a payment voucher writes it), how and when it was paid and by whom, and the two
 * signatures. Two copies (联) on one A4 sheet, one for the recipient, one for the union's files.
 */
export function Receipt({ grant, copy }: { grant: GrantView; copy: 1 | 2 }) {
  const { t, i18n } = useTranslation();
  const lang = useCodeLang();
  const label = useCodeLabel();
  const payment = grant.payment;
  if (!payment) return null;
  const r = (key: ReceiptKey) => t(`grantDetail.receipt.${key}`);
  const method = payment.method ? label(PAYMENT_METHODS, payment.method) : '';
  const how =
    payment.method === 'bank_card' && payment.bankCardMasked
      ? `${method}（${payment.bankCardMasked}）`
      : payment.method === 'in_kind' && payment.inKindItems
        ? `${method}：${payment.inKindItems}`
        : method;
  return (
    <article
      className="grant-sheet receipt-sheet"
      lang={lang === 'zh' ? 'zh-CN' : 'en'}
      data-testid={copy === 1 ? 'receipt' : 'receipt-copy-2'}
    >
      <div className="receipt-copy">{copy === 1 ? r('copyRecipient') : r('copyOffice')}</div>
      <h1>{r('title')}</h1>
      <div className="sheet-meta">
        <span>
          {r('payer')}：{grant.orgName}
        </span>
        <span>
          {r('number')}：<span className="mono">{payment.ledgerEntryId.slice(0, 8).toUpperCase()}</span>
        </span>
      </div>
      <table>
        <colgroup>
          <col className="sheet-label" />
          <col />
          <col className="sheet-label" />
          <col />
        </colgroup>
        <tbody>
          <tr>
            <Field label={r('name')}>{grant.personName}</Field>
            <Field label={t('grants.idNumber')}>
              <span className="sheet-id" data-testid="receipt-id">
                {grant.idNumberMasked}
              </span>
            </Field>
          </tr>
          <tr>
            <Field label={t('grants.householdOrg')}>{grant.householdOrgName ?? ''}</Field>
            <Field label={t('grants.aidType')}>{label(AID_TYPES, grant.aidType)}</Field>
          </tr>
          <tr>
            <Field label={r('program')} span={3}>
              {grant.programName}
            </Field>
          </tr>
          <tr>
            <Field label={r('amountFigures')}>
              <span className="receipt-figures" data-testid="receipt-figures">
                {formatFen(grant.amountFen, 'en')}
              </span>
            </Field>
            <Field label={t('grants.fundSource')}>{label(FUND_SOURCES, grant.fundSource)}</Field>
          </tr>
          <tr>
            <Field label={r('amountCapitals')} span={3}>
              <span className="receipt-capitals" data-testid="receipt-capitals">
                {r('capitalPrefix')}
                {fenInCapitals(grant.amountFen)}
              </span>
            </Field>
          </tr>
          <tr>
            <Field label={t('grants.method')}>
              <span data-testid="receipt-method">{how}</span>
            </Field>
            <Field label={t('grants.paidOn')}>
              <span className="mono">{formatDate(payment.paidOn)}</span>
            </Field>
          </tr>
          <tr>
            <Field label={t('grants.paidBy')}>{payment.paidBy ?? ''}</Field>
            <Field label={t('grants.approvedBy')}>
              {[grant.firstApprovedBy, grant.approvedBy]
                .filter(Boolean)
                .join(i18n.language === 'en' ? ', ' : '、')}
            </Field>
          </tr>
        </tbody>
      </table>
      <div className="receipt-signatures">
        {(['recipientSignature', 'handlerSignature'] as const).map((key) => (
          <div key={key} className="receipt-sign-pair">
            <div className="receipt-sign">
              <span>{r(key)}：</span>
              <span className="receipt-blank" />
            </div>
            <div className="receipt-sign" style={{ marginTop: 16 }}>
              <span>{r('date')}：</span>
              <span className="receipt-blank" />
            </div>
          </div>
        ))}
      </div>
      <p className="receipt-note">{r('note')}</p>
      <footer className="sheet-footer">
        {t('grantDetail.receipt.printedAt', { at: formatDateTime(new Date().toISOString()) })}
      </footer>
    </article>
  );
}
