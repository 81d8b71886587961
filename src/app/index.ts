/**
 * The application's public surface: what Slack, the CLI, the preview and the bench may use.
 * Front ends import from here (and `core/`, `config`), never from `ledger/`, `model/`, `sources/`
 * or `sandbox/` directly; lint enforces it.
 */
export { createFirebreak, type CurrentBundle, type Firebreak, type FirebreakInstance, type Plan } from './firebreak.js';
export { AnalysisFailedError, AnalysisInProgressError, type AnalysisResult } from './analysis.js';
export type { Estimate, ModelSize } from './estimate.js';
export type { TargetProposal } from './check-target.js';
export { incidentChartPng, incidentChartTitle, renderPng } from './charts.js';
export type { AppObserver } from './observer.js';
export type { AlarmOutcome } from './alarms/desk.js';
export { COMMAND_USAGE, parseCommandText, parseTroubleshootArgs } from './grammar.js';
export { listScenarios, ScenarioInputError, type ScenarioListing } from './world.js';
export { apiNotFound, EnvironmentError, nothingRead, TargetNotFoundError, TargetResolutionError, WindowError } from '../core/outcome.js';
export { QuotaExceededError } from '../ledger/errors.js';
export { daysOfIsoWeek, type SpendLine, type WeeklySummary } from '../ledger/weekly-summary.js';
export { isoWeek } from '../ledger/day.js';
export type { ProgressEvent } from '../sources/runner.js';
export type { ModelClient } from '../model/bedrock.js';
/** `Claude Haiku 4.5` for a model id or inference profile: what people read, everywhere. */
export { shortModelName as modelDisplayName } from '../model/prices.js';
/** The egress boundary for what a front end adds itself (free text, log records): see bundle/egress.ts. */
export { redactDeep, redactText } from '../bundle/egress.js';
/** Loggers whose every record passes the egress boundary (pino), and a log record's redacted copy (Powertools). */
export { createLogger, redactingReplacer } from './log.js';
export { generateIamPolicy } from '../aws/iam-policy.js';
export { estimateTokens } from '../bundle/tokens.js';
/** One in-process DynamoDB (dynalite on loopback) that several app instances can share: the preview. */
export { startEmbeddedDynamo, type EmbeddedDynamo } from '../ledger/embedded.js';
