import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { createTableInput } from './table.js';

export interface LedgerClientOptions {
  region?: string;
  /** Local endpoint (dynalite, DynamoDB Local); absent means real DynamoDB. */
  endpoint?: string;
}

/** What the ledger modules need: the document client and the table they write to. */
export interface LedgerStore {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/** Credentials a local endpoint accepts; real DynamoDB uses the default provider chain. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function createDynamoClient(options: LedgerClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
}

export function createDocumentClient(options: LedgerClientOptions = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(options), {
    // Optional fields are left undefined by the callers; dropping them beats failing the write.
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** Every item of one partition, across pages: the ledger's only read pattern besides GetItem. */
export async function queryPartition(store: LedgerStore, pk: string, { consistent = false } = {}): Promise<NonNullable<QueryCommandOutput['Items']>> {
  const items: NonNullable<QueryCommandOutput['Items']> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await store.doc.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ...(consistent ? { ConsistentRead: true } : {}),
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export function createLedgerStore(tableName: string, options: LedgerClientOptions = {}): LedgerStore {
  return { doc: createDocumentClient(options), tableName };
}

/**
 * Creates the table if it is missing and waits until it is ACTIVE. For local endpoints and tests;
 * in AWS the CDK stack owns the table.
 */
export async function ensureTable(
  client: DynamoDBClient,
  name: string,
  { timeoutMs = 30_000, pollMs = 50 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(name)));
  } catch (err) {
    // Another instance (or a previous run) created it first: fine, just wait for it.
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
      if (Table?.TableStatus === 'ACTIVE') return;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
    if (Date.now() > deadline) throw new Error(`table ${name} did not become ACTIVE within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
