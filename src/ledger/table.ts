import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * THE one DynamoDB table (single-table design). The CDK stack, the embedded dynalite and the
 * ledger code all read this definition, so the key names live in exactly one place.
 *
 * Item families (partition key prefixes):
 * - `QUOTA#<user>#<yyyy-mm-dd>` / `DAY`         per-user daily token counter
 * - `RES#<approvalId>` / `RESERVATION`          reservation marker (idempotency per approval)
 * - `INV#<id>` / `META` and `CHUNK#<n>`         investigation awaiting approval
 * - `CACHE#<key>` / `ANSWER`                     answer cache
 * - `SPEND#<iso week>` / `<timestamp>#<id>`      spend and event records, queried by week
 *
 * No secondary index is needed: every read is by a known key or a Query on one partition.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB TTL only garbage-collects, reads still check expiry themselves. */
  ttlAttribute: 'expiresAt',
  indexes: [] as readonly { name: string; partitionKey: string; sortKey?: string }[],
} as const;

/** CreateTable input for local tables (dynalite) and tests; on-demand billing. */
export function createTableInput(name: string): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}
