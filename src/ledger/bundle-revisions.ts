import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BundleChoices, BundleSummary } from '../core/report.js';
import type { LedgerStore } from './client.js';
import { isConditionFailed } from './errors.js';
import { investigationKey } from './investigations.js';

export interface BundleRevision {
  choices: BundleChoices;
  bundle: BundleSummary;
  revision: number;
}

// The prefix predates the move from slack/ into the ledger; kept so stored revisions stay readable.
const SK_PREFIX = 'SLACK#BUNDLE#';
const revisionKey = (revision: number): string => `${SK_PREFIX}${String(revision).padStart(6, '0')}`;

/**
 * The bundle as revised by "Add context", stored next to the investigation (same partition) so any
 * instance sends what the user last saw in the estimate. Each revision is its own write-once item;
 * which one is current is the investigation's `revision` (moved by `commitRevision` while pending),
 * so an approval pins exactly one and a late edit can never change what is sent. Bundles are capped
 * by their token budget (the large one is ~130 KB of text), well inside DynamoDB's 400 KB item limit.
 */
export class BundleRevisions {
  constructor(private readonly store: LedgerStore) {}

  /**
   * Revision `revision`, or the current one when omitted; undefined for revision 0 (the report's
   * own bundle) and for a revision that was never written.
   */
  async get(investigationId: string, revision?: number): Promise<BundleRevision | undefined> {
    const number = revision ?? (await this.current(investigationId));
    if (number <= 0) return undefined;
    const { Item } = await this.store.doc.send(
      new GetCommand({ TableName: this.store.tableName, Key: { pk: investigationKey(investigationId), sk: revisionKey(number) }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return { choices: JSON.parse(String(Item.choices)) as BundleChoices, bundle: JSON.parse(String(Item.bundle)) as BundleSummary, revision: Number(Item.revision) };
  }

  /** The current revision number (0: the report's own bundle). */
  async current(investigationId: string): Promise<number> {
    const { Item } = await this.store.doc.send(
      new GetCommand({ TableName: this.store.tableName, Key: { pk: investigationKey(investigationId), sk: 'META' }, ConsistentRead: true, ProjectionExpression: 'revision' }),
    );
    return typeof Item?.revision === 'number' ? Item.revision : 0;
  }

  /**
   * Writes revision `number` once (false when another writer took that number first). It is not
   * current until the investigation commits it.
   */
  async put(investigationId: string, number: number, revision: Omit<BundleRevision, 'revision'>, expiresAtSeconds: number): Promise<boolean> {
    try {
      await this.store.doc.send(
        new PutCommand({
          TableName: this.store.tableName,
          Item: {
            pk: investigationKey(investigationId),
            sk: revisionKey(number),
            choices: JSON.stringify(revision.choices),
            bundle: JSON.stringify(revision.bundle),
            revision: number,
            expiresAt: expiresAtSeconds,
          },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }
}
