import { buildBundle } from '../bundle/index.js';
import { redactInvestigation, redactText } from '../bundle/egress.js';
import { PROTECTED_SECTIONS, SECTION_ORDER } from '../bundle/sections.js';
import type { Config } from '../config.js';
import { DEFAULT_WINDOW_MS, requestToTarget, resolveWindow, windowProblem, type TroubleshootRequest } from '../core/input.js';
import type { EvidenceDescriber } from '../core/describe.js';
import { WindowError } from '../core/outcome.js';
import type { ExtractedTarget } from '../core/extract-target.js';
import type { TargetProposal } from './check-target.js';
import type { BundleChoices, BundleSummary, Investigation } from '../core/report.js';
import { describeTarget, type Target, type Window } from '../core/target.js';
import { trafficOf } from '../core/traffic.js';
import { verdictLine } from '../core/verdict.js';
import type { Environment } from '../engine.js';
import { BundleRevisions } from '../ledger/bundle-revisions.js';
import type { QuotaState } from '../ledger/errors.js';
import { EvidenceStore } from '../ledger/evidence.js';
import type { HistoryEntry } from '../ledger/history.js';
import type { StoredInvestigation } from '../ledger/investigations.js';
import { createLedger, openLedgerStore, type Ledger } from '../ledger/ledger.js';
import { OnceMarkers } from '../ledger/markers.js';
import { summarizeWeekAt, type WeeklySummary } from '../ledger/weekly-summary.js';
import { createBedrockModelClient, type ModelClient } from '../model/bedrock.js';
import { shortModelName } from '../model/prices.js';
import type { ProgressEvent } from '../sources/runner.js';
import type { Source } from '../sources/types.js';
import type { CapturedCall } from '../core/recording.js';
import type { Recording, RecordingOptions } from './recording/index.js';
import { analyze, type AnalysisResult, type LedgerStep } from './analysis.js';
import { QuotaExceededError } from '../ledger/errors.js';
import { notify, type AppObserver } from './observer.js';
import { countedEstimateFor, estimateFor, type Estimate, type ModelSize } from './estimate.js';
import { openSnapshot } from './ledger-snapshot.js';
import type { WorldOptions } from './world.js';
import { createAlarmDesk, type AlarmDesk } from './alarms/desk.js';
import { ALARM_HISTORY_KEY, type AlarmTrigger } from '../core/alarm.js';

/**
 * firebreak, built once from configuration: the one application every front end (Slack, the
 * terminal, the preview, the bench, the scenario suite) parses into, calls and renders from.
 * It owns choosing the world (AWS or a sandbox), the pipeline (investigate → bundle → estimate →
 * analyze) and every state move; it is the only caller of `ledger/` and of the model client.
 */
export interface FirebreakOptions {
  /** A Bedrock stand-in (tests, bench); absent: Bedrock when `models.enabled`, else none. */
  modelClient?: ModelClient;
  /** The clock for quotas, expiry and summaries; the investigation window uses the world's. */
  now?: () => Date;
  /** Where to read: overrides `config.scenario` / `config.aws` (the CLI's flags). */
  world?: WorldOptions;
  /** CLI only: keep the embedded table in a local snapshot file between runs. */
  snapshot?: boolean;
  /** Metrics and traces (Powertools on Lambda); absent: nothing is recorded. */
  observer?: AppObserver;
}

/** Where an investigation was asked, so any instance can answer a later click in place. */
export interface ConversationRef {
  channel?: string;
  threadTs?: string;
  /** The parent message, when it is not the thread's first (posted in the thread of an alarm it was started from). */
  parentTs?: string;
}

export interface TroubleshootOptions {
  onProgress?: (event: ProgressEvent) => void;
  choices?: BundleChoices;
  /** Record what was read as a replayable scenario (`--record`): the result carries the file's text. */
  record?: RecordingOptions;
  /** Test seam: sources added to the planned set, recorded and described like the built-in ones. */
  extraSources?: readonly Source[];
}

/** What a troubleshoot request resolves to before anything is read. */
export interface Plan {
  target: Target;
  window: Window;
  origin: string;
  /** How a URL, a custom domain or a name became the target ("resolved … → a1b2c3d4e5 / prod via base path mapping"). */
  resolution?: string;
  /** What the person typed, when not an id: their own subject (a custom domain) leads the verdict. */
  given?: string;
}

export interface CurrentBundle {
  bundle: BundleSummary;
  choices: BundleChoices;
  /** 0: the bundle built with the investigation; n: the n-th "Add context" revision. */
  revision: number;
}

export interface Approval {
  investigationId: string;
  /** One per click / CLI "yes": the idempotency key for the approval, the model call and the charge. */
  approvalId: string;
  user: string;
  size: ModelSize;
  /**
   * "Analyze fresh" after an answer served from the cache: skips the answer cache and calls the
   * model for the shown price. Approved from `answered` (the cached answer was posted), and given
   * back to `answered`.
   */
  fresh?: boolean;
}

export type ReviseOutcome = { status: 'committed'; bundle: BundleSummary } | { status: 'not-pending' | 'missing' };

export interface Firebreak {
  readonly config: Config;
  readonly modelEnabled: boolean;
  /** Bundle sections a person may leave out (findings, context and coverage always go). */
  readonly optionalSections: string[];
  now(): Date;
  /** Where reads go: `aws` or `sandbox:<scenario>`, its region and (sandbox) what it is about. */
  world(): Promise<Pick<Environment, 'origin' | 'region' | 'defaults'>>;
  plan(request: TroubleshootRequest): Promise<Plan>;
  /** "Troubleshoot this": the likeliest API a message names that a read-only check says exists. */
  proposeTarget(found: ExtractedTarget): Promise<TargetProposal>;
  /** Sources → coverage → rules, then the bundle with `choices`: zero tokens. */
  troubleshoot(plan: Plan, options?: TroubleshootOptions): Promise<Investigation & { recording?: Recording }>;
  /**
   * Keeps an investigation (report, bundle and evidence) for later clicks on any instance. An
   * alarm's investigation carries its `trigger` and is requested by `alarm:<name>`.
   */
  keep(input: { id: string; requester: string; ref: ConversationRef; investigation: Investigation; choices: BundleChoices; trigger?: AlarmTrigger }): Promise<void>;
  /** Investigations CloudWatch alarms start: episodes, routing, the storm cap (`app/alarms/`). */
  readonly alarms: AlarmDesk<Plan>;
  lookup(id: string): Promise<{ status: 'found'; investigation: StoredInvestigation } | { status: 'expired' | 'missing' }>;
  /** The bundle an approval would send now, or revision `revision` exactly. */
  currentBundle(id: string, revision?: number): Promise<CurrentBundle | undefined>;
  /** Rebuilds the bundle from the stored evidence with new choices, and makes it current while pending. */
  reviseBundle(id: string, choices: BundleChoices): Promise<ReviseOutcome>;
  bundleFor(investigation: Investigation, choices: BundleChoices): Promise<BundleSummary>;
  estimate(bundle: Pick<BundleSummary, 'text'>, size: ModelSize): Estimate;
  /**
   * The same estimate with Bedrock's exact input count (CountTokens) when a Bedrock client is
   * configured; the offline estimate otherwise. `counted` says which; `offlineInputTokens` keeps
   * the offline figure for comparison.
   */
  countedEstimate(bundle: Pick<BundleSummary, 'text'>, size: ModelSize): Promise<Estimate>;
  /** The approval moves: true when this caller won the conditional write. */
  approve(approval: Approval): Promise<boolean>;
  release(approval: Omit<Approval, 'user'>): Promise<boolean>;
  /** `outcome.rootCause` and `outcome.confidence`, when given, go to the requester's history too. */
  markAnswered(id: string, outcome: Record<string, unknown>): Promise<boolean>;
  /**
   * 👍/👎 on an answer, with the real cause when given (redacted like any free text): stored beside
   * the week's spend records, one per answer (the last click wins), counted in the weekly summary.
   */
  recordFeedback(input: { approvalId: string; investigationId: string; user: string; verdict: 'right' | 'wrong'; realCause?: string; answeredAt: string }): Promise<void>;
  /** The requester's last investigations, newest first, with the rules' verdict and any answer (App Home). */
  history(user: string, limit?: number): Promise<HistoryEntry[]>;
  /**
   * cache (exact bundle, then incident fingerprint; skipped when `fresh`) → reserve → call →
   * settle → spend record, idempotent per approval id.
   */
  analyze(approval: Approval & { bundle: BundleSummary; onLedgerError?: (step: LedgerStep, err: unknown) => void }): Promise<AnalysisResult>;
  usage(user: string): Promise<QuotaState>;
  weeklySummary(at: Date, timezone: string): Promise<WeeklySummary>;
  /** At most one running attempt per job (leased), see `ledger/markers.ts`. */
  claimJob(jobId: string, kind: string, leaseSeconds: number): Promise<boolean>;
  settleJob(jobId: string, status: 'done' | 'failed-retryable'): Promise<void>;
  /** At most once per key (weekly summary per week and channel, a delivered request). */
  claimOnce(key: string, keepSeconds: number, details?: Record<string, unknown>): Promise<boolean>;
  releaseOnce(key: string): Promise<void>;
  /** Where the ledger lives, for messages. */
  ledgerLocation(): Promise<string>;
  close(): Promise<void>;
}

/** The instance plus its ledger: tests and the bench may look inside; front ends get `Firebreak`. */
export interface FirebreakInstance extends Firebreak {
  ledger(): Promise<Ledger>;
}

const KEEP_JOB_MARKER_SECONDS = 2 * 86_400;

interface Store {
  ledger: Ledger;
  revisions: BundleRevisions;
  evidence: EvidenceStore;
  markers: OnceMarkers;
  location: string;
  close(): Promise<void>;
}

async function openStore(config: Config, now: () => Date, keepSnapshot: boolean): Promise<Store> {
  const opened = await openLedgerStore({ ...config.ledger, region: config.aws.region });
  const snapshot = keepSnapshot && opened.location.startsWith('embedded') ? await openSnapshot(config, opened.store) : undefined;
  return {
    ledger: createLedger(opened.store, { quota: config.quota, investigationTtlHours: config.ledger.investigationTtlHours, now }),
    revisions: new BundleRevisions(opened.store),
    evidence: new EvidenceStore(opened.store),
    markers: new OnceMarkers(opened.store, now),
    location: snapshot ? `embedded, kept in ${snapshot.path}` : opened.location,
    async close() {
      try {
        await snapshot?.save();
      } finally {
        await opened.close();
      }
    },
  };
}
/** Evidence of the last few investigations, so a click on this instance skips the ledger read. */
const EVIDENCE_CACHE_SIZE = 20;

async function recordingOf(
  investigation: Investigation,
  calls: readonly CapturedCall[],
  window: Window,
  env: Environment,
  options: RecordingOptions,
  extraSources: readonly Source[] = [],
): Promise<Recording> {
  const [{ writeRecording }, { sourcesFor }] = await Promise.all([import('./recording/index.js'), import('../sources/registry.js')]);
  return writeRecording(
    {
      investigation,
      calls,
      // The set the investigation was planned with (its kind's), so each source id records through
      // the step of the source that actually read it (a WebSocket API's VPC links are v1 links).
      sources: [...sourcesFor(investigation.report.target.apiType), ...extraSources],
      window,
      homeAccountId: env.factory.homeAccountId,
      accounts: env.factory.options.accounts ?? [],
      sourceTimeoutMs: env.sourceTimeoutMs ?? 0,
      recordedAt: new Date(),
    },
    options,
  );
}

export async function createFirebreak(config: Config, options: FirebreakOptions = {}): Promise<FirebreakInstance> {
  const now = options.now ?? (() => new Date());
  // Opened on first use: a `--json` run or a bad command never starts the embedded table.
  let opening: Promise<Store> | undefined;
  // A scenario may throttle firebreak's own table too (`dynamodb:` faults): once both the sandbox
  // and the ledger are open, the ledger's client gets them. Neither waits for the other (the
  // Slack ack path opens the ledger and must never load a scenario).
  let ledgerClient: unknown;
  let openedWorld: Environment | undefined;
  let faultsAttached = false;
  const attachLedgerFaults = () => {
    if (faultsAttached || !ledgerClient || !openedWorld?.attachLedgerFaults) return;
    faultsAttached = true;
    openedWorld.attachLedgerFaults(ledgerClient as never);
  };
  const store = () =>
    (opening ??= openStore(config, now, options.snapshot === true).then((opened) => {
      ledgerClient = opened.ledger.store.doc;
      attachLedgerFaults();
      return opened;
    }));
  const modelClient =
    options.modelClient ?? (config.models.enabled ? createBedrockModelClient({ region: config.models.region ?? config.aws.region }) : undefined);
  const recent = new Map<string, Investigation>();
  let world: Promise<Environment> | undefined;
  const environment = () =>
    (world ??= import('./world.js')
      .then(({ openWorld }) => openWorld(options.world ?? {}, config))
      .then((env) => {
        openedWorld = env;
        attachLedgerFaults();
        return env;
      }));
  const observer = options.observer;
  const traced = <T>(segment: 'aws-reads' | 'bedrock', run: () => Promise<T>): Promise<T> => (observer?.trace ? observer.trace(segment, run) : run());

  const remember = (id: string, investigation: Investigation) => {
    recent.delete(id);
    recent.set(id, investigation);
    while (recent.size > EVIDENCE_CACHE_SIZE) recent.delete(recent.keys().next().value as string);
  };

  // The sources describe their own configuration lines; loaded with the sources, on first use.
  let describing: Promise<EvidenceDescriber[]> | undefined;
  const describers = () => (describing ??= import('../sources/registry.js').then(({ allDescribers }) => allDescribers()));

  const bundleFor = async (investigation: Investigation, choices: BundleChoices, extra: readonly EvidenceDescriber[] = []): Promise<BundleSummary> => {
    const budget = (choices.budget ?? config.bundle.budget) as keyof Config['bundle']['budgets'];
    const bundle = buildBundle(investigation, {
      describers: [...(await describers()), ...extra],
      budget,
      budgets: config.bundle.budgets,
      ...(choices.context ? { context: choices.context } : {}),
      ...(choices.sections ? { sections: choices.sections } : {}),
      maskAccountIds: config.bundle.maskAccountIds,
      maskIps: config.bundle.maskIps,
    });
    return { ...bundle, budget };
  };

  /** The investigation as it was collected: this instance's memory, else the ledger. Never AWS. */
  const collected = async (stored: StoredInvestigation): Promise<Investigation> => {
    const cached = recent.get(stored.id);
    if (cached) return cached;
    const evidence = await (await store()).evidence.get(stored.id);
    if (!evidence) throw new Error(`the evidence of investigation ${stored.id} is no longer stored; run /troubleshoot again`);
    const { bundle: _bundle, ...report } = stored.report;
    const investigation = { report, evidence };
    remember(stored.id, investigation);
    return investigation;
  };

  const app: FirebreakInstance = {
    config,
    alarms: createAlarmDesk<Plan>({ config, ledger: async () => (await store()).ledger, environment, plan: (request) => app.plan(request) }),
    ledger: async () => (await store()).ledger,
    modelEnabled: modelClient !== undefined,
    optionalSections: SECTION_ORDER.filter((name) => !PROTECTED_SECTIONS.has(name)),
    ledgerLocation: async () => (await store()).location,
    now,
    async world() {
      const env = await environment();
      return { origin: env.origin, region: env.region, ...(env.defaults ? { defaults: env.defaults } : {}) };
    },
    async plan(asked) {
      const env = await environment();
      // The window first: a window in the future or reversed is refused before any read.
      const now = env.now();
      const problem = windowProblem(resolveWindow(asked, now), now);
      if (problem) throw new WindowError(problem);
      const { checkTarget } = await import('./check-target.js');
      const { request, resolution, apiType } = await checkTarget(asked, env);
      const target = requestToTarget(request, env.region);
      // A scenario's `stage:` is its default stage when its own API is asked about without one.
      const defaultStage = !target.stage && env.defaults?.stage && env.defaults.restApiId === target.restApiId ? env.defaults.stage : undefined;
      // A recording's own window (one other than the default 2 h) when its API is asked about without one.
      const ownWindow =
        env.defaults?.window && env.defaults.restApiId === target.restApiId && request.since === undefined && request.until === undefined && request.untilAgoMs === undefined && request.sinceMs === DEFAULT_WINDOW_MS
          ? env.defaults.window
          : undefined;
      return {
        target: { ...target, ...(defaultStage ? { stage: defaultStage } : {}), ...(apiType ? { apiType } : {}) },
        window: ownWindow ?? resolveWindow(request, now),
        origin: env.origin,
        ...(resolution ? { resolution } : {}),
        ...(asked.given ? { given: asked.given } : {}),
      };
    },
    async proposeTarget(found) {
      const { proposeTarget } = await import('./check-target.js');
      return proposeTarget(found, await environment());
    },
    async troubleshoot(plan, { onProgress, choices = {}, record, extraSources } = {}) {
      const { investigate } = await import('../engine.js');
      const env = await environment();
      const calls: CapturedCall[] = [];
      const investigation = await traced('aws-reads', () =>
        investigate(plan.target, plan.window, env, {
          ...(onProgress ? { onProgress } : {}),
          concurrency: config.runner.concurrency,
          sourceTimeoutMs: config.runner.sourceTimeoutMs,
          deadlineMs: config.runner.deadlineMs,
          limits: {
            maxItems: config.runner.maxItems,
            logsInsights: config.runner.logsInsights,
            maxInsightsBytes: config.runner.maxInsightsBytes,
          },
          ...(extraSources ? { extraSources } : {}),
          ...(record ? { capture: (call: CapturedCall) => void calls.push(call) } : {}),
        }),
      );
      notify(() => observer?.investigated?.(investigation, plan.origin));
      // The recording reads the evidence as it came (its kept lines are found among the raw
      // answers), then passes the whole file through the egress boundary itself.
      const recording = record ? await recordingOf(investigation, calls, plan.window, { ...env, sourceTimeoutMs: env.sourceTimeoutMs ?? config.runner.sourceTimeoutMs }, record, extraSources) : undefined;
      // The egress boundary (bundle/egress.ts): what leaves the engine is redacted once, here, so
      // every front end, the stored evidence and every rebuilt bundle only ever see redacted text.
      const safe = redactInvestigation(investigation);
      const { report } = safe;
      const extra = extraSources ? (await import('../sources/registry.js')).describersOf(extraSources) : [];
      const traffic = trafficOf({ evidence: safe.evidence, findings: report.findings, window: report.window, ...(report.target.stage ? { stage: report.target.stage } : {}) });
      return {
        ...safe,
        report: {
          ...report,
          ...(plan.resolution ? { resolution: plan.resolution } : {}),
          // What the person typed is egress like everything else (a pasted URL can carry a token).
          ...(plan.given ? { given: redactText(plan.given) } : {}),
          ...(traffic ? { traffic } : {}),
          bundle: await bundleFor(safe, choices, extra),
        },
        ...(recording ? { recording } : {}),
      };
    },
    async keep({ id, requester, ref, investigation, choices, trigger }) {
      const { ledger, evidence } = await store();
      // Nothing half-written: evidence too large to keep is refused before anything is stored, and
      // the evidence is written before the investigation that points at it (App Home lists only
      // investigations whose evidence any instance can read back).
      const packed = await evidence.pack(id, investigation.evidence);
      await evidence.write(packed, Math.floor(now().getTime() / 1000) + config.ledger.investigationTtlHours * 3_600 + 60);
      const stored = await ledger.investigations.create({ id, requester, ref, report: investigation.report, bundleOptions: { ...choices }, ...(trigger ? { trigger } : {}) });
      const entry = {
        investigationId: id,
        at: stored.createdAt,
        target: describeTarget(investigation.report.target),
        verdict: verdictLine(investigation.report),
        ...(ref.channel ? { channel: ref.channel } : {}),
        ...((ref.parentTs ?? ref.threadTs) ? { threadTs: ref.parentTs ?? ref.threadTs } : {}),
      };
      await ledger.history.record(requester, entry);
      // Everyone's App Home lists what alarms started: nobody in particular asked.
      if (trigger) await ledger.history.record(ALARM_HISTORY_KEY, entry);
      remember(id, investigation);
      const bundle = investigation.report.bundle;
      const at = now().toISOString();
      if (trigger) await ledger.spend.recordEvent({ kind: 'started_by_alarm', user: requester, investigationId: id, at });
      if (investigation.report.findings.some((f) => !f.inconclusive && (f.severity === 'critical' || f.severity === 'high'))) {
        await ledger.spend.recordEvent({ kind: 'closed_by_rules', user: requester, investigationId: id, tokensCollected: bundle?.rawTokens ?? 0, at, ...(trigger ? { startedBy: 'alarm' as const } : {}) });
      }
    },
    lookup: async (id) => (await store()).ledger.investigations.lookup(id),
    async currentBundle(id, revision) {
      const { ledger, revisions } = await store();
      const stored = await ledger.investigations.get(id);
      if (!stored) return undefined;
      const number = revision ?? stored.revision ?? 0;
      const revised = number > 0 ? await revisions.get(id, number) : undefined;
      if (number > 0 && !revised) throw new Error(`bundle revision ${number} of investigation ${id} is missing`);
      const bundle = revised?.bundle ?? stored.bundle;
      if (!bundle) return undefined;
      return { bundle, choices: revised?.choices ?? (stored.bundleOptions as BundleChoices), revision: number };
    },
    async reviseBundle(id, asked) {
      // The context is kept redacted: the modal shows it back, and the stored choices are egress too.
      const choices = asked.context ? { ...asked, context: redactText(asked.context) } : asked;
      const { ledger, revisions } = await store();
      const found = await ledger.investigations.lookup(id);
      if (found.status !== 'found') return { status: 'missing' };
      if (found.investigation.state !== 'pending') return { status: 'not-pending' };
      const bundle = await bundleFor(await collected(found.investigation), choices);
      const expiresAt = Math.floor(Date.parse(found.investigation.expiresAt) / 1000);
      // DynamoDB Local has no transactions: the revision is its own write-once item, then made
      // current by a conditional write on the item the approval moves, so it lands before the
      // approval (and is sent) or not at all. Two edits at once each take the next number.
      for (let attempt = 0; attempt < 3; attempt++) {
        const base = await revisions.current(id);
        if (!(await revisions.put(id, base + 1, { choices, bundle }, expiresAt))) continue;
        const outcome = await ledger.investigations.commitRevision(id, base, base + 1);
        if (outcome === 'committed') return { status: 'committed', bundle };
        if (outcome !== 'moved') return { status: outcome };
      }
      throw new Error('the bundle kept changing under this edit; submit it again');
    },
    bundleFor,
    estimate: (bundle, size) => estimateFor(bundle, size, config),
    async countedEstimate(bundle, size) {
      const estimate = await countedEstimateFor(bundle, size, config, modelClient);
      if (estimate.offlineInputTokens !== undefined) notify(() => observer?.estimateChecked?.(estimate.offlineInputTokens!, estimate.inputTokens));
      return estimate;
    },
    async approve({ investigationId, approvalId, user, size, fresh }) {
      const { investigations } = (await store()).ledger;
      // A fresh analysis follows an answer, like asking the larger model: answered → approved.
      return size === 'small' && !fresh ? investigations.approve(investigationId, user, approvalId) : investigations.approveLarge(investigationId, user, approvalId);
    },
    release: async ({ investigationId, approvalId, size, fresh }) =>
      (await store()).ledger.investigations.release(investigationId, approvalId, size === 'small' && !fresh ? 'pending' : 'answered'),
    async markAnswered(id, outcome) {
      const { ledger } = await store();
      const moved = await ledger.investigations.markAnswered(id, outcome);
      if (typeof outcome.rootCause === 'string') {
        const stored = await ledger.investigations.get(id);
        if (stored) await ledger.history.answered(stored.requester, stored.createdAt, id, { rootCause: outcome.rootCause, confidence: String(outcome.confidence ?? '') });
      }
      return moved;
    },
    async recordFeedback(input) {
      const { ledger } = await store();
      const { realCause: note, ...rest } = input;
      const realCause = note?.trim() ? redactText(note.trim().slice(0, 2_000)) : undefined;
      await ledger.spend.recordFeedback({ ...rest, ...(realCause ? { realCause } : {}), at: now().toISOString() });
    },
    history: async (user, limit) => (await store()).ledger.history.recent(user, limit),
    async analyze({ investigationId, approvalId, user, bundle, size, fresh, onLedgerError }) {
      if (!modelClient) throw new Error('no model is configured (set FIREBREAK_BEDROCK_ENABLED=true)');
      const { small, large, lite, autoEscalate } = config.models;
      const ledger = (await store()).ledger;
      const run = () => analyze({
        investigationId,
        approvalId,
        user,
        bundle,
        model: size,
        client: modelClient,
        ledger,
        routing: { small, large, autoEscalate, ...(lite ? { lite } : {}) },
        maxTokens: config.models.maxTokens,
        temperature: config.models.temperature,
        fingerprintFreshnessMinutes: config.cache.fingerprintFreshnessMinutes,
        ...(fresh ? { fresh: true } : {}),
        now,
        ...(onLedgerError ? { onLedgerError } : {}),
      });
      try {
        const result = await traced('bedrock', run);
        notify(() => observer?.analyzed?.(result));
        return result;
      } catch (err) {
        if (err instanceof QuotaExceededError) notify(() => observer?.quotaRefused?.());
        throw err;
      }
    },
    usage: async (user) => (await store()).ledger.quota.usage(user),
    async weeklySummary(at, timezone) {
      const summary = await summarizeWeekAt((await store()).ledger.spend, at, timezone);
      // Display names: raw inference-profile ids break a phone's column and mean little to people.
      const budget = config.models.monthlyBudgetUsd;
      return {
        ...summary,
        perModel: summary.perModel.map((line) => ({ ...line, name: shortModelName(line.name) })),
        ...(budget ? { monthlyBudgetUsd: budget } : {}),
      };
    },
    claimJob: async (jobId, kind, leaseSeconds) => (await store()).markers.claimLease(`JOB#${jobId}`, { leaseSeconds, keepSeconds: KEEP_JOB_MARKER_SECONDS }, { kind }),
    settleJob: async (jobId, status) => (await store()).markers.settleLease(`JOB#${jobId}`, status),
    claimOnce: async (key, keepSeconds, details) => (await store()).markers.claim(key, keepSeconds, details),
    releaseOnce: async (key) => (await store()).markers.release(key),
    async close() {
      // A ledger that never opened (its start failed) has nothing to close.
      const opened = await opening?.catch(() => undefined);
      await opened?.close();
    },
  };
  return app;
}
