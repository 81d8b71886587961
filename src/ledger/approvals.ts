import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LedgerStore } from './client.js';
import { epochSeconds } from './day.js';
import { isConditionFailed } from './errors.js';

/**
 * One record per approval (a click, a CLI "yes"): the guard that makes an analysis run at most
 * once per approval however many times it is delivered (Slack retries, double clicks, two
 * instances). Claimed with `attribute_not_exists(pk)`; finished by a conditional update.
 */
export type ApprovalRecord<T> =
  | { status: 'in_progress'; approvalId: string }
  | { status: 'done'; approvalId: string; result: T }
  | { status: 'failed'; approvalId: string; error: string };

export const approvalKey = (approvalId: string): string => `APPROVAL#${approvalId}`;
const SK = 'ANALYSIS';
const KEEP_SECONDS = 7 * 86_400;

export class ApprovalLog {
  constructor(
    private readonly store: LedgerStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** 'claimed' when this caller owns the approval; otherwise the record another caller left. */
  async claim<T>(approvalId: string, details: Record<string, unknown>): Promise<'claimed' | ApprovalRecord<T>> {
    try {
      await this.store.doc.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: {
            pk: approvalKey(approvalId),
            sk: SK,
            ...details,
            approvalId,
            status: 'in_progress',
            createdAt: this.now().toISOString(),
            expiresAt: epochSeconds(this.now()) + KEEP_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'claimed';
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const existing = await this.get<T>(approvalId);
      return existing ?? { status: 'in_progress', approvalId };
    }
  }

  async get<T>(approvalId: string): Promise<ApprovalRecord<T> | undefined> {
    const { Item } = await this.store.doc.send(
      new GetCommand({ TableName: this.store.tableName, Key: { pk: approvalKey(approvalId), sk: SK }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    if (Item.status === 'done') return { status: 'done', approvalId, result: JSON.parse(String(Item.result)) as T };
    if (Item.status === 'failed') return { status: 'failed', approvalId, error: String(Item.error) };
    return { status: 'in_progress', approvalId };
  }

  complete<T>(approvalId: string, result: T): Promise<boolean> {
    return this.finish(approvalId, 'done', { result: JSON.stringify(result) });
  }

  fail(approvalId: string, error: string): Promise<boolean> {
    return this.finish(approvalId, 'failed', { error });
  }

  private async finish(approvalId: string, status: 'done' | 'failed', fields: Record<string, string>): Promise<boolean> {
    const [[name, value]] = Object.entries(fields) as [[string, string]];
    try {
      await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: approvalKey(approvalId), sk: SK },
          UpdateExpression: 'SET #status = :status, #field = :value, finishedAt = :at',
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status', '#field': name },
          ExpressionAttributeValues: { ':status': status, ':value': value, ':inProgress': 'in_progress', ':at': this.now().toISOString() },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
