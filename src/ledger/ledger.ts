import { AlarmEpisodes, AlarmStormCap } from './alarm-episodes.js';
import { ApprovalLog } from './approvals.js';
import { AnswerCache } from './cache.js';
import { createDynamoClient, createLedgerStore, ensureTable, type LedgerStore } from './client.js';
import { startEmbeddedDynamo } from './embedded.js';
import { UserHistory } from './history.js';
import { InvestigationStore } from './investigations.js';
import { QuotaLedger, type QuotaConfig } from './quota.js';
import { SpendLog } from './spend.js';

/** Every ledger service over one table: what `analyze` and the front ends are handed. */
export interface Ledger {
  store: LedgerStore;
  quota: QuotaLedger;
  investigations: InvestigationStore;
  cache: AnswerCache;
  spend: SpendLog;
  approvals: ApprovalLog;
  history: UserHistory;
  /** Alarm episodes (one investigation each) and the per-API hourly storm cap. */
  alarmEpisodes: AlarmEpisodes;
  alarmStormCap: AlarmStormCap;
}

export interface LedgerOptions {
  quota: QuotaConfig;
  investigationTtlHours?: number;
  cacheTtlSeconds?: number;
  /** Injectable clock (tests roll days over with it). */
  now?: () => Date;
}

export function createLedger(store: LedgerStore, options: LedgerOptions): Ledger {
  const now = options.now ?? (() => new Date());
  return {
    store,
    quota: new QuotaLedger(store, options.quota, now),
    investigations: new InvestigationStore(store, { ttlHours: options.investigationTtlHours ?? 24, now }),
    cache: new AnswerCache(store, { ...(options.cacheTtlSeconds ? { ttlSeconds: options.cacheTtlSeconds } : {}), now }),
    spend: new SpendLog(store, { ...(options.quota.timezone ? { timezone: options.quota.timezone } : {}) }),
    approvals: new ApprovalLog(store, now),
    history: new UserHistory(store),
    alarmEpisodes: new AlarmEpisodes(store),
    alarmStormCap: new AlarmStormCap(store),
  };
}

/** Same shape as `config.ledger`. */
export interface LedgerConnection {
  tableName: string;
  endpoint?: string;
  /** Start dynalite in process when no endpoint is given (CLI and demo default). */
  embedded: boolean;
  region?: string;
}

export interface OpenedStore {
  store: LedgerStore;
  /** Where the data lives, for messages: `embedded (in memory)`, the endpoint, or `dynamodb`. */
  location: string;
  close(): Promise<void>;
}

/**
 * Connects to the configured table: embedded dynalite (created on the spot; data is lost at
 * exit), a local endpoint (table created if missing) or real DynamoDB (the stack owns the table).
 */
export async function openLedgerStore(connection: LedgerConnection): Promise<OpenedStore> {
  const region = connection.region ?? 'us-east-1';
  if (connection.endpoint || connection.embedded) {
    const embedded = connection.endpoint ? undefined : await startEmbeddedDynamo();
    const endpoint = connection.endpoint ?? (embedded as { endpoint: string }).endpoint;
    const client = createDynamoClient({ endpoint, region });
    await ensureTable(client, connection.tableName);
    client.destroy();
    const store = createLedgerStore(connection.tableName, { endpoint, region });
    return {
      store,
      location: embedded ? 'embedded (in memory)' : endpoint,
      close: async () => {
        store.doc.destroy();
        await embedded?.close();
      },
    };
  }
  const store = createLedgerStore(connection.tableName, { region });
  return { store, location: 'dynamodb', close: async () => store.doc.destroy() };
}
