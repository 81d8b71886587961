import { AsyncLocalStorage } from 'node:async_hooks';
import type { CapturedCall } from '../core/recording.js';

/**
 * Per-source call context. The runner enters one around each source so the client middleware can
 * attribute AWS calls to the source that made them and stop them when its deadline passes,
 * without every source threading these through by hand.
 */
export interface CallScope {
  sourceId: string;
  calls: string[];
  signal: AbortSignal;
  /** Receives every call with its start and end, when someone measures the critical path. */
  trace?: (record: CallRecord) => void;
}

/** One AWS call as it happened: which source made it, when it started and ended (epoch ms). */
export interface CallRecord {
  source: string;
  /** `service:Operation`. */
  operation: string;
  startedAt: number;
  endedAt: number;
  ok: boolean;
  /**
   * A further page of a list, or another poll of the same Logs Insights query: how many of those
   * a read needs is up to the data and the service, not the code's order of calls.
   */
  continued?: boolean;
}

const TOKENS = ['nextToken', 'NextToken', 'position', 'Marker', 'NextMarker'];
const polled = new WeakMap<CallScope, Set<string>>();

/** Whether a call continues an earlier one of the same scope (a next page, a repeated poll). */
export function continuesEarlier(scope: CallScope | undefined, operation: string, input: Record<string, unknown>): boolean {
  if (TOKENS.some((key) => input[key] !== undefined && input[key] !== '')) return true;
  if (operation !== 'GetQueryResults' || !scope) return false;
  const id = String(input.queryId ?? '');
  const seen = polled.get(scope) ?? new Set<string>();
  polled.set(scope, seen);
  if (seen.has(id)) return true;
  seen.add(id);
  return false;
}

export const callScope = new AsyncLocalStorage<CallScope>();

export function recordCall(name: string): void {
  const scope = callScope.getStore();
  if (scope && !scope.calls.includes(name)) scope.calls.push(name);
}

/**
 * While an investigation is being recorded (`--record`): receives every AWS call with its input
 * and its answer, attributed to the source that made it. Entered by the engine around the whole
 * investigation, so calls made before the sources run (the API-kind probe) are captured too.
 */
export const captureScope = new AsyncLocalStorage<(call: CapturedCall) => void>();

/** The answer without the SDK's bookkeeping: what a scenario would hold. */
function answerOf(output: unknown): Record<string, unknown> {
  const { $metadata: _metadata, ...answer } = (output ?? {}) as Record<string, unknown>;
  return answer;
}

/** Hands one finished call to the recording, when one is running; costs nothing otherwise. */
export function captureCall(
  call: Pick<CapturedCall, 'service' | 'operation' | 'accountId' | 'region' | 'input'>,
  outcome: { output: unknown } | { error: unknown; cutAfterMs?: number },
): void {
  const capture = captureScope.getStore();
  if (!capture) return;
  const source = callScope.getStore()?.sourceId;
  const base: CapturedCall = { ...(source ? { source } : {}), ...call, input: { ...call.input } };
  if ('output' in outcome) return capture({ ...base, output: answerOf(outcome.output) });
  if (outcome.cutAfterMs !== undefined) return capture({ ...base, cutAfterMs: outcome.cutAfterMs });
  const err = (outcome.error ?? {}) as { name?: unknown; message?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  capture({
    ...base,
    error: {
      name: typeof err.name === 'string' ? err.name : 'Error',
      message: typeof err.message === 'string' ? err.message : String(outcome.error),
      ...(typeof status === 'number' ? { httpStatusCode: status } : {}),
      ...(typeof err.code === 'string' ? { code: err.code } : {}),
    },
  });
}

/**
 * The longest chain of calls in which each one started only after the one before it had ended:
 * the round trips that waited on each other, which is the time to a verdict when every call takes
 * the same time. Calls that overlap in time are side by side, not in the chain. With `weight`, the
 * chain whose calls weigh most (a model of what each call would take elsewhere, e.g. against AWS).
 */
export function dependentChain(records: readonly CallRecord[], weight: (call: CallRecord) => number = () => 1): { chain: CallRecord[]; total: number } {
  const sorted = [...records].sort((a, b) => a.startedAt - b.startedAt || a.endedAt - b.endedAt);
  const total: number[] = [];
  const previous: number[] = [];
  let best = -1;
  for (let i = 0; i < sorted.length; i++) {
    const call = sorted[i] as CallRecord;
    const own = weight(call);
    total[i] = own;
    previous[i] = -1;
    for (let j = 0; j < i; j++) {
      const before = sorted[j] as CallRecord;
      if (before.endedAt <= call.startedAt && (total[j] as number) + own > (total[i] as number)) {
        total[i] = (total[j] as number) + own;
        previous[i] = j;
      }
    }
    if (best < 0 || (total[i] as number) > (total[best] as number)) best = i;
  }
  const chain: CallRecord[] = [];
  for (let i = best; i >= 0; i = previous[i] as number) chain.unshift(sorted[i] as CallRecord);
  return { chain, total: best < 0 ? 0 : (total[best] as number) };
}
