import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStore } from './client.js';
import { epochSeconds } from './day.js';
import { isConditionFailed } from './errors.js';

/** One investigation in its requester's list: what it looked at, what the rules and the model said. */
export interface HistoryEntry {
  investigationId: string;
  /** ISO instant the investigation was kept. */
  at: string;
  /** "API Gateway a1b2c3d4e5 stage prod (us-east-1)". */
  target: string;
  /** The rules' verdict in one line ("high: …", or "no known cause"). */
  verdict: string;
  channel?: string;
  threadTs?: string;
  /** Set once an analysis answered. */
  rootCause?: string;
  confidence?: string;
}

const userKey = (user: string) => `USER#${user}`;
const entryKey = (at: string, id: string) => `INV#${at}#${id}`;
/** Kept longer than the investigation itself: the list is a memory, not something to click. */
const KEEP_DAYS = 30;

/**
 * Requester → investigations, newest first: the App Home's "my last investigations". One item per
 * investigation in the requester's partition, sorted by time in the sort key.
 */
export class UserHistory {
  constructor(private readonly store: LedgerStore) {}

  async record(user: string, entry: HistoryEntry): Promise<void> {
    await this.store.doc.send(
      new PutCommand({
        TableName: this.store.tableName,
        Item: { pk: userKey(user), sk: entryKey(entry.at, entry.investigationId), ...entry, expiresAt: epochSeconds(new Date(Date.parse(entry.at) + KEEP_DAYS * 86_400_000)) },
      }),
    );
  }

  /** Adds the analysis's root cause to the entry; false when the entry is gone (expired). */
  async answered(user: string, at: string, investigationId: string, answer: { rootCause: string; confidence: string }): Promise<boolean> {
    try {
      await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: userKey(user), sk: entryKey(at, investigationId) },
          UpdateExpression: 'SET rootCause = :r, confidence = :c',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':r': answer.rootCause, ':c': answer.confidence },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async recent(user: string, limit = 5): Promise<HistoryEntry[]> {
    const page = await this.store.doc.send(
      new QueryCommand({
        TableName: this.store.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :inv)',
        ExpressionAttributeValues: { ':pk': userKey(user), ':inv': 'INV#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => {
      const { pk: _pk, sk: _sk, expiresAt: _expires, ...entry } = item;
      return entry as HistoryEntry;
    });
  }
}
