import type { AccountRole } from '../../aws/clients.js';
import type { CapturedCall } from '../../core/recording.js';
import type { Investigation } from '../../core/report.js';
import type { Window } from '../../core/target.js';
import type { Source } from '../../sources/types.js';
import { ScenarioDocument, plain } from './document.js';
import { DEFAULT_WINDOW_MS } from '../../core/input.js';

/**
 * Turns what an investigation read into a scenario (docs/scenarios.md, "Recording an incident"):
 * each source that ran writes its answers through its `record` step; refusals and other failures
 * become the scenario's `faults`, as they were; the investigation's own outcome becomes its
 * `expect`. The result is plain data, unredacted: `recording.ts` passes it through the egress
 * boundary, anonymises it when asked and fits it to the loader's size.
 */
export interface RecordInput {
  investigation: Investigation;
  calls: readonly CapturedCall[];
  /** The sources that could have run (the planned set and any added): each writes its own part. */
  sources: readonly Source[];
  window: Window;
  /** The accounts the world knows: the home account and the configured ones with their roles. */
  homeAccountId: string | undefined;
  accounts: readonly AccountRole[];
  /** The per-source timeout the investigation ran with (a recorded timeout replays under it). */
  sourceTimeoutMs: number;
  /** When it was recorded (the real clock), for the file's header. */
  recordedAt: Date;
}

type Json = Record<string, unknown>;

/** A call cut by its deadline replays as this much slower than the deadline it missed. */
const CUT_MARGIN_MS = 1_000;

const severityAboveLow = (severity: string) => severity === 'critical' || severity === 'high' || severity === 'medium';

function faultKey(call: CapturedCall): string {
  return `${call.service}:${call.operation}\u0000${call.accountId}`;
}

/**
 * Every failed call as a fault. A failure that hit every call of its operation in its account
 * (a refused permission, typically) is one fault for all of them; otherwise each failed request is
 * a fault of its own (`input`), so the reads that succeeded still do.
 */
function faultsOf(calls: readonly CapturedCall[], doc: ScenarioDocument): Json[] {
  const failed = calls.filter((c) => c.service !== 'dns' && (c.error || c.cutAfterMs !== undefined));
  const succeeded = new Set(calls.filter((c) => c.output).map(faultKey));
  const faults = new Map<string, Json>();
  for (const call of failed) {
    const operation = `${call.service}:${call.operation}`;
    const failure: Json = call.error
      ? {
          error: /^[A-Za-z][A-Za-z0-9.]*$/.test(call.error.name) ? call.error.name : 'UnknownError',
          message: call.error.message,
          ...(call.error.httpStatusCode !== undefined && call.error.httpStatusCode >= 400 && call.error.httpStatusCode <= 599 ? { httpStatusCode: call.error.httpStatusCode } : {}),
        }
      : { latencyMs: (call.cutAfterMs ?? 0) + CUT_MARGIN_MS };
    const sameEverywhere = !succeeded.has(faultKey(call)) && failed.filter((c) => faultKey(c) === faultKey(call)).every((c) => JSON.stringify([c.error, c.cutAfterMs === undefined]) === JSON.stringify([call.error, call.cutAfterMs === undefined]));
    const input = sameEverywhere ? undefined : doc.requestOf(call.input);
    const fault: Json = { operation, account: call.accountId, ...(input ? { input } : {}), ...failure };
    faults.set(JSON.stringify(fault), fault);
  }
  return [...faults.values()];
}

export function recordScenario(input: RecordInput): { scenario: Json; leftOut: readonly string[] } {
  const { investigation, window } = input;
  const { report, evidence } = investigation;
  const target = report.target;
  const doc = new ScenarioDocument();
  const home = input.homeAccountId ?? input.calls.find((c) => c.service !== 'dns')?.accountId ?? '000000000000';
  doc.account(home);

  // One region per scenario: the target's. Answers from elsewhere cannot be replayed from it.
  const elsewhere = input.calls.filter((c) => c.service !== 'dns' && c.service !== 'organizations' && c.region !== target.region);
  for (const region of new Set(elsewhere.map((c) => c.region))) {
    doc.leftOut(`answers from region ${region} (${elsewhere.filter((c) => c.region === region).map((c) => `${c.service}:${c.operation}`).filter((v, i, all) => all.indexOf(v) === i).join(', ')}): a scenario holds one region`);
  }
  const calls = input.calls.filter((c) => !elsewhere.includes(c));

  const ran = new Set(report.coverage.map((row) => row.source));
  const sources = input.sources.filter((s, index, all) => ran.has(s.id) && all.findIndex((o) => o.id === s.id) === index);
  const ids = new Set<string>(sources.map((s) => s.id));
  // Reads made before the sources ran (the API-kind probe) belong to whichever source reads the same.
  const shared = calls.filter((c) => !c.source || !ids.has(c.source));
  for (const source of sources) {
    const own = calls.filter((c) => c.source === source.id);
    if (!source.record) {
      if (own.length > 0) doc.leftOut(`${source.id}: ${own.length} answer(s) not recorded (the source has no record step)`);
      continue;
    }
    source.record(
      { calls: [...own, ...shared], evidence: evidence[source.id] as never, row: report.coverage.find((row) => row.source === source.id) },
      doc,
    );
  }

  const roles = new Map(input.accounts.map((a) => [a.accountId, a]));
  // Every configured account too: one without a role (nothing could be read there) replays as
  // unreadable, not as an account nobody knows.
  const known = [...calls.filter((c) => c.service !== 'dns' && c.accountId !== 'unknown').map((c) => c.accountId), ...input.accounts.map((a) => a.accountId)];
  for (const accountId of new Set(known)) {
    const role = roles.get(accountId);
    const account = doc.account(accountId);
    if (role?.alias) account.alias = role.alias;
    if (accountId !== home && role?.roleArn) account.roleArn = role.roleArn;
  }

  const windowMs = window.until.getTime() - window.since.getTime();
  const cut = calls.some((c) => c.cutAfterMs !== undefined);
  const aboveLow = [...new Set(report.findings.filter((f) => severityAboveLow(f.severity)).map((f) => f.rule))];
  const head: Json = {
    name: `recording-${target.restApiId}-${window.until.toISOString().slice(0, 16).replace(/[-:]/g, '')}`,
    description: `Recorded by firebreak on ${input.recordedAt.toISOString()} from ${report.origin}: API ${target.restApiId}${target.stage ? ` stage ${target.stage}` : ''}, window ${report.window.since}..${report.window.until}`,
    apiId: target.restApiId,
    ...(target.stage ? { stage: target.stage } : {}),
    region: target.region,
    now: window.until.toISOString(),
    ...(windowMs !== DEFAULT_WINDOW_MS ? { window: { since: window.since.toISOString(), until: window.until.toISOString() } } : {}),
    ...(cut ? { sourceTimeoutMs: input.sourceTimeoutMs } : {}),
    faults: faultsOf(calls, doc),
    expect: {
      findings: aboveLow,
      coverage: Object.fromEntries(report.coverage.map((row) => [row.source, row.status === 'error' && row.error ? `error:${row.error.kind}` : row.status])),
    },
    recorded: { by: 'firebreak troubleshoot --record', at: input.recordedAt.toISOString(), from: report.origin, ...(target.apiType ? { apiType: target.apiType } : {}) },
  };
  const scenario = doc.build(head);
  return { scenario: plain(scenario) as Json, leftOut: doc.leftOutNotes };
}
