import { LEDGER_IMPORT_JOB, ledgerImportJob } from '../modules/assistance/ledger-jobs';
import { EVALUATION_JOB, evaluationJob } from '../modules/policy/evaluation-job';
import { DUPLICATE_DETECTION_JOB, duplicateDetectionJob } from '../modules/registry/duplicates-job';
import { SURVEY_IMPORT_JOB, surveyImportJob } from '../modules/registry/survey-jobs';
import type { JobHandler } from './runner';

/**
 * Every kind of background job and its handler. A module adds its own here (the survey import,
 * bulk re-evaluation, deadline reminders); queued jobs of a kind no process knows stay queued.
 */
export const jobHandlers: Record<string, JobHandler> = {
  [SURVEY_IMPORT_JOB]: surveyImportJob,
  [DUPLICATE_DETECTION_JOB]: duplicateDetectionJob,
  [EVALUATION_JOB]: evaluationJob,
  [LEDGER_IMPORT_JOB]: ledgerImportJob as JobHandler,
};
