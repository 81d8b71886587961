import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { chunkText, InvestigationStore } from '../../src/ledger/investigations.js';
import { useDynalite } from '../support/dynalite.js';

const dynalite = useDynalite();

function report(text: string): Report {
  return {
    version: 1,
    target: { kind: 'api-gw', restApiId: 'a1b2c3d4e5', region: 'us-east-1' },
    window: { since: '2026-11-23T09:00:00Z', until: '2026-11-23T10:00:00Z' },
    origin: 'sandbox:test',
    durationMs: 12,
    coverage: [],
    findings: [],
    bundle: { tokens: 10, rawTokens: 100, sections: [], redactions: {}, sha256: 'b'.repeat(64), budget: 'medium', text },
  };
}

describe('chunkText', () => {
  it('splits without cutting a surrogate pair and joins back exactly', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(20)}`;
    const chunks = chunkText(text, 10);
    expect(chunks.join('')).toBe(text);
    expect(chunks[0]).toBe('a'.repeat(9)); // the emoji's high surrogate would have been unit 10
  });
});

describe('InvestigationStore against dynalite', () => {
  it('stores and reads back the report, bundle and refs', async () => {
    const store = new InvestigationStore(await dynalite.freshStore());
    const created = await store.create({ id: 'inv1', requester: 'U1', ref: { channel: 'C1', threadTs: '1.2' }, report: report('## findings\nnone'), bundleOptions: { budget: 'small' } });
    expect(created.state).toBe('pending');
    const read = await store.get('inv1');
    expect(read).toMatchObject({ id: 'inv1', requester: 'U1', ref: { channel: 'C1', threadTs: '1.2' }, state: 'pending', bundleOptions: { budget: 'small' } });
    expect(read?.bundle?.text).toBe('## findings\nnone');
  });

  it('chunks a report larger than one item can hold', async () => {
    const store = new InvestigationStore(await dynalite.freshStore());
    const big = 'é日本 line of log text\n'.repeat(30_000); // ~600k code units, far more UTF-8 bytes
    await store.create({ id: 'big', requester: 'U1', report: report(big) });
    expect((await store.get('big'))?.bundle?.text).toBe(big);
  });

  it('lets exactly one of two concurrent approvals win, then moves to answered once', async () => {
    const store = new InvestigationStore(await dynalite.freshStore());
    await store.create({ id: 'inv1', requester: 'U1', report: report('x') });
    const wins = await Promise.all([store.approve('inv1', 'U1', 'a1'), store.approve('inv1', 'U2', 'a2')]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await store.markAnswered('inv1', { costUsd: 0.01 })).toBe(true);
    expect(await store.markAnswered('inv1', { costUsd: 0.02 })).toBe(false);
    expect(await store.get('inv1')).toMatchObject({ state: 'answered', outcome: { costUsd: 0.01 } });
  });

  it('gives an approval back only for the approval that holds it, and approves the larger model from answered', async () => {
    const store = new InvestigationStore(await dynalite.freshStore());
    await store.create({ id: 'inv2', requester: 'U1', report: report('x') });
    expect(await store.approveLarge('inv2', 'U1', 'big')).toBe(false);
    expect(await store.approve('inv2', 'U1', 'first')).toBe(true);
    expect(await store.release('inv2', 'someone-else', 'pending')).toBe(false);
    expect(await store.release('inv2', 'first', 'pending')).toBe(true);
    expect(await store.get('inv2')).toMatchObject({ state: 'pending' });
    expect(await store.approve('inv2', 'U1', 'second')).toBe(true);
    expect(await store.markAnswered('inv2')).toBe(true);
    expect(await store.approveLarge('inv2', 'U2', 'big')).toBe(true);
    expect(await store.get('inv2')).toMatchObject({ state: 'approved', approvalId: 'big', approvedBy: 'U1' });
  });

  it('treats an expired investigation as gone and refuses to approve it', async () => {
    let now = new Date('2026-11-23T10:00:00Z');
    const store = new InvestigationStore(await dynalite.freshStore(), { ttlHours: 1, now: () => now });
    await store.create({ id: 'old', requester: 'U1', report: report('x') });
    now = new Date('2026-11-23T11:00:01Z');
    expect(await store.get('old')).toBeUndefined();
    expect(await store.lookup('old')).toEqual({ status: 'expired' });
    expect(await store.lookup('never')).toEqual({ status: 'missing' });
    expect(await store.approve('old', 'U1', 'a1')).toBe(false);
  });

  it('refuses to create the same id twice', async () => {
    const store = new InvestigationStore(await dynalite.freshStore());
    await store.create({ id: 'dup', requester: 'U1', report: report('x') });
    await expect(store.create({ id: 'dup', requester: 'U2', report: report('y') })).rejects.toThrow();
  });
});
