import { coverageRow } from '../helpers.js';
import type { RuleInput } from '../types.js';

/**
 * The log signatures of a 401 from API Gateway itself. A bare 401 status in the access log counts
 * only when there is no execution log to tell it from a 401 the backend answered on purpose.
 */
export function unauthorizedSignatures(input: RuleInput): string[] {
  const execution = coverageRow(input, 'logs.execution')?.status;
  return execution === 'ok' || execution === 'empty' ? ['unauthorized'] : ['unauthorized', 'status-401'];
}
