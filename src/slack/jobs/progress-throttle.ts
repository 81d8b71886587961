/**
 * Coalesces progress into at most one update per interval: Slack rate-limits chat.update (about one
 * a second per channel), and a user gains nothing from faster. Only the latest state is sent;
 * `flush` sends the final one and waits for every update in flight, in order.
 */
export function throttled<T>(send: (value: T) => Promise<void>, intervalMs = 1_000, onError: (err: unknown) => void = () => {}) {
  let latest: T | undefined;
  let pending = false;
  let lastSent = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();

  const sendLatest = () => {
    timer = undefined;
    if (!pending) return;
    pending = false;
    lastSent = Date.now();
    const value = latest as T;
    chain = chain.then(() => send(value)).catch(onError);
  };

  return {
    push(value: T): void {
      latest = value;
      pending = true;
      if (timer) return;
      const wait = lastSent + intervalMs - Date.now();
      if (wait <= 0) sendLatest();
      else timer = setTimeout(sendLatest, wait);
    },
    async flush(value?: T): Promise<void> {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (value !== undefined) {
        latest = value;
        pending = true;
      }
      sendLatest();
      await chain;
    },
  };
}
