import { validateTroubleshoot, requestToTarget, resolveWindow } from '../../core/input.js';
import { apiNotFound, nothingRead, EnvironmentError, investigate, openEnvironment, ScenarioInputError } from '../../engine.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { offerAnalysis } from '../analysis.js';
import { EXIT, type CliIo } from '../io.js';
import { createProgressReporter } from '../progress.js';
import { redactInvestigation } from '../../bundle/egress.js';
import { renderReport } from '../render.js';
import { attachBundle } from '../bundle-step.js';

export const TROUBLESHOOT_USAGE = `Usage: firebreak troubleshoot api-gw <rest-api-id> [options]

Collects everything that explains a failing API Gateway REST API (configuration, logs, CloudTrail,
network path, Lambda integrations, DNS), prints a coverage table and zero-token findings, then
offers a pruned, redacted bundle for analysis by a model on Amazon Bedrock.

Options:
  --stage S          only this stage (default: every stage)
  --since 2h         window before --until: 30m, 2h, 3d (max 14d; default 2h)
  --until T          end of the window, ISO 8601 (default: now)
  --region R         AWS region (default: AWS_REGION or us-east-1)
  --account A        configured account alias or 12-digit id (default: the credentials' account)
  --profile P        AWS shared-config profile
  --scenario N|PATH  answer from a sandbox scenario instead of AWS (see: firebreak scenarios)
  --json             print the JSON report (coverage, findings, bundle) and nothing else
  --budget B         bundle budget: small, medium or large (default from config: medium)
  --context TEXT     context to add to the bundle (redacted like everything else)
  --yes              approve the analysis without asking (scripts)
  --large            analyse with the larger model
  --user U           who is charged for the analysis (default: $USER)

Example: firebreak troubleshoot api-gw a1b2c3d4e5 --stage prod --since 2h`;

export const TROUBLESHOOT_OPTIONS = {
  stage: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  region: { type: 'string' },
  account: { type: 'string' },
  profile: { type: 'string' },
  scenario: { type: 'string' },
  json: { type: 'boolean' },
  budget: { type: 'string' },
  context: { type: 'string' },
  yes: { type: 'boolean' },
  large: { type: 'boolean' },
  user: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type TroubleshootFlags = ReturnType<typeof parseTroubleshootFlags>['values'];

function parseTroubleshootFlags(argv: string[]) {
  return parseCommandArgs(argv, TROUBLESHOOT_OPTIONS, 'firebreak troubleshoot api-gw a1b2c3d4e5 --since 2h');
}

export async function troubleshootCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseTroubleshootFlags(argv);
  if (values.help) {
    io.out(TROUBLESHOOT_USAGE);
    return EXIT.ok;
  }
  const [kind, restApiId, extra] = positionals;
  if (kind !== 'api-gw') {
    throw new UsageError(`expected a target kind "api-gw", got ${kind ? `"${kind}"` : 'nothing'}; e.g. firebreak troubleshoot api-gw a1b2c3d4e5`);
  }
  if (extra !== undefined) throw new UsageError(`unexpected "${extra}"; the stage goes in --stage, e.g. --stage prod`);
  const parsed = validateTroubleshoot({
    ...(restApiId !== undefined ? { restApiId } : {}),
    ...(values.stage !== undefined ? { stage: values.stage } : {}),
    ...(values.since !== undefined ? { since: values.since } : {}),
    ...(values.until !== undefined ? { until: values.until } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values.account !== undefined ? { account: values.account } : {}),
  });
  if (!parsed.ok) throw new UsageError(parsed.error);
  return runTroubleshoot(parsed.value, values, io);
}

/** Shared by `troubleshoot` and `demo`. */
export async function runTroubleshoot(
  request: Parameters<typeof requestToTarget>[0],
  flags: TroubleshootFlags,
  io: CliIo,
): Promise<number> {
  if (flags.budget && !['small', 'medium', 'large'].includes(flags.budget)) {
    throw new UsageError(`--budget: expected small, medium or large, got "${flags.budget}"`);
  }
  let env;
  try {
    env = await openEnvironment(
      {
        ...(flags.scenario ? { scenario: flags.scenario } : {}),
        ...(request.region ? { region: request.region } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
      },
      io.config,
    );
  } catch (err) {
    if (err instanceof ScenarioInputError) throw new UsageError(err.message);
    if (err instanceof EnvironmentError) {
      io.err(`firebreak: ${err.message}`);
      return EXIT.failed;
    }
    throw err;
  }
  const target = requestToTarget(request, env.region);
  const window = resolveWindow(request, env.now());
  const progress = flags.json ? undefined : createProgressReporter(io.stderr);
  let investigation;
  try {
    investigation = await investigate(target, window, env, {
      ...(progress ? { onProgress: progress.onProgress } : {}),
      concurrency: io.config.runner.concurrency,
      sourceTimeoutMs: io.config.runner.sourceTimeoutMs,
      deadlineMs: io.config.runner.deadlineMs,
      maxItems: io.config.runner.maxItems,
    });
  } catch (err) {
    if (err instanceof EnvironmentError) {
      io.err(`firebreak: ${err.message}`);
      return EXIT.failed;
    }
    throw err;
  } finally {
    progress?.done();
  }
  const notFound = apiNotFound(investigation) ?? nothingRead(investigation);
  const withBundle = attachBundle(redactInvestigation(investigation), { ...(flags.budget ? { budget: flags.budget } : {}), ...(flags.context ? { context: flags.context } : {}) }, io.config);
  if (flags.json) {
    io.out(JSON.stringify(withBundle.report, null, 2));
    return notFound ? EXIT.failed : EXIT.ok;
  }
  if (notFound) {
    io.err(`firebreak: ${notFound}`);
    return EXIT.failed;
  }
  io.out(renderReport(withBundle.report, io.style));
  return offerAnalysis(withBundle, flags, io, io.modelClient);
}
