import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BundleSummary } from '../../core/report.js';
import type { LedgerStore } from '../../ledger/client.js';
import { investigationKey } from '../../ledger/investigations.js';

export interface BundleChoices {
  budget?: string;
  context?: string;
  sections?: string[];
}

export interface BundleRevision {
  choices: BundleChoices;
  bundle: BundleSummary;
  revision: number;
}

const SK = 'SLACK#BUNDLE';

/**
 * The bundle as revised by "Add context", stored next to the investigation (same partition) so any
 * instance sends what the user last saw in the estimate. Bundles are capped by their token budget
 * (the large one is ~130 KB of text), well inside DynamoDB's 400 KB item limit.
 */
export class BundleRevisions {
  constructor(private readonly store: LedgerStore) {}

  async get(investigationId: string): Promise<BundleRevision | undefined> {
    const { Item } = await this.store.doc.send(
      new GetCommand({ TableName: this.store.tableName, Key: { pk: investigationKey(investigationId), sk: SK }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return { choices: JSON.parse(String(Item.choices)) as BundleChoices, bundle: JSON.parse(String(Item.bundle)) as BundleSummary, revision: Number(Item.revision) };
  }

  async put(investigationId: string, revision: Omit<BundleRevision, 'revision'>, expiresAtSeconds: number): Promise<void> {
    const current = await this.get(investigationId);
    await this.store.doc.send(
      new PutCommand({
        TableName: this.store.tableName,
        Item: {
          pk: investigationKey(investigationId),
          sk: SK,
          choices: JSON.stringify(revision.choices),
          bundle: JSON.stringify(revision.bundle),
          revision: (current?.revision ?? 0) + 1,
          expiresAt: expiresAtSeconds,
        },
      }),
    );
  }
}
