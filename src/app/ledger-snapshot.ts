import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config.js';
import type { LedgerStore } from '../ledger/client.js';

interface Snapshot {
  version: 1;
  items: Record<string, unknown>[];
}

export function snapshotPathOf(config: Config): string | undefined {
  if (config.ledger.snapshotPath !== undefined) return config.ledger.snapshotPath || undefined;
  return join(homedir(), '.firebreak', 'ledger.json');
}

/**
 * The CLI's embedded table (in memory) loaded from and saved to a local snapshot file, so today's
 * quota and the week's spend survive between runs. Undefined when no snapshot is configured.
 */
export async function openSnapshot(config: Config, store: LedgerStore): Promise<{ path: string; save(): Promise<void> } | undefined> {
  const path = snapshotPathOf(config);
  if (!path) return undefined;
  await restore(store, path);
  return { path, save: () => save(store, path) };
}

async function restore(store: LedgerStore, path: string): Promise<void> {
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(await readFile(path, 'utf8')) as Snapshot;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(`cannot read the ledger snapshot ${path}: ${(err as Error).message} (move it away to start afresh)`, { cause: err });
  }
  const { doc, tableName } = store;
  for (let i = 0; i < snapshot.items.length; i += 25) {
    const batch = snapshot.items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: batch } }));
  }
}

async function save(store: LedgerStore, path: string): Promise<void> {
  const { doc, tableName } = store;
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: tableName, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  // Expired items are garbage here as in DynamoDB (TTL): drop them rather than carry them forever.
  const nowSeconds = Math.floor(Date.now() / 1000);
  const live = items.filter((item) => typeof item.expiresAt !== 'number' || item.expiresAt > nowSeconds);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ version: 1, items: live } satisfies Snapshot));
  await rename(temporary, path);
}
