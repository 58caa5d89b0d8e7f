/**
 * The assistance ledger workbook 帮扶救助发放台账 (TEMPLATES.md §2): one sheet, one row a payment
 * to a person. The import reads it and the export writes it with the same spec, so an export
 * imports again unchanged.
 */
import { AID_TYPES, FUND_SOURCES } from '@niangjia/contracts';
import { defineSheet, type SheetValues } from '../registry/workbook';

export const LEDGER_PAYMENTS = defineSheet('发放记录', [
  { header: '身份证号', key: 'idNumber', required: true, kind: 'idNumber' },
  { header: '姓名', key: 'name', required: true, kind: 'text', maxLength: 50 },
  { header: '帮扶类型', key: 'aidType', required: true, kind: 'code', table: AID_TYPES },
  { header: '金额', key: 'amountFen', required: true, kind: 'money' },
  { header: '发放日期', key: 'paidOn', required: true, kind: 'date' },
  { header: '资金来源', key: 'fundSource', required: true, kind: 'code', table: FUND_SOURCES },
  { header: '项目', key: 'programName', required: false, kind: 'text', maxLength: 100, width: 24 },
  { header: '经办人', key: 'paidBy', required: false, kind: 'text', maxLength: 50 },
  // Required unless the import names the paying organisation for the whole file.
  { header: '所属工会', key: 'orgCode', required: false, kind: 'orgCode' },
]);

export const LEDGER_WORKBOOK = [LEDGER_PAYMENTS] as const;

export type LedgerRow = SheetValues<typeof LEDGER_PAYMENTS>;
