import { dayKey, isoWeek, previousIsoWeek } from './day.js';
import type { LedgerEvent, SpendLog, SpendRecord, WeekSpend } from './spend.js';

/**
 * The weekly spend summary, computed from one week's spend records and events (a Query each,
 * never a Scan): what Slack posts and `firebreak spend` prints.
 */
export interface SpendLine {
  name: string;
  costUsd: number;
  tokens: number;
  /** Model calls (paid): the same count as the summary's `calls`. */
  calls: number;
  /** Answers served from the cache (0 tokens, $0), counted apart so the two figures add up. */
  cached?: number;
}

export interface WeeklySummary {
  /** ISO week, e.g. `2026-W48`. */
  week: string;
  previousWeek: string;
  costUsd: number;
  previousCostUsd: number;
  tokens: number;
  calls: number;
  perUser: SpendLine[];
  perModel: SpendLine[];
  quotaHits: number;
  /** Every cache hit, exact and by fingerprint. */
  cacheHits: number;
  /** What the cache hits would have cost (both kinds). */
  savedUsd: number;
  /** Of `cacheHits`, those served by incident fingerprint (the same incident at another moment). */
  fingerprintHits: number;
  /** What the fingerprint hits saved: the tokens and dollars of the calls they reused. */
  fingerprintSavedTokens: number;
  fingerprintSavedUsd: number;
  /** Investigations a rule answered (conclusive high/critical finding) with no model call. */
  closedByRules: number;
  /** Tokens those investigations would have sent had everything collected been pasted. */
  rulesTokensAvoided: number;
  /** Tokens collected minus tokens sent, over the week's analyses: what pruning saved. */
  tokensAvoided: number;
  /** One entry per day of the week, Monday first (`2026-11-23`). */
  daily: { day: string; costUsd: number }[];
  /** The AWS Budgets monthly threshold on Bedrock cost, when one is deployed. */
  monthlyBudgetUsd?: number;
  /** Investigations CloudWatch alarms started, and how many of those a rule closed (0 tokens). */
  alarms?: { started: number; closedByRules: number };
  /** Answers of the week (model calls and cache hits) and how people marked them (👍/👎). */
  answers?: { total: number; right: number; wrong: number };
}

/** The seven days (`yyyy-mm-dd`, Monday first) of an ISO week such as `2026-W48`. */
export function daysOfIsoWeek(week: string): string[] {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) throw new Error(`not an ISO week: ${week}`);
  const year = Number(match[1]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() || 7) - 1) + (Number(match[2]) - 1) * 7);
  return Array.from({ length: 7 }, (_, i) => new Date(monday + i * 86_400_000).toISOString().slice(0, 10));
}

function tokensOf(record: SpendRecord): number {
  return record.inputTokens + record.outputTokens + record.cacheReadTokens + record.cacheWriteTokens;
}

function group(records: SpendRecord[], key: (r: SpendRecord) => string): SpendLine[] {
  const lines = new Map<string, SpendLine>();
  for (const record of records) {
    const name = key(record);
    const line = lines.get(name) ?? { name, costUsd: 0, tokens: 0, calls: 0 };
    line.costUsd += record.costUsd;
    if (record.cacheHit) line.cached = (line.cached ?? 0) + 1;
    else {
      line.tokens += tokensOf(record);
      line.calls += 1;
    }
    lines.set(name, line);
  }
  return [...lines.values()];
}

function count(events: LedgerEvent[], kind: LedgerEvent['kind']): number {
  return events.filter((e) => e.kind === kind).length;
}

/**
 * Aggregates a week of spend records and events. A cache hit costs nothing; what it saved is
 * priced at the week's average cost per token of real calls to the same model.
 */
export function computeWeeklySummary(current: WeekSpend, previous: WeekSpend, dayOf: (iso: string) => string): WeeklySummary {
  const paid = current.spend.filter((r) => !r.cacheHit);
  const hits = current.spend.filter((r) => r.cacheHit);
  const perModel = group(paid, (r) => r.model);
  // A hit that recorded what it reused saved exactly that; older records are priced at the
  // week's average cost per token of real calls to the same model.
  const saved = (hit: SpendRecord): number => {
    if (hit.savedUsd !== undefined) return hit.savedUsd;
    const model = perModel.find((m) => m.name === hit.model);
    const perToken = model && model.tokens > 0 ? model.costUsd / model.tokens : 0;
    return perToken * tokensOf(hit);
  };
  const savedUsd = hits.reduce((sum, hit) => sum + saved(hit), 0);
  const fingerprintHits = hits.filter((r) => r.cacheKind === 'fingerprint');
  // "Closed by the rules" means no model was asked: an investigation later analysed is not one.
  const analysed = new Set(current.spend.map((r) => r.investigationId));
  const closed = current.events.filter((e) => e.kind === 'closed_by_rules' && !(e.investigationId && analysed.has(e.investigationId)));
  const daily = daysOfIsoWeek(current.week).map((day) => ({
    day,
    costUsd: current.spend.filter((r) => dayOf(r.at) === day).reduce((sum, r) => sum + r.costUsd, 0),
  }));
  return {
    week: current.week,
    previousWeek: previous.week,
    costUsd: current.spend.reduce((sum, r) => sum + r.costUsd, 0),
    previousCostUsd: previous.spend.reduce((sum, r) => sum + r.costUsd, 0),
    tokens: paid.reduce((sum, r) => sum + tokensOf(r), 0),
    calls: paid.length,
    perUser: group(current.spend, (r) => r.user),
    perModel: group(current.spend, (r) => r.model),
    quotaHits: count(current.events, 'quota_hit'),
    cacheHits: hits.length,
    savedUsd,
    fingerprintHits: fingerprintHits.length,
    fingerprintSavedTokens: fingerprintHits.reduce((sum, r) => sum + (r.savedTokens ?? 0), 0),
    fingerprintSavedUsd: fingerprintHits.reduce((sum, hit) => sum + saved(hit), 0),
    closedByRules: closed.length,
    rulesTokensAvoided: closed.reduce((sum, e) => sum + (e.tokensCollected ?? 0), 0),
    tokensAvoided: current.spend.reduce((sum, r) => sum + Math.max(0, r.tokensCollected - r.tokensSent), 0),
    daily,
    alarms: {
      started: count(current.events, 'started_by_alarm'),
      closedByRules: current.events.filter((e) => e.kind === 'closed_by_rules' && e.startedBy === 'alarm').length,
    },
    answers: {
      total: current.spend.length,
      right: (current.feedback ?? []).filter((f) => f.verdict === 'right').length,
      wrong: (current.feedback ?? []).filter((f) => f.verdict === 'wrong').length,
    },
  };
}

/** The summary of the ISO week holding `at` (in `timezone`), compared with the week before. */
export async function summarizeWeekAt(spend: Pick<SpendLog, 'spendForWeek'>, at: Date, timezone: string): Promise<WeeklySummary> {
  const [current, previous] = await Promise.all([spend.spendForWeek(isoWeek(at, timezone)), spend.spendForWeek(previousIsoWeek(at, timezone))]);
  return computeWeeklySummary(current, previous, (iso) => dayKey(new Date(iso), timezone));
}
