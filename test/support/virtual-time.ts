import { vi } from 'vitest';

// Captured before any test fakes the clock: the driver yields to real I/O through these.
const realSetImmediate = setImmediate;
const realTurn = () => new Promise((resolve) => realSetImmediate(resolve));

/** File reads under way (a lazily loaded module, the SDK's shared config files): real time, not virtual. */
const fileIoPending = () => process.getActiveResourcesInfo().some((name) => name.startsWith('FS') || name === 'CloseReq' || name.startsWith('FileHandle'));

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` on a virtual clock: timers and Date are fake, and the clock jumps to the next timer
 * whenever nothing else can run. A sandbox AWS call that takes 100 ms then takes exactly 100 ms of
 * virtual time and no real time, so call chains and walls measured inside are the same on an idle
 * and on a loaded machine. Runs one at a time (the clock is global to the process).
 */
export function onVirtualTime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date'] });
    try {
      let settled = false;
      const result = work().finally(() => {
        settled = true;
      });
      while (!settled) {
        // Real I/O first (it schedules the next fake timers when it completes), then the clock jumps.
        await realTurn();
        for (let spins = 0; fileIoPending() && spins < 100_000; spins++) await realTurn();
        if (settled) break;
        if (vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
      }
      return await result;
    } finally {
      vi.useRealTimers();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
