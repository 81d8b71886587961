import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStore } from '../../ledger/client.js';
import { isConditionFailed } from '../../ledger/errors.js';

/**
 * "Do this at most once" markers: a conditional put that exactly one caller wins. Used for the
 * worker (Lambda async invoke delivers at least once) and for the weekly summary (one per ISO week
 * and channel, however many timers, instances or scheduler retries fire).
 */
export class OnceMarkers {
  constructor(
    private readonly store: LedgerStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True when this caller is the first to claim `key`; the marker is kept for `keepSeconds`. */
  async claim(key: string, keepSeconds: number, details: Record<string, unknown> = {}): Promise<boolean> {
    const at = this.now();
    try {
      await this.store.doc.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: { pk: `ONCE#${key}`, sk: 'ONCE', ...details, claimedAt: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + keepSeconds },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Gives a claim back, so a retry after a failure can do the work. */
  async release(key: string): Promise<void> {
    await this.store.doc.send(new DeleteCommand({ TableName: this.store.tableName, Key: { pk: `ONCE#${key}`, sk: 'ONCE' } }));
  }
}
