/**
 * The one counting model for every count-based rule, REST, HTTP and WebSocket alike (docs/rules.md, "How a
 * count rule uses it"): tallies in, figures, threshold, severity and words out.
 */
export { countFailures, Count } from './count.js';
export { fromFunctionMetric, fromRecords, fromSignatures, type Tally } from './tallies.js';
export { THRESHOLDS, type Family, type Threshold } from './thresholds.js';
export { fromEvents, fromFunctionLog, fromLines, type EventSpec } from './events.js';
