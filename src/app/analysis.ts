import { createHash } from 'node:crypto';
import type { BundleSummary } from '../core/report.js';
import { answerCacheKey, fingerprintIndexKey } from '../ledger/cache.js';
import { QuotaExceededError, type QuotaState } from '../ledger/errors.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Answer } from '../model/answer.js';
import { callModel, estimateInputTokens, type ModelCallResult, type ModelClient, type RetryOptions } from '../model/bedrock.js';
import { ModelCallError, ModelOutputError } from '../model/errors.js';
import { estimateCostUsd, type ModelPrice } from '../model/prices.js';
import { PROMPT_VERSION } from '../model/prompt.js';
import { chooseModel, DEFAULT_ROUTING, liteModel, shouldEscalate, type ModelChoice, type ModelRouting, type ModelTier } from '../model/router.js';
import { addUsage, chargedTokens, ZERO_USAGE, type ModelUsage } from '../model/usage.js';

export const DEFAULT_MAX_TOKENS = 1_500;
/** How long an answer serves the same incident fingerprint by default (`cache.fingerprintFreshnessMinutes`). */
export const DEFAULT_FINGERPRINT_FRESHNESS_MINUTES = 60;
/** How long cache entries are kept at least (TTL is clean-up only; reads check freshness). */
const CACHE_KEEP_SECONDS = 6 * 3_600;
export const DEFAULT_TEMPERATURE = 0.2;

/** Ledger writes made after a paid call: their failure is reported, not thrown. */
export type LedgerStep = 'settle' | 'spend' | 'cache' | 'approval';

export interface AnalyzeOptions {
  routing?: ModelRouting;
  maxTokens?: number;
  /** maxTokens for the lite fallback: smaller, so it can fit what is left of a quota. */
  liteMaxTokens?: number;
  temperature?: number;
  priceOverrides?: Record<string, ModelPrice>;
  retry?: RetryOptions;
  now?: () => Date;
  /** Minutes an answer serves a request with the same incident fingerprint; 0: never. */
  fingerprintFreshnessMinutes?: number;
  /**
   * Called when bookkeeping after a successful call fails (settle, spend record, cache). The
   * answer is still returned: the user paid for it, and an unsettled reservation only leaves the
   * estimate charged, which errs on the safe side.
   */
  onLedgerError?: (step: LedgerStep, err: unknown) => void;
}

export interface AnalyzeInput extends AnalyzeOptions {
  investigationId: string;
  /** One per approval (click, CLI "yes"): the idempotency key for the call and the charge. */
  approvalId: string;
  user: string;
  bundle: BundleSummary;
  /** What the person added before approving; the caller redacts it. Part of the cache key. */
  addedContext?: string;
  model?: 'small' | 'large';
  /** A fresh analysis: skip both cache steps and call the model (the "Analyze fresh" choice). */
  fresh?: boolean;
  ledger: Pick<Ledger, 'quota' | 'cache' | 'spend' | 'approvals'>;
  client: ModelClient;
}

export interface AnalysisResult {
  answer: Answer;
  truncated: boolean;
  /** Tokens of every model call this analysis made (zero on a cache hit). */
  usage: ModelUsage;
  costUsd: number;
  /** Model id that produced the answer. */
  model: string;
  tier: ModelTier;
  cacheHit: boolean;
  /** Which cache step served it, on a hit. */
  cacheKind?: 'exact' | 'fingerprint';
  /** On a fingerprint hit: whose earlier answer this is, how old, and how the errors moved since. */
  reused?: ReusedAnswer;
  /** The small model was unsure and the large one answered instead. */
  escalated: boolean;
  quota: QuotaState;
  /** True when this result was stored by an earlier call with the same approvalId. */
  replayed: boolean;
}

/** An earlier answer to the same incident (same fingerprint), served again at no cost. */
export interface ReusedAnswer {
  askedBy: string;
  /** ISO instant of the earlier answer. */
  askedAt: string;
  ageMinutes: number;
  investigationId: string;
  /** The error count of the earlier bundle and of this one. */
  errorCountThen: number;
  errorCountNow: number;
  /** What the earlier call cost: not spent again. */
  savedTokens: number;
  savedUsd: number;
}

/** Another call with the same approvalId is running: nothing was called or charged here. */
export class AnalysisInProgressError extends Error {
  override name = 'AnalysisInProgressError';
  constructor(readonly approvalId: string) {
    super(`analysis for approval ${approvalId} is already in progress`);
  }
}

/** The analysis failed after reserving; the reservation was refunded, so the user paid nothing. */
export class AnalysisFailedError extends Error {
  override name = 'AnalysisFailedError';
  constructor(
    message: string,
    readonly approvalId: string,
    readonly refundedTokens: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The analysis, once a person approved sending the bundle (called through `Firebreak.analyze`):
 * cache → reserve → call → settle → spend record, idempotent per approvalId.
 *
 * - A cache hit costs nothing and is still recorded (as a hit): the exact bundle first, then the
 *   incident fingerprint within its freshness limit (docs/answer-cache.md); `fresh` skips both.
 * - Over quota: QuotaExceededError, unless a lite model is configured and its smaller
 *   reservation fits what is left.
 * - Any failure after reserving refunds the reservation and throws AnalysisFailedError.
 * - A second call with the same approvalId returns the stored result (or
 *   AnalysisInProgressError while the first runs): the model is never called or charged twice.
 */
export async function analyze(input: AnalyzeInput): Promise<AnalysisResult> {
  const { ledger, approvalId } = input;
  const claim = await ledger.approvals.claim<AnalysisResult>(approvalId, { investigationId: input.investigationId, user: input.user });
  if (claim !== 'claimed') {
    if (claim.status === 'done') return { ...claim.result, replayed: true };
    if (claim.status === 'in_progress') throw new AnalysisInProgressError(approvalId);
    throw new AnalysisFailedError(`this approval already failed: ${claim.error}`, approvalId, 0);
  }
  let result: AnalysisResult;
  try {
    result = await runAnalysis(input);
  } catch (err) {
    await ledger.approvals.fail(approvalId, (err as Error).message).catch(() => undefined);
    throw err;
  }
  await bookkeeping(input, 'approval', () => ledger.approvals.complete(approvalId, result));
  return result;
}

async function runAnalysis(input: AnalyzeInput): Promise<AnalysisResult> {
  const { ledger, bundle, user } = input;
  const now = input.now ?? (() => new Date());
  const routing = input.routing ?? DEFAULT_ROUTING;
  const maxTokens = input.maxTokens ?? DEFAULT_MAX_TOKENS;
  let choice = chooseModel(routing, input.model);
  // Cached under the model asked for, so an escalated or lite answer serves the same request next time.
  const cacheKey = cacheKeyFor(input, choice.modelId);

  if (!input.fresh) {
    const cached = (await ledger.cache.get<AnalysisResult>(cacheKey))?.value;
    if (cached) {
      await recordSpend(input, choice.modelId, ZERO_USAGE, 0, true, now(), { cacheKind: 'exact', savedTokens: totalTokens(cached.usage), savedUsd: cached.costUsd });
      return { ...cached, usage: ZERO_USAGE, costUsd: 0, cacheHit: true, cacheKind: 'exact', replayed: false, quota: await ledger.quota.usage(user) };
    }
    const reused = await fingerprintHit(input, routing, now());
    if (reused) return reused;
  }

  const inputTokens = estimateInputTokens(bundle.text, input.addedContext);
  let callMaxTokens = maxTokens;
  try {
    await ledger.quota.reserve(user, inputTokens + maxTokens, { reservationId: input.approvalId });
  } catch (err) {
    if (!(err instanceof QuotaExceededError)) throw err;
    const lite = liteModel(routing, choice);
    const liteMaxTokens = input.liteMaxTokens ?? Math.floor(maxTokens / 2);
    const fitsLite = lite && err.limit - err.used >= inputTokens + liteMaxTokens;
    if (!lite || !fitsLite) {
      await ledger.spend.recordEvent({ kind: 'quota_hit', user, investigationId: input.investigationId, at: now().toISOString() });
      throw err;
    }
    // A concurrent reservation can still take the room: then this throws QuotaExceededError too.
    await ledger.quota.reserve(user, inputTokens + liteMaxTokens, { reservationId: input.approvalId });
    choice = lite;
    callMaxTokens = liteMaxTokens;
  }

  const first = await callAndSettle(input, choice, input.approvalId, callMaxTokens, now);
  let final = { choice, call: first.call };
  let usage = first.call.usage;
  let costUsd = first.costUsd;
  let escalated = false;

  if (shouldEscalate(routing, choice, first.call.answer, first.call.truncated)) {
    const large = chooseModel(routing, 'large');
    const second = await escalate(input, large, maxTokens, now);
    if (second) {
      final = { choice: large, call: second.call };
      usage = addUsage(usage, second.call.usage);
      costUsd = roundUsd(costUsd + second.costUsd);
      escalated = true;
    }
  }

  const result: AnalysisResult = {
    answer: final.call.answer,
    truncated: final.call.truncated,
    usage,
    costUsd,
    model: final.choice.modelId,
    tier: final.choice.tier,
    cacheHit: false,
    escalated,
    quota: await ledger.quota.usage(user),
    replayed: false,
  };
  // A truncated or lite answer is not worth serving again to the next person who asks.
  if (!result.truncated && final.choice.tier !== 'lite') {
    await bookkeeping(input, 'cache', () => ledger.cache.put(cacheKey, result));
    const indexKey = fingerprintKeyFor(input);
    if (indexKey) {
      // Indexed under the model that answered: an escalated answer is the large model's.
      const keepSeconds = Math.max(CACHE_KEEP_SECONDS, freshnessMinutes(input) * 60);
      await bookkeeping(input, 'cache', () =>
        ledger.cache.putFingerprint(indexKey, { value: result, modelId: final.choice.modelId, askedBy: user, investigationId: input.investigationId, errorCount: bundle.errorCount ?? 0 }, keepSeconds),
      );
    }
  }
  return result;
}

const freshnessMinutes = (input: AnalyzeInput): number => input.fingerprintFreshnessMinutes ?? DEFAULT_FINGERPRINT_FRESHNESS_MINUTES;

/**
 * The second cache step: an answer to the same incident fingerprint, stored within the freshness
 * limit, by the model asked for or a larger one (a small model's answer never serves a request
 * for the large one). Free, and recorded as a fingerprint hit with what it saved.
 */
async function fingerprintHit(input: AnalyzeInput, routing: ModelRouting, at: Date): Promise<AnalysisResult | undefined> {
  const indexKey = fingerprintKeyFor(input);
  const minutes = freshnessMinutes(input);
  if (!indexKey || minutes <= 0) return undefined;
  const acceptable = input.model === 'large' ? [routing.large] : [routing.small, routing.large];
  const entries = await input.ledger.cache.findByFingerprint<AnalysisResult>(indexKey, new Date(at.getTime() - minutes * 60_000));
  const entry = entries.find((e) => acceptable.includes(e.modelId));
  if (!entry) return undefined;
  const earlier = entry.value;
  const reused: ReusedAnswer = {
    askedBy: entry.askedBy,
    askedAt: entry.askedAt,
    ageMinutes: Math.max(0, Math.round((at.getTime() - Date.parse(entry.askedAt)) / 60_000)),
    investigationId: entry.investigationId,
    errorCountThen: entry.errorCount,
    errorCountNow: input.bundle.errorCount ?? 0,
    savedTokens: totalTokens(earlier.usage),
    savedUsd: earlier.costUsd,
  };
  await recordSpend(input, entry.modelId, ZERO_USAGE, 0, true, at, { cacheKind: 'fingerprint', savedTokens: reused.savedTokens, savedUsd: reused.savedUsd });
  return {
    ...earlier,
    usage: ZERO_USAGE,
    costUsd: 0,
    cacheHit: true,
    cacheKind: 'fingerprint',
    reused,
    replayed: false,
    quota: await input.ledger.quota.usage(input.user),
  };
}

/** The fingerprint index key: the bundle's fingerprint, any context passed beside it, the prompt. */
function fingerprintKeyFor(input: AnalyzeInput): string | undefined {
  const fingerprint = input.bundle.fingerprint;
  if (!fingerprint) return undefined;
  const context = input.addedContext?.trim();
  return fingerprintIndexKey(context ? createHash('sha256').update(`${fingerprint}\n${context}`).digest('hex') : fingerprint, PROMPT_VERSION);
}

const totalTokens = (usage: ModelUsage): number => usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;

/** One model call against an existing reservation: settle on success, refund and explain on failure. */
async function callAndSettle(
  input: AnalyzeInput,
  choice: ModelChoice,
  reservationId: string,
  maxTokens: number,
  now: () => Date,
): Promise<{ call: ModelCallResult; costUsd: number }> {
  let call: ModelCallResult;
  try {
    call = await callModel(
      input.client,
      {
        modelId: choice.modelId,
        bundleText: input.bundle.text,
        ...(input.addedContext ? { addedContext: input.addedContext } : {}),
        maxTokens,
        temperature: input.temperature ?? DEFAULT_TEMPERATURE,
        requestMetadata: { user: input.user, investigationId: input.investigationId },
      },
      input.retry,
    );
  } catch (err) {
    // A refund the table refuses (throttled past its retries) must not hide why the call failed:
    // the reservation stays open and the next reservation of this user repairs it (QuotaLedger.repair).
    const refunded = await input.ledger.quota.refund(reservationId).catch((refundErr: unknown) => {
      input.onLedgerError?.('settle', refundErr);
      return undefined;
    });
    // Bedrock bills a malformed answer; the user does not pay for it, but the spend record keeps the cost.
    if (err instanceof ModelOutputError) {
      await bookkeeping(input, 'spend', () => recordSpend(input, choice.modelId, err.usage, estimateCostUsd(err.usage, choice.modelId, input.priceOverrides), false, now()));
    }
    const given = refunded ? `nothing was charged (the ${refunded.tokens} reserved tokens were refunded)` : 'nothing will be charged (the ledger’s repair gives the reserved tokens back)';
    throw new AnalysisFailedError(`${describeFailure(err)}; ${given}`, input.approvalId, refunded?.tokens ?? 0, { cause: err });
  }
  const costUsd = estimateCostUsd(call.usage, choice.modelId, input.priceOverrides);
  await bookkeeping(input, 'settle', () => input.ledger.quota.settle(reservationId, chargedTokens(call.usage)));
  await bookkeeping(input, 'spend', () => recordSpend(input, choice.modelId, call.usage, costUsd, false, now()));
  return { call, costUsd };
}

/** Runs a post-call ledger write; its failure is reported, never allowed to lose a paid answer. */
async function bookkeeping(input: AnalyzeInput, step: LedgerStep, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    input.onLedgerError?.(step, err);
  }
}

/** Second opinion from the large model; undefined (keep the first answer) if it cannot be had. */
async function escalate(input: AnalyzeInput, large: ModelChoice, maxTokens: number, now: () => Date): Promise<{ call: ModelCallResult; costUsd: number } | undefined> {
  const reservationId = `${input.approvalId}#escalation`;
  try {
    await input.ledger.quota.reserve(input.user, estimateInputTokens(input.bundle.text, input.addedContext) + maxTokens, { reservationId });
  } catch (err) {
    if (err instanceof QuotaExceededError) return undefined;
    throw err;
  }
  try {
    return await callAndSettle(input, large, reservationId, maxTokens, now);
  } catch (err) {
    if (err instanceof AnalysisFailedError) return undefined;
    throw err;
  }
}

function describeFailure(err: unknown): string {
  if (err instanceof ModelCallError) {
    const what = {
      throttled: 'Bedrock is throttling requests',
      unavailable: 'Bedrock is unavailable',
      denied: 'access to the model was denied',
      invalid_request: 'Bedrock rejected the request',
      not_found: 'the model was not found',
      unknown: 'the model call failed',
    }[err.kind];
    return `${what} (${err.attempts} attempt${err.attempts === 1 ? '' : 's'}: ${err.message})`;
  }
  if (err instanceof ModelOutputError) return `the model's answer could not be read (${err.message})`;
  return `the analysis failed (${(err as Error).message})`;
}

function cacheKeyFor(input: AnalyzeInput, modelId: string): string {
  // Added context changes the answer, so it is part of what the cache matches on.
  const bundleKey = input.addedContext?.trim()
    ? createHash('sha256').update(`${input.bundle.sha256}\n${input.addedContext.trim()}`).digest('hex')
    : input.bundle.sha256;
  return answerCacheKey(bundleKey, modelId, PROMPT_VERSION);
}

async function recordSpend(
  input: AnalyzeInput,
  model: string,
  usage: ModelUsage,
  costUsd: number,
  cacheHit: boolean,
  at: Date,
  hit?: { cacheKind: 'exact' | 'fingerprint'; savedTokens: number; savedUsd: number },
): Promise<void> {
  await input.ledger.spend.record({
    user: input.user,
    model,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    costUsd,
    cacheHit,
    ...(hit ?? {}),
    tokensCollected: input.bundle.rawTokens,
    tokensSent: cacheHit ? 0 : input.bundle.tokens,
    investigationId: input.investigationId,
    at: at.toISOString(),
  });
}

const roundUsd = (usd: number): number => Math.round(usd * 1_000_000) / 1_000_000;
