import { AsyncLocalStorage } from 'node:async_hooks';

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
