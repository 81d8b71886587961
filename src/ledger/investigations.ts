import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AlarmTrigger } from '../core/alarm.js';
import type { BundleSummary, Report } from '../core/report.js';
import { queryPartition, type LedgerStore } from './client.js';
import { epochSeconds } from './day.js';
import { isConditionFailed } from './errors.js';

export type InvestigationState = 'pending' | 'approved' | 'answered' | 'failed';

/** Where the investigation was asked, so any instance can answer a later click in place. */
export interface ConversationRef {
  channel?: string;
  threadTs?: string;
  /** The parent message, when it is not the thread's first (posted in the thread of an alarm it was started from). */
  parentTs?: string;
  messageTs?: string;
}

export interface NewInvestigation {
  /** Generated when absent. */
  id?: string;
  requester: string;
  ref?: ConversationRef;
  /** The report, whose `bundle` (text included) is what would be sent. */
  report: Report;
  /** How the bundle was built (budget, added context...), to rebuild or explain it. */
  bundleOptions?: Record<string, unknown>;
  /** Set when a CloudWatch alarm started it: what its parent message says about the alarm. */
  trigger?: AlarmTrigger;
}

export interface StoredInvestigation {
  id: string;
  requester: string;
  ref: ConversationRef;
  report: Report;
  bundle?: BundleSummary;
  bundleOptions: Record<string, unknown>;
  state: InvestigationState;
  createdAt: string;
  /** ISO instant after which the investigation can no longer be approved. */
  expiresAt: string;
  approvedBy?: string;
  /** Who approved the current analysis (the front end's idempotency key for it), while approved. */
  approvalId?: string;
  /**
   * Which bundle revision is current (0, or absent: the report's own bundle). It moves only while
   * pending, so once approved it is exactly what the approver's analysis sends.
   */
  revision?: number;
  /** Set when answered or failed: whatever the front end wants to keep (answer, error text). */
  outcome?: Record<string, unknown>;
  /** The alarm that started it, kept current (re-fires, recovery) by the alarm path. */
  trigger?: AlarmTrigger;
}

const META_SK = 'META';
const CHUNK_PREFIX = 'CHUNK#';
/**
 * DynamoDB items are capped at 400 KB. A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate
 * pair is 4 bytes for 2 units), so 110,000 units stay under 330 KB with room for the keys.
 */
export const CHUNK_CODE_UNITS = 110_000;

export const investigationKey = (id: string): string => `INV#${id}`;

/** Splits text into chunks that never cut a surrogate pair (which would corrupt it on the wire). */
export function chunkText(text: string, size = CHUNK_CODE_UNITS): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}

/**
 * Investigations awaiting approval. The report and bundle text are stored (not the raw evidence:
 * it is large and unredacted), chunked across items when large. State moves only by conditional
 * writes, so of two instances handling a double click exactly one wins each transition.
 * `expiresAt` doubles as the TTL attribute, but TTL is garbage collection only (and absent in
 * dynalite): reads and approvals check expiry themselves.
 */
export class InvestigationStore {
  constructor(
    private readonly store: LedgerStore,
    private readonly options: { ttlHours?: number; now?: () => Date } = {},
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async create(input: NewInvestigation): Promise<StoredInvestigation> {
    const id = input.id ?? randomUUID();
    const createdAt = this.now();
    const expiresAt = new Date(createdAt.getTime() + (this.options.ttlHours ?? 24) * 3_600_000);
    const pk = investigationKey(id);
    const chunks = chunkText(JSON.stringify(input.report));
    // Chunks first, the META item last: a META item therefore always has its whole payload.
    for (const [index, text] of chunks.entries()) {
      await this.store.doc.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: { pk, sk: `${CHUNK_PREFIX}${String(index).padStart(4, '0')}`, text, expiresAt: epochSeconds(expiresAt) },
        }),
      );
    }
    const meta = {
      id,
      requester: input.requester,
      ref: input.ref ?? {},
      bundleOptions: input.bundleOptions ?? {},
      state: 'pending' as const,
      createdAt: createdAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
      ...(input.trigger ? { trigger: input.trigger } : {}),
    };
    await this.store.doc.send(
      new PutCommand({
        TableName: this.store.tableName,
        Item: { pk, sk: META_SK, ...meta, chunkCount: chunks.length, expiresAt: epochSeconds(expiresAt), expiresAtIso: meta.expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { ...meta, report: input.report, ...(input.report.bundle ? { bundle: input.report.bundle } : {}) };
  }

  /** The investigation, or undefined when it does not exist or has expired. */
  async get(id: string): Promise<StoredInvestigation | undefined> {
    const found = await this.read(id);
    if (!found || this.isExpired(found)) return undefined;
    return found;
  }

  /** Like `get`, but tells "expired" apart from "never existed" for the user's message. */
  async lookup(id: string): Promise<{ status: 'found'; investigation: StoredInvestigation } | { status: 'expired' | 'missing' }> {
    const found = await this.read(id);
    if (!found) return { status: 'missing' };
    if (this.isExpired(found)) return { status: 'expired' };
    return { status: 'found', investigation: found };
  }

  isExpired(investigation: Pick<StoredInvestigation, 'expiresAt'>): boolean {
    return Date.parse(investigation.expiresAt) <= this.now().getTime();
  }

  /**
   * The approval moves. One idempotency scheme for a click: the approval id (the analyze job's id)
   * is written with the move and every later move of that approval is conditional on it, so a
   * double click wins once, a redelivered job recognises itself, and a give-back undoes only the
   * approval it belongs to.
   *
   * pending → approved (Analyze), only before expiry. True when this caller won.
   */
  approve(id: string, approver: string, approvalId: string): Promise<boolean> {
    return this.transition(id, 'pending', 'approved', { approvedBy: approver, approvalId }, true);
  }

  /**
   * answered → approved (Ask the larger model), only before expiry. `approvedBy` stays whoever
   * approved the first answer, which is what the message shows again if this approval is given back.
   */
  approveLarge(id: string, approver: string, approvalId: string): Promise<boolean> {
    return this.transition(id, 'answered', 'approved', { largeApprovedBy: approver, approvalId }, true);
  }

  /**
   * approved → the state the approval came from, only if `approvalId` is still the current
   * approval: the way back when the analysis did not happen.
   */
  release(id: string, approvalId: string, back: 'pending' | 'answered'): Promise<boolean> {
    return this.transition(id, 'approved', back, { approvalId: null }, false, { approvalId });
  }

  /**
   * Makes bundle revision `to` current, only while still pending and only if `from` is still the
   * current one: the same item as the approval, so a revision either lands before the approval
   * (and is sent) or not at all — no transaction needed.
   */
  async commitRevision(id: string, from: number, to: number): Promise<'committed' | 'not-pending' | 'moved' | 'missing'> {
    try {
      await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: investigationKey(id), sk: META_SK },
          UpdateExpression: 'SET #revision = :to, #updatedAt = :updatedAt',
          ConditionExpression: `#state = :pending AND ${from === 0 ? '(attribute_not_exists(#revision) OR #revision = :from)' : '#revision = :from'}`,
          ExpressionAttributeNames: { '#state': 'state', '#revision': 'revision', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':pending': 'pending', ':from': from, ':to': to, ':updatedAt': this.now().toISOString() },
        }),
      );
      return 'committed';
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
    const current = await this.read(id);
    if (!current) return 'missing';
    return current.state === 'pending' ? 'moved' : 'not-pending';
  }

  /** The alarm's latest word (a re-fire, the recovery), whatever state the investigation is in. */
  async setTrigger(id: string, trigger: AlarmTrigger): Promise<boolean> {
    try {
      await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: investigationKey(id), sk: META_SK },
          UpdateExpression: 'SET #trigger = :trigger',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#trigger': 'trigger' },
          ExpressionAttributeValues: { ':trigger': trigger },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** approved → answered. */
  markAnswered(id: string, outcome: Record<string, unknown> = {}): Promise<boolean> {
    return this.transition(id, 'approved', 'answered', { outcome });
  }

  /**
   * Moves `from` → `to` with a conditional write; false when the item is missing, in another
   * state or (if `unexpiredOnly`) expired.
   */
  private async transition(
    id: string,
    from: InvestigationState,
    to: InvestigationState,
    set: Record<string, unknown> = {},
    unexpiredOnly = false,
    /** Further attributes that must hold these values (e.g. the approval id being undone). */
    match: Record<string, unknown> = {},
  ): Promise<boolean> {
    const names: Record<string, string> = { '#state': 'state', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':from': from, ':to': to, ':updatedAt': this.now().toISOString() };
    const assignments = ['#state = :to', '#updatedAt = :updatedAt'];
    for (const [index, [name, value]] of Object.entries(set).entries()) {
      names[`#f${index}`] = name;
      values[`:f${index}`] = value;
      assignments.push(`#f${index} = :f${index}`);
    }
    let condition = '#state = :from';
    if (unexpiredOnly) {
      names['#expiresAt'] = 'expiresAt';
      values[':nowS'] = epochSeconds(this.now());
      condition += ' AND #expiresAt > :nowS';
    }
    for (const [index, [name, value]] of Object.entries(match).entries()) {
      names[`#m${index}`] = name;
      values[`:m${index}`] = value;
      condition += ` AND #m${index} = :m${index}`;
    }
    try {
      await this.store.doc.send(
        new UpdateCommand({
          TableName: this.store.tableName,
          Key: { pk: investigationKey(id), sk: META_SK },
          UpdateExpression: `SET ${assignments.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  private async read(id: string): Promise<StoredInvestigation | undefined> {
    const items = await queryPartition(this.store, investigationKey(id), { consistent: true });
    const meta = items.find((item) => item.sk === META_SK);
    if (!meta) return undefined;
    const text = items
      .filter((item) => String(item.sk).startsWith(CHUNK_PREFIX))
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
      .map((item) => String(item.text))
      .join('');
    const report = JSON.parse(text) as Report;
    return {
      id: String(meta.id),
      requester: String(meta.requester),
      ref: (meta.ref ?? {}) as ConversationRef,
      report,
      ...(report.bundle ? { bundle: report.bundle } : {}),
      bundleOptions: (meta.bundleOptions ?? {}) as Record<string, unknown>,
      state: meta.state as InvestigationState,
      createdAt: String(meta.createdAt),
      expiresAt: String(meta.expiresAtIso),
      ...(meta.approvedBy ? { approvedBy: String(meta.approvedBy) } : {}),
      ...(meta.approvalId ? { approvalId: String(meta.approvalId) } : {}),
      ...(typeof meta.revision === 'number' ? { revision: meta.revision } : {}),
      ...(meta.outcome ? { outcome: meta.outcome as Record<string, unknown> } : {}),
      ...(meta.trigger ? { trigger: meta.trigger as AlarmTrigger } : {}),
    };
  }
}
