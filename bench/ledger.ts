import { performance } from 'node:perf_hooks';
import { openLedgerStore } from '../src/ledger/ledger.js';
import { QuotaLedger } from '../src/ledger/quota.js';

const USERS = 50;
const ROUNDS = 20;
const TOKENS = 1_000;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

/**
 * Quota reservation latency against embedded dynalite: 50 users reserving at once, 20 rounds.
 * One reservation is three writes (marker, conditional ADD, marker state), so this measures the
 * whole reserve path, not a single UpdateItem. Also checks that the limit held exactly.
 */
export async function benchLedger(): Promise<string[]> {
  const opened = await openLedgerStore({ tableName: 'bench', embedded: true });
  try {
    const limit = (ROUNDS - 5) * TOKENS; // the last 5 rounds must be refused
    const quota = new QuotaLedger(opened.store, { dailyTokens: limit });
    const latencies: number[] = [];
    let refused = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      await Promise.all(
        Array.from({ length: USERS }, async (_, user) => {
          const started = performance.now();
          try {
            await quota.reserve(`U${user}`, TOKENS, { reservationId: `r${round}-${user}` });
          } catch {
            refused += 1;
          }
          latencies.push(performance.now() - started);
        }),
      );
    }
    // The same path without contention, for scale: one reservation at a time.
    const sequential: number[] = [];
    for (let i = 0; i < 100; i += 1) {
      const started = performance.now();
      await quota.reserve('USEQ', 1, { reservationId: `seq-${i}` });
      sequential.push(performance.now() - started);
    }
    sequential.sort((a, b) => a - b);
    const usages = await Promise.all(Array.from({ length: USERS }, (_, user) => quota.usage(`U${user}`)));
    const exact = usages.every((u) => u.used === limit);
    latencies.sort((a, b) => a - b);
    return [
      `ledger: quota reservation against dynalite (${opened.location}), ${USERS} concurrent users × ${ROUNDS} rounds`,
      `  reserve latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${latencies.length} reservations)`,
      `  one at a time: p50 ${percentile(sequential, 50).toFixed(1)} ms, p99 ${percentile(sequential, 99).toFixed(1)} ms`,
      `  refused over quota: ${refused} (expected ${USERS * 5}); every user's total exactly at the limit: ${exact ? 'yes' : 'NO'}`,
    ];
  } finally {
    await opened.close();
  }
}
