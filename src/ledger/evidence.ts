import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Evidence } from '../core/evidence.js';
import { queryPartition, type LedgerStore } from './client.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Under DynamoDB's 400 KB item limit with room for the keys and attribute names. */
const CHUNK_BYTES = 350_000;
/** 64 × 350 KB of gzip: far above a capped investigation's evidence; beyond it, say so. */
const MAX_CHUNKS = 64;

export const evidenceKey = (investigationId: string): string => `EVIDENCE#${investigationId}`;

/** Evidence ready to write: its gzip and how many chunks it takes. */
export interface PackedEvidence {
  investigationId: string;
  packed: Buffer;
  chunks: number;
}

export class EvidenceTooLargeError extends Error {
  override name = 'EvidenceTooLargeError';
}

/**
 * The evidence an investigation was built from, kept with it (gzip, chunked, same expiry), so
 * "Add context", "Download" and "Analyze" on any instance rebuild the bundle from exactly what the
 * user saw, without reading AWS again. Its own partition: reading the investigation's state never
 * pulls megabytes of log lines along.
 */
export class EvidenceStore {
  constructor(private readonly store: LedgerStore) {}

  /**
   * The evidence packed for storage (gzip, chunk count), or EvidenceTooLargeError when it cannot be
   * stored. Checked BEFORE anything about the investigation is written, so a refusal leaves no
   * investigation, history entry or orphan chunk behind.
   */
  async pack(investigationId: string, evidence: Evidence): Promise<PackedEvidence> {
    const packed = await gzipAsync(Buffer.from(JSON.stringify(evidence)));
    const count = Math.max(1, Math.ceil(packed.length / CHUNK_BYTES));
    if (count > MAX_CHUNKS) {
      throw new EvidenceTooLargeError(
        `the evidence of ${investigationId} is ${(packed.length / 1_048_576).toFixed(1)} MB compressed, over the ${((MAX_CHUNKS * CHUNK_BYTES) / 1_048_576).toFixed(1)} MB that can be kept; narrow the window (--since) or the stage and run it again`,
      );
    }
    return { investigationId, packed, chunks: count };
  }

  /** Writes packed evidence: chunks first, the count last (a reader that finds the count finds every chunk). */
  async write({ investigationId, packed, chunks }: PackedEvidence, expiresAtSeconds: number): Promise<void> {
    const pk = evidenceKey(investigationId);
    for (let index = 0; index < chunks; index++) {
      const data = packed.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES);
      await this.store.doc.send(new PutCommand({ TableName: this.store.tableName, Item: { pk, sk: `CHUNK#${String(index).padStart(4, '0')}`, data, expiresAt: expiresAtSeconds } }));
    }
    await this.store.doc.send(new PutCommand({ TableName: this.store.tableName, Item: { pk, sk: 'META', chunks, expiresAt: expiresAtSeconds } }));
  }

  async put(investigationId: string, evidence: Evidence, expiresAtSeconds: number): Promise<void> {
    await this.write(await this.pack(investigationId, evidence), expiresAtSeconds);
  }

  /** The stored evidence, or undefined when it was never stored (or is incomplete). */
  async get(investigationId: string): Promise<Evidence | undefined> {
    const items = await queryPartition(this.store, evidenceKey(investigationId), { consistent: true });
    const meta = items.find((item) => item.sk === 'META');
    if (!meta) return undefined;
    const chunks = items
      .filter((item) => String(item.sk).startsWith('CHUNK#'))
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
      .map((item) => Buffer.from(item.data as Uint8Array));
    if (chunks.length !== Number(meta.chunks)) return undefined;
    return JSON.parse((await gunzipAsync(Buffer.concat(chunks))).toString('utf8')) as Evidence;
  }
}
