/**
 * Nothing half-written: evidence too large to keep (over 64 chunks of gzip) is refused before
 * the investigation or its history entry is stored, so App Home never lists an investigation that
 * Add context, Download or Analyze on another instance could not rebuild.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirebreak } from '../../src/app/index.js';
import { loadConfig } from '../../src/config.js';
import type { Evidence } from '../../src/core/evidence.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../src/ledger/embedded.js';
import { EvidenceStore, EvidenceTooLargeError } from '../../src/ledger/evidence.js';
import { queryPartition } from '../../src/ledger/client.js';

let dynamo: EmbeddedDynamo;
beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
});
afterAll(() => dynamo.close());

describe('evidence too large to store', () => {
  it('is refused before anything is stored: no investigation, no history entry, no chunk', async () => {
    const app = await createFirebreak(loadConfig({}, { scenario: 'healthy', logLevel: 'silent', 'ledger.embedded': false, 'ledger.endpoint': dynamo.endpoint, 'ledger.tableName': `t-${randomUUID().slice(0, 8)}` }));
    try {
      const { defaults } = await app.world();
      const plan = await app.plan({ restApiId: defaults!.restApiId, sinceMs: 3600_000 });
      const investigation = await app.troubleshoot(plan);
      // Incompressible lines: about 30 MB of gzip, over the 22.4 MB (64 × 350 KB) that can be kept.
      const lines = Array.from({ length: 340 }, (_, i) => ({ timestamp: i, message: randomBytes(75_000).toString('base64') }));
      const huge = { ...investigation.evidence, 'logs.lambda': lines } as unknown as Evidence;
      const refused = app.keep({ id: 'inv-huge', requester: 'U0ALICE', ref: { channel: 'C1', threadTs: '1.0' }, investigation: { ...investigation, evidence: huge }, choices: {} });
      await expect(refused).rejects.toBeInstanceOf(EvidenceTooLargeError);
      await expect(refused).rejects.toThrow(/narrow the window/);

      expect(await app.lookup('inv-huge')).toEqual({ status: 'missing' });
      expect(await app.history('U0ALICE')).toEqual([]);
      expect(await queryPartition((await app.ledger()).store, 'EVIDENCE#inv-huge')).toEqual([]);

      // The same investigation with its real evidence is kept and listed.
      await app.keep({ id: 'inv-ok', requester: 'U0ALICE', ref: { channel: 'C1', threadTs: '2.0' }, investigation, choices: {} });
      expect((await app.history('U0ALICE')).map((h) => h.investigationId)).toEqual(['inv-ok']);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('packs and writes in two steps, the size checked in the first', async () => {
    const store = { doc: { send: () => Promise.reject(new Error('no write expected')) }, tableName: 'unused' } as unknown as ConstructorParameters<typeof EvidenceStore>[0];
    const evidence = new EvidenceStore(store);
    const small = await evidence.pack('inv-small', {} as Evidence);
    expect(small.chunks).toBe(1);
  });
});
