// The Excel layer of the registry's exchange workbooks (TEMPLATES.md): sheet specs, the streaming
// reader and writer. No database here: the import and export services build on it.

export { countRows } from './count-rows';
export {
  type CellIssue,
  type ReadOptions,
  type RowRead,
  readAll,
  readWorkbook,
  type SheetEnd,
  type SheetIssue,
  type WorkbookEvent,
} from './reader';
export {
  type ColumnKind,
  type ColumnSpec,
  type ColumnValue,
  defineSheet,
  normaliseHeader,
  type SheetSpec,
  type SheetValues,
  SURVEY_HOUSEHOLDS,
  SURVEY_MEMBERS,
  SURVEY_WORKBOOK,
  type SurveyHousehold,
  type SurveyMember,
} from './sheet-spec';
export { type SheetData, writeWorkbook } from './writer';
