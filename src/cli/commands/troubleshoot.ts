import { apiNotFound, createFirebreak, EnvironmentError, nothingRead, parseTroubleshootArgs, ScenarioInputError, TargetNotFoundError, TargetResolutionError, WindowError } from '../../app/index.js';
import type { NotFoundDetails } from '../../core/outcome.js';
import { writeFile } from 'node:fs/promises';
import type { TroubleshootRequest } from '../../core/input.js';
import { formatOf, RecordingTooLargeError, type Recording } from '../../app/recording/index.js';
import { UsageError } from '../args.js';
import { offerAnalysis, type AnalysisFlags } from '../analysis.js';
import { EXIT, type CliIo } from '../io.js';
import { createProgressReporter } from '../progress.js';
import { renderReport } from '../render.js';

export const TROUBLESHOOT_USAGE = `Usage: firebreak troubleshoot api-gw <api> [stage] [options]

<api> is the API's id (a1b2c3d4e5), an invoke URL (region and stage come from it), a custom
domain or a URL on it (resolved through its base path or API mappings), the API's exact name,
or an API Gateway console link.

Collects everything that explains a failing API Gateway REST API (configuration, logs, CloudTrail,
network path, Lambda integrations, DNS), prints a coverage table and zero-token findings, then
offers a pruned, redacted bundle for analysis by a model on Amazon Bedrock.

Options (the same grammar as /troubleshoot in Slack; —since, –since and -since work too):
  [stage], --stage S only this stage (default: every stage)
  --since 2h         window before --until: 30m, 2h, 3d (max 14d; default 2h)
  --until T          end of the window, ISO 8601 (default: now)
  --region R         AWS region (default: AWS_REGION or us-east-1)
  --account A        configured account alias or 12-digit id (default: the credentials' account)
  --profile P        AWS shared-config profile
  --scenario N|PATH  answer from a sandbox scenario instead of AWS (see: firebreak scenarios)
  --now T            sandbox only: run the scenario at this ISO 8601 "now" (its traffic continues
                     to it), e.g. 5 minutes after the scenario's own to see the same incident later
  --record FILE      also write what was read as a replayable, redacted scenario (.yaml or .json);
                     replay it with --scenario FILE (docs/scenarios.md, "Recording an incident")
  --anonymize        with --record: made-up account and resource ids, for sharing outside the team
  --json             print the JSON report (coverage, findings, bundle) and nothing else
  --budget B         bundle budget: small, medium or large (default from config: medium)
  --context TEXT     context to add to the bundle (redacted like everything else)
  --yes              approve the analysis without asking (scripts)
  --large            analyse with the larger model
  --fresh            analyse anew even when an answer to the same incident is cached
  --user U           who is charged for the analysis (default: $USER)

Example: firebreak troubleshoot api-gw a1b2c3d4e5 prod --since 2h`;

/** The CLI's own flags, beside the target options the grammar shares with Slack. */
export const CLI_OPTIONS = {
  profile: { type: 'string' },
  scenario: { type: 'string' },
  json: { type: 'boolean' },
  budget: { type: 'string' },
  context: { type: 'string' },
  yes: { type: 'boolean' },
  large: { type: 'boolean' },
  fresh: { type: 'boolean' },
  now: { type: 'string' },
  user: { type: 'string' },
  record: { type: 'string' },
  anonymize: { type: 'boolean' },
} as const;

export interface TroubleshootFlags extends AnalysisFlags {
  profile?: string;
  scenario?: string;
  json?: boolean;
  budget?: string;
  /** ISO 8601: the sandbox clock (`--now`), only with a scenario. */
  now?: string;
  /** Where to write the recording (`--record`). */
  record?: string;
  anonymize?: boolean;
}

/** `--now` moves a sandbox's clock; against AWS "now" is the real one, so it is refused there. */
function sandboxNow(flags: TroubleshootFlags): Date | undefined {
  if (flags.now === undefined) return undefined;
  if (!flags.scenario) throw new UsageError('--now sets the clock of a sandbox scenario: give --scenario NAME|PATH with it (against AWS, now is now)');
  const now = new Date(flags.now);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(flags.now) || Number.isNaN(now.getTime())) {
    throw new UsageError(`--now: expected an ISO 8601 time such as 2024-05-01T12:05:00Z, got "${flags.now}"`);
  }
  return now;
}

export async function troubleshootCommand(argv: string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = argv;
  if (kind === '--help' || kind === '-h' || kind === 'help') {
    io.out(TROUBLESHOOT_USAGE);
    return EXIT.ok;
  }
  if (kind !== 'api-gw') {
    throw new UsageError(`expected a target kind "api-gw", got ${kind ? `"${kind}"` : 'nothing'}; e.g. firebreak troubleshoot api-gw a1b2c3d4e5`);
  }
  const parsed = parseTroubleshootArgs(rest, CLI_OPTIONS);
  if (!parsed.ok) throw new UsageError(`${parsed.error}${parsed.usage ? `\nusage: firebreak troubleshoot ${parsed.usage.startsWith('api-gw') ? parsed.usage : `api-gw <api> ${parsed.usage}`}` : ''}`);
  if (parsed.value.kind === 'help') {
    io.out(TROUBLESHOOT_USAGE);
    return EXIT.ok;
  }
  return runTroubleshoot(parsed.value.request, parsed.value.flags, io);
}

/** Writes the recording and says on stderr what it holds and what it left out (stdout stays the report). */
async function saveRecording(file: string, recording: Recording, io: CliIo): Promise<void> {
  await writeFile(file, recording.text, 'utf8');
  const size = recording.bytes >= 1024 * 1024 ? `${(recording.bytes / 1024 / 1024).toFixed(1)} MB` : `${(recording.bytes / 1024).toFixed(1)} KB`;
  io.err(`firebreak: recorded to ${file} (${size}, redacted${recording.anonymized !== undefined ? `, ${recording.anonymized} ids made up` : ''}); replay: --scenario ${file}`);
  for (const note of recording.leftOut) io.err(`firebreak: left out of the recording: ${note}`);
}

/** Shared by `troubleshoot` and `demo`. */
export async function runTroubleshoot(request: TroubleshootRequest, flags: TroubleshootFlags, io: CliIo): Promise<number> {
  if (flags.budget && !['small', 'medium', 'large'].includes(flags.budget)) {
    throw new UsageError(`--budget: expected small, medium or large, got "${flags.budget}"`);
  }
  const now = sandboxNow(flags);
  if (flags.anonymize && !flags.record) throw new UsageError('--anonymize changes a recording: give --record FILE with it');
  if (flags.record !== undefined && !/\.(ya?ml|json)$/i.test(flags.record)) throw new UsageError(`--record: expected a .yaml, .yml or .json file, got "${flags.record}"`);
  const app = await createFirebreak(io.config, {
    snapshot: true,
    world: {
      ...(flags.scenario ? { scenario: flags.scenario } : {}),
      ...(request.region ? { region: request.region } : {}),
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(now ? { now } : {}),
    },
    ...(io.modelClient ? { modelClient: io.modelClient } : {}),
  });
  try {
    const progress = flags.json ? undefined : createProgressReporter(io.stderr);
    let investigation;
    try {
      const plan = await app.plan(request);
      investigation = await app.troubleshoot(plan, {
        ...(progress ? { onProgress: progress.onProgress } : {}),
        choices: { ...(flags.budget ? { budget: flags.budget } : {}), ...(flags.context ? { context: flags.context } : {}) },
        ...(flags.record ? { record: { format: formatOf(flags.record), ...(flags.anonymize ? { anonymize: true } : {}) } } : {}),
      });
      if (flags.record && investigation.recording) await saveRecording(flags.record, investigation.recording, io);
    } catch (err) {
      // Not found is "could not run" (exit 1, as before), with where it looked and the nearest APIs.
      if (err instanceof TargetNotFoundError) {
        io.err(`firebreak: ${notFoundText(err.message, err.details)}`);
        // A name or a domain that resolves to nothing stays bad input (2); an id, account or region that cannot be read, "could not run" (1).
        return request.lookup ? EXIT.usage : EXIT.failed;
      }
      if (err instanceof ScenarioInputError || err instanceof TargetResolutionError || err instanceof WindowError) throw new UsageError(err.message);
      if (err instanceof RecordingTooLargeError) {
        io.err(`firebreak: not recorded: ${err.message}`);
        return EXIT.failed;
      }
      if (err instanceof EnvironmentError) {
        io.err(`firebreak: ${err.message}`);
        return EXIT.failed;
      }
      throw err;
    } finally {
      progress?.done();
    }
    const notFound = apiNotFound(investigation) ?? nothingRead(investigation);
    if (flags.json) {
      io.out(JSON.stringify(investigation.report, null, 2));
      return notFound ? EXIT.failed : EXIT.ok;
    }
    if (notFound) {
      io.err(`firebreak: ${notFound}`);
      return EXIT.failed;
    }
    io.out(renderReport(investigation.report, io.style));
    return await offerAnalysis(app, investigation, flags, io);
  } finally {
    await app.close();
  }
}

/** The not-found answer for a terminal: the reads and their answers, then the nearest APIs as commands to paste. */
export function notFoundText(message: string, details: NotFoundDetails): string {
  const lines = [message, `  tried: ${details.tried.map((t) => `${t.call} → ${t.answer}`).join('; ')}`];
  for (const api of details.candidates) {
    const region = api.region ?? (details.regionAsked ? details.region : undefined);
    lines.push(`  ${api.region ? 'found elsewhere' : 'nearest'}: ${api.id} (${api.apiType}${api.name ? `, ${api.name}` : ''}${api.region ? ` in ${api.region}` : ''})  →  firebreak troubleshoot api-gw ${api.id}${region ? ` --region ${region}` : ''}`);
  }
  if (details.subject === 'api' && details.candidates.length === 0 && details.listed !== undefined) {
    lines.push(`  no similar API among the ${details.listed} in account ${details.account ?? '(credentials)'}, ${details.region}: check the id, --region and --account`);
  }
  return lines.join('\n');
}
