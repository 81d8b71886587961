import type { SpendRecord, WeekSpend } from './spend.js';

export interface SpendTotals {
  calls: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

export interface WeekSummary {
  week: string;
  totals: SpendTotals;
  byUser: ({ user: string } & SpendTotals)[];
  byModel: ({ model: string } & SpendTotals)[];
  /** Tokens collected vs tokens actually sent, over model calls (not cache hits). */
  tokensCollected: number;
  tokensSent: number;
  /** Cost the cache hits avoided, priced at the average cost of a real call to the same model. */
  cacheSavedUsd: number;
  closedByRules: number;
  /** Tokens that pasting everything would have sent for the investigations rules closed. */
  closedByRulesTokensAvoided: number;
  quotaHits: number;
}

const emptyTotals = (): SpendTotals => ({ calls: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0 });

function add(totals: SpendTotals, record: SpendRecord): void {
  if (record.cacheHit) totals.cacheHits += 1;
  else totals.calls += 1;
  totals.inputTokens += record.inputTokens;
  totals.outputTokens += record.outputTokens;
  totals.cacheReadTokens += record.cacheReadTokens;
  totals.cacheWriteTokens += record.cacheWriteTokens;
  totals.costUsd = Math.round((totals.costUsd + record.costUsd) * 1_000_000) / 1_000_000;
}

function bucket(map: Map<string, SpendTotals>, key: string): SpendTotals {
  let totals = map.get(key);
  if (!totals) {
    totals = emptyTotals();
    map.set(key, totals);
  }
  return totals;
}

const bySpendDesc = (a: SpendTotals, b: SpendTotals): number => b.costUsd - a.costUsd || b.calls - a.calls;

/** Pure aggregation of one week's records, for the weekly Slack summary and `firebreak spend --week`. */
export function summarizeWeek(week: WeekSpend): WeekSummary {
  const totals = emptyTotals();
  const users = new Map<string, SpendTotals>();
  const models = new Map<string, SpendTotals>();
  let tokensCollected = 0;
  let tokensSent = 0;
  for (const record of week.spend) {
    add(totals, record);
    add(bucket(users, record.user), record);
    add(bucket(models, record.model), record);
    if (!record.cacheHit) {
      tokensCollected += record.tokensCollected;
      tokensSent += record.tokensSent;
    }
  }
  let cacheSavedUsd = 0;
  for (const model of models.values()) {
    if (model.calls > 0) cacheSavedUsd += model.cacheHits * (model.costUsd / model.calls);
  }
  const closed = week.events.filter((e) => e.kind === 'closed_by_rules');
  return {
    week: week.week,
    totals,
    byUser: [...users].map(([user, t]) => ({ user, ...t })).sort(bySpendDesc),
    byModel: [...models].map(([model, t]) => ({ model, ...t })).sort(bySpendDesc),
    tokensCollected,
    tokensSent,
    cacheSavedUsd: Math.round(cacheSavedUsd * 1_000_000) / 1_000_000,
    closedByRules: closed.length,
    closedByRulesTokensAvoided: closed.reduce((sum, e) => sum + (e.tokensCollected ?? 0), 0),
    quotaHits: week.events.filter((e) => e.kind === 'quota_hit').length,
  };
}
