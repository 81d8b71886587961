import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createDynamoClient, createLedgerStore, ensureTable, type LedgerStore } from '../../src/ledger/client.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/ledger/embedded.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface DynaliteHarness {
  /** A fresh, empty table on the file's dynalite, so tests never see each other's items. */
  freshStore(): Promise<LedgerStore>;
  /** The dynalite's endpoint, for a client configured differently (retries, middleware). */
  endpoint(): string;
}

/** One in-memory dynalite per test file (loopback only), started before and closed after its tests. */
export function useDynalite(): DynaliteHarness {
  let dynamo: EmbeddedDynamo | undefined;
  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
  });
  afterAll(async () => {
    await dynamo?.close();
  });
  return {
    endpoint() {
      if (!dynamo) throw new Error('useDynalite(): dynalite is not started');
      return dynamo.endpoint;
    },
    async freshStore() {
      if (!dynamo) throw new Error('useDynalite(): dynalite is not started (call freshStore inside a test)');
      const tableName = `t-${randomUUID().slice(0, 8)}`;
      await ensureTable(createDynamoClient({ endpoint: dynamo.endpoint }), tableName);
      return createLedgerStore(tableName, { endpoint: dynamo.endpoint });
    },
  };
}
