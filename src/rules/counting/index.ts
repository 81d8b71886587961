/**
 * The one counting model for every count-based rule, REST and HTTP alike (docs/rules.md, "How a
 * count rule uses it"): tallies in, figures, threshold, severity and words out.
 */
export { countFailures, Count, percent, scopeText, type CountSpec, type ScopeCount } from './count.js';
export { fromFunctionMetric, fromRecords, fromSignatures, type Tally } from './tallies.js';
export { requestsIn } from './denominators.js';
export { THRESHOLDS, MAJOR_SHARE, type Family, type Threshold } from './thresholds.js';
