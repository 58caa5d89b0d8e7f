// Identifier rules: resident ID numbers (GB 11643-1999), unified social credit codes
// (GB 32100-2015) and the division codes of GB/T 2260 both carry.
export {
  CREDIT_CODE_ALPHABET,
  type CreditCode,
  type CreditCodeErrorCode,
  type CreditCodeProblem,
  type CreditCodeResult,
  creditCodeCheckCharacter,
  parseCreditCode,
} from './credit-code';
export { type Division, divisionName, isKnownDivision, lookupDivision } from './divisions';
export {
  checkCharacter,
  convert15To18,
  type IdProblem,
  maskResidentId,
  parseResidentId,
  type ResidentId,
  type ResidentIdContradiction,
  type ResidentIdErrorCode,
  type ResidentIdProblem,
  type ResidentIdResult,
  residentIdContradictions,
  residentIdFacts,
  type Sex,
} from './resident-id';
