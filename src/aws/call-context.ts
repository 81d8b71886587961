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
