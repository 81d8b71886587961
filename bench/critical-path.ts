import { dependentChain, type CallRecord } from '../src/aws/call-context.js';
import type { CoverageRow } from '../src/core/coverage.js';
import type { Source } from '../src/sources/types.js';

/**
 * Critical paths in AWS calls. The measured one comes from the calls an investigation made (which
 * started only after which had ended); the minimal one from the source graph and the data alone:
 * the longest path through the sources' hard dependencies (and the sources whose answers their
 * reads need, `calls.readsAfter`), each source costing the rounds its data needs (its declared
 * `calls.needs`) plus the further pages and polls its data and the service made it wait for. An extra sequential call in the code lengthens the measured chain, never the
 * minimal one, so their ratio moves when firebreak gets slower.
 */
export interface SourceChain {
  source: string;
  /** Calls of the source that waited on each other, in order. */
  chain: CallRecord[];
  /** Of those, further pages and repeated polls. */
  continued: number;
}

/** The longest chain of dependent calls each source made on its own. */
export function sourceChains(records: readonly CallRecord[]): Map<string, SourceChain> {
  const bySource = new Map<string, CallRecord[]>();
  for (const record of records) bySource.set(record.source, [...(bySource.get(record.source) ?? []), record]);
  return new Map(
    [...bySource.entries()].map(([source, calls]) => {
      const { chain } = dependentChain(calls);
      return [source, { source, chain, continued: chain.filter((c) => c.continued).length }];
    }),
  );
}

export function measuredChain(records: readonly CallRecord[]): CallRecord[] {
  return dependentChain(records).chain;
}

/** What the data requires: rounds along the longest path of hard dependencies (see above). */
export function minimalChain(sources: readonly Source[], coverage: readonly CoverageRow[], records: readonly CallRecord[]): { rounds: number; path: string[] } {
  const rows = new Map(coverage.map((r) => [r.source as string, r]));
  const chains = sourceChains(records);
  const byId = new Map(sources.map((s) => [s.id as string, s]));
  // A target given by id needs its kind before any kind's reads: one round, which is also the
  // API's own read (its source then costs nothing more). A name or a mapping already said it.
  const kindRound = records.some((r) => r.source === 'api-type') ? 1 : 0;
  const cost = (source: Source): number => {
    const row = rows.get(source.id);
    // A source with nothing to read (not applicable, not configured, a failed dependency) costs nothing.
    if (!row || row.calls.length === 0 || (kindRound && source.readsTarget)) return 0;
    const needs = source.calls.needs ?? source.calls.chain;
    const base = typeof needs === 'function' ? needs(row) : needs;
    return base + (chains.get(source.id)?.continued ?? 0);
  };
  const memo = new Map<string, { rounds: number; path: string[] }>();
  const longest = (id: string): { rounds: number; path: string[] } => {
    const known = memo.get(id);
    if (known) return known;
    const source = byId.get(id);
    if (!source) return { rounds: 0, path: [] };
    let best = { rounds: 0, path: [] as string[] };
    for (const dep of [...source.dependsOn, ...(source.calls.readsAfter ?? [])]) {
      const candidate = longest(dep);
      if (candidate.rounds > best.rounds) best = candidate;
    }
    const own = cost(source);
    const result = { rounds: best.rounds + own, path: own > 0 ? [...best.path, `${id}×${own}`] : best.path };
    memo.set(id, result);
    return result;
  };
  const longestPath = sources.map((s) => longest(s.id)).reduce((a, b) => (b.rounds > a.rounds ? b : a), { rounds: 0, path: [] as string[] });
  return kindRound ? { rounds: longestPath.rounds + 1, path: ['api-kind×1', ...longestPath.path] } : longestPath;
}

/** `GetRestApi → GetStage → FilterLogEvents` with the source of each call. */
export function describeChain(chain: readonly CallRecord[]): string {
  return chain.map((c) => `${c.operation.split(':')[1]}${c.continued ? '+' : ''} (${c.source})`).join(' → ');
}

/**
 * Sources that made more calls one after another than they declare (`calls.chain`, pages and
 * repeated polls apart): a sequential call added without saying why.
 */
export function budgetViolations(sources: readonly Source[], records: readonly CallRecord[]): string[] {
  const budgets = new Map<string, number>(sources.map((s) => [s.id, s.calls.chain]));
  budgets.set('api-type', 1);
  const out: string[] = [];
  for (const [source, measured] of sourceChains(records)) {
    const rounds = measured.chain.length - measured.continued;
    const budget = budgets.get(source);
    if (budget === undefined || rounds > budget) out.push(`${source}: ${rounds} calls one after another, ${budget ?? 'no'} declared: ${describeChain(measured.chain)}`);
  }
  return out;
}
