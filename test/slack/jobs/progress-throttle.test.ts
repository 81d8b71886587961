import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttled } from '../../../src/slack/jobs/progress-throttle.js';

describe('progress throttle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first update at once, coalesces a burst into the latest, and flushes the final one', async () => {
    const sent: number[] = [];
    const progress = throttled<number>(async (n) => {
      sent.push(n);
    }, 1_000);
    for (let i = 1; i <= 10; i++) progress.push(i);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([1, 10]);
    progress.push(11);
    await progress.flush(12);
    expect(sent).toEqual([1, 10, 12]);
  });

  it('keeps going when one update fails', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const progress = throttled<number>(
      async () => {
        calls++;
        if (calls === 1) throw new Error('ratelimited');
      },
      1_000,
      (err) => errors.push(err),
    );
    progress.push(1);
    await progress.flush(2);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
