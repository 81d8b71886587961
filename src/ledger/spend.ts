import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryPartition, type LedgerStore } from './client.js';
import { epochSeconds, isoWeek } from './day.js';

/** One model call or cache hit (exact or by incident fingerprint). */
export interface SpendRecord {
  user: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  cacheHit: boolean;
  /**
   * For a cache hit: `exact` (the same bundle text) or `fingerprint` (the same incident at
   * another moment, docs/answer-cache.md). Absent on records written before it existed: exact.
   */
  cacheKind?: 'exact' | 'fingerprint';
  /** For a cache hit: the tokens and dollars of the call whose answer it reused. */
  savedTokens?: number;
  savedUsd?: number;
  /** Tokens of everything collected, rendered plainly (what pasting it all would have cost). */
  tokensCollected: number;
  /** Tokens of the bundle actually sent. */
  tokensSent: number;
  investigationId: string;
  /** ISO instant. */
  at: string;
}

/** Events that cost nothing but belong in the weekly summary. */
export interface LedgerEvent {
  /** `started_by_alarm`: a CloudWatch alarm started an investigation (and nobody typed). */
  kind: 'closed_by_rules' | 'quota_hit' | 'started_by_alarm';
  user: string;
  investigationId?: string;
  /** For closed_by_rules: the tokens a paste-everything approach would have sent. */
  tokensCollected?: number;
  /** For closed_by_rules: the investigation was started by an alarm. */
  startedBy?: 'alarm';
  at: string;
}

/** Whether an answer was right, as a person said (👍/👎 under the answer), with the real cause when they wrote it. */
export interface AnswerFeedback {
  /** The answer's approval id: one verdict per answer, the last click wins. */
  approvalId: string;
  investigationId: string;
  user: string;
  verdict: 'right' | 'wrong';
  realCause?: string;
  /** ISO instant of the answer: the feedback lives in the week of the spend it judges. */
  answeredAt: string;
  at: string;
}

export interface WeekSpend {
  week: string;
  spend: SpendRecord[];
  events: LedgerEvent[];
  /** Absent in summaries built before feedback existed. */
  feedback?: AnswerFeedback[];
}

export const spendKey = (week: string): string => `SPEND#${week}`;

/** Records are kept for a quarter: long enough for any weekly or monthly look back. */
const KEEP_SECONDS = 92 * 86_400;

/**
 * Spend and event records, partitioned by ISO week so the weekly summary is one Query, never a
 * Scan. Sort keys start with the timestamp, so a week reads back in time order.
 */
export class SpendLog {
  constructor(
    private readonly store: LedgerStore,
    private readonly options: { timezone?: string } = {},
  ) {}

  weekOf(at: Date): string {
    return isoWeek(at, this.options.timezone ?? 'UTC');
  }

  async record(entry: SpendRecord): Promise<void> {
    await this.put(new Date(entry.at), 'SPEND', entry);
  }

  async recordEvent(event: LedgerEvent): Promise<void> {
    await this.put(new Date(event.at), 'EVENT', event);
  }

  /**
   * Stored beside the spend records of the answer's week, under the answer's approval id: a
   * second click (or the note from the modal) replaces the first.
   */
  async recordFeedback(feedback: AnswerFeedback): Promise<void> {
    const answeredAt = new Date(feedback.answeredAt);
    await this.store.doc.send(
      new PutCommand({
        TableName: this.store.tableName,
        Item: { pk: spendKey(this.weekOf(answeredAt)), sk: `FEEDBACK#${feedback.approvalId}`, recordType: 'FEEDBACK', ...feedback, expiresAt: epochSeconds(answeredAt) + KEEP_SECONDS },
      }),
    );
  }

  async spendForWeek(week: string): Promise<WeekSpend> {
    const result: WeekSpend = { week, spend: [], events: [], feedback: [] };
    for (const item of await queryPartition(this.store, spendKey(week))) {
      const { pk: _pk, sk: _sk, expiresAt: _expiresAt, recordType, ...fields } = item;
      if (recordType === 'SPEND') result.spend.push(fields as SpendRecord);
      else if (recordType === 'EVENT') result.events.push(fields as LedgerEvent);
      else if (recordType === 'FEEDBACK') result.feedback?.push(fields as AnswerFeedback);
    }
    return result;
  }

  private async put(at: Date, recordType: 'SPEND' | 'EVENT', fields: SpendRecord | LedgerEvent): Promise<void> {
    await this.store.doc.send(
      new PutCommand({
        TableName: this.store.tableName,
        Item: {
          pk: spendKey(this.weekOf(at)),
          sk: `${at.toISOString()}#${randomUUID()}`,
          recordType,
          ...fields,
          expiresAt: epochSeconds(at) + KEEP_SECONDS,
        },
      }),
    );
  }
}
