import { callScope, captureScope, type CallRecord } from './aws/call-context.js';
import type { ClientFactory } from './aws/clients.js';
import type { CapturedCall } from './core/recording.js';
import { EnvironmentError } from './core/outcome.js';
import type { Investigation, Report } from './core/report.js';
import type { Target, Window } from './core/target.js';
import { evaluateRules } from './rules/index.js';
import { planSources } from './sources/registry.js';
import { runSources, type ProgressEvent } from './sources/runner.js';
import type { DnsResolver, Source, SourceLimits } from './sources/types.js';

/**
 * The deterministic engine: sources → coverage and evidence → rules → findings, over an
 * environment the application chose (AWS or a sandbox scenario, `app/world.ts`). No tokens are
 * spent here, and nothing here knows the sandbox exists.
 */
export interface Environment {
  factory: ClientFactory;
  dns: DnsResolver;
  /** The clock: a scenario has its own fixed "now" so its windows and answers are reproducible. */
  now(): Date;
  /** `aws` or `sandbox:<scenario name>`. */
  origin: string;
  region: string;
  /** A scenario's own per-source timeout: it simulates slow accounts and says how long to wait. */
  sourceTimeoutMs?: number;
  /** What a scenario is about, so the demo can run without arguments. */
  defaults?: { restApiId: string; stage?: string; region: string; description?: string; window?: Window };
  /** A scenario's faults on firebreak's own DynamoDB table, applied to the ledger's client. */
  attachLedgerFaults?: (client: never) => void;
}

export interface InvestigateOptions {
  onProgress?: (event: ProgressEvent) => void;
  concurrency?: number;
  sourceTimeoutMs?: number;
  deadlineMs?: number;
  /** Per-source limits (items kept, Logs Insights on or off and its bytes cap, …). */
  limits?: Partial<SourceLimits>;
  sources?: readonly Source[];
  /** Test seam: sources added to the planned set (a test-only source that records and describes itself). */
  extraSources?: readonly Source[];
  /** Recording (`--record`): receives every AWS call and DNS lookup with its answer. */
  capture?: (call: CapturedCall) => void;
  /** Every AWS call with its start and end, the API-kind probe included. */
  onCall?: (record: CallRecord) => void;
}

/** DNS lookups, captured like AWS calls: a recorded scenario answers them again. */
function capturingDns(dns: DnsResolver): DnsResolver {
  const lookup = (operation: 'resolveCname' | 'resolve4') => async (name: string) => {
    const capture = captureScope.getStore();
    const source = callScope.getStore()?.sourceId;
    const base = { ...(source ? { source } : {}), service: 'dns', operation, accountId: '', region: '', input: { name } };
    try {
      const records = await dns[operation](name);
      capture?.({ ...base, output: { records } });
      return records;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      capture?.({ ...base, error: { name: e.name, message: e.message, ...(e.code ? { code: e.code } : {}) } });
      throw err;
    }
  };
  return { resolveCname: lookup('resolveCname'), resolve4: lookup('resolve4') };
}

export async function investigate(target: Target, window: Window, env: Environment, options: InvestigateOptions = {}): Promise<Investigation> {
  if (!options.capture) return investigateIn(target, window, env, options);
  const { capture } = options;
  return captureScope.run(capture, () => investigateIn(target, window, { ...env, dns: capturingDns(env.dns) }, options));
}

async function investigateIn(target: Target, window: Window, env: Environment, options: InvestigateOptions): Promise<Investigation> {
  let accountId: string | undefined;
  if (target.account) {
    accountId = env.factory.resolveAccount(target.account);
    if (!accountId) throw new EnvironmentError(`unknown account "${target.account}": configure it under aws.accounts (alias, accountId, roleArn)`);
    if (!env.factory.canRead(accountId)) throw new EnvironmentError(`no role for account ${accountId}: add its read-only role ARN under aws.accounts`);
  }
  const aws = env.factory.forAccount(accountId, target.region);
  // REST, HTTP or WebSocket API: the kind decides the source set (and the rules); the report says which.
  const plan = options.sources ? { target, sources: options.sources } : await planSources(target, aws, options.onCall);
  target = plan.target;
  const run = await runSources({
    sources: options.extraSources ? [...plan.sources, ...options.extraSources] : plan.sources,
    target,
    window,
    aws,
    factory: env.factory,
    dns: env.dns,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...((env.sourceTimeoutMs ?? options.sourceTimeoutMs) ? { sourceTimeoutMs: env.sourceTimeoutMs ?? options.sourceTimeoutMs } : {}),
    ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.onCall ? { onCall: options.onCall } : {}),
    ...(plan.prefetched ? { prefetched: plan.prefetched } : {}),
  });
  const findings = evaluateRules({ target, window, evidence: run.evidence, coverage: run.coverage });
  const report: Report = {
    version: 1,
    target,
    window: { since: window.since.toISOString(), until: window.until.toISOString() },
    origin: env.origin,
    durationMs: run.durationMs,
    coverage: run.coverage,
    findings,
  };
  return { report, evidence: run.evidence };
}
