import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HTTP_SOURCES, SOURCES, WEBSOCKET_SOURCES } from '../../src/sources/registry.js';
import { WIRE_CASES, type WireCase } from './cases.js';
import { SOURCE_NOTES } from './coverage.js';
import { cleanUp, findingKey, pool, runCase, type CaseRun } from './harness.js';

/**
 * The AWS wire (issue 22): accounts built on moto through the AWS APIs, investigated by
 * firebreak's real SDK clients over HTTP, each compared with its sandbox mirror. Skipped, with
 * one line saying how to get moto, where moto_server is not installed; CI fails without it.
 */
const endpoint = inject('motoEndpoint');
/** Cases built and investigated at once: moto is one process, the machine is shared. */
const CONCURRENCY = 3;

const runs = new Map<string, CaseRun | Error>();

function runOf(c: WireCase): CaseRun {
  const run = runs.get(c.name);
  if (!run) throw new Error(`${c.name} did not run`);
  if (run instanceof Error) throw run;
  return run;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

describe.skipIf(!endpoint)('firebreak over the AWS wire (moto)', () => {
  beforeAll(async () => {
    const started = Date.now();
    await pool(WIRE_CASES, CONCURRENCY, async (c, index) => {
      runs.set(c.name, await runCase(c, index, endpoint).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
    });
    const done = [...runs.values()].filter((r): r is CaseRun => !(r instanceof Error));
    console.log(
      `\nwire suite: ${WIRE_CASES.length} accounts built on moto and investigated in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
        table([
          ['case', 'write calls', 'findings on the wire', 'mirror'],
          ...done.map((r) => [r.case.name, String(r.built.calls), r.wire.findings.map(findingKey).join(' ') || '—', r.differences.length ? r.differences.map((d) => `${d.subject}${d.why ? '' : ' (UNEXPLAINED)'}`).join(', ') : 'same']),
        ]),
    );
  }, 600_000);

  afterAll(cleanUp);

  it('builds at least 12 accounts: REST, HTTP and WebSocket, healthy and broken', () => {
    expect(WIRE_CASES.length).toBeGreaterThanOrEqual(12);
    expect(new Set(WIRE_CASES.map((c) => c.kind))).toEqual(new Set(['REST', 'HTTP', 'WEBSOCKET']));
    const healthy = WIRE_CASES.filter((c) => !c.expect.findings?.some((f) => /:(critical|high)$/.test(f) || !/[?:]/.test(f)));
    expect(healthy.length).toBeGreaterThanOrEqual(3);
    expect(WIRE_CASES.length - healthy.length).toBeGreaterThanOrEqual(6);
    expect(new Set(WIRE_CASES.map((c) => c.name)).size).toBe(WIRE_CASES.length);
  });

  describe.each(WIRE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('gives the expected coverage and findings on the wire', () => {
      const { wire } = runOf(c);
      expect(wire.target.apiType).toBe(c.kind);
      for (const [source, status] of Object.entries(c.expect.coverage ?? {})) {
        const row = wire.coverage.find((r) => r.source === source);
        expect(row?.status === 'error' ? `error:${row.error?.kind}` : row?.status, `${source}: ${row?.reason ?? row?.error?.message ?? 'no row'}`).toBe(status);
      }
      const found = wire.findings.map(findingKey);
      for (const wanted of c.expect.findings ?? []) {
        const [rule, severity] = wanted.replace(/\?$/, '').split(':');
        const inconclusive = wanted.endsWith('?');
        const match = wire.findings.find((f) => f.rule === rule && Boolean(f.inconclusive) === inconclusive && (!severity || f.severity === severity));
        expect(match, `${wanted} among ${found.join(', ')}`).toBeDefined();
      }
      for (const rule of c.expect.absent ?? []) expect(wire.findings.filter((f) => f.rule === rule && !f.inconclusive).map(findingKey)).toEqual([]);
      c.check?.(wire);
      // Every failure shown is one line, in the report's own words.
      for (const row of wire.coverage) expect(row.error?.message ?? '').not.toMatch(/\n|Deserialization error/);
      for (const f of wire.findings) expect(`${f.title} ${f.detail} ${f.fix}`).not.toMatch(/\n|Deserialization error|was failed|was unknown|\(unknown\)/);
    });

    it('gives the same coverage and findings in its sandbox mirror, or says why moto differs', () => {
      const { differences } = runOf(c);
      const unexplained = differences.filter((d) => !d.why);
      expect(unexplained, unexplained.map((d) => `${d.subject}: wire ${d.wire} / sandbox ${d.mirror}`).join('; ')).toEqual([]);
    });

    it('replays its recording (--record over the wire) offline to the same coverage and findings', () => {
      const { replayDifferences, recordingBytes } = runOf(c);
      expect(recordingBytes).toBeLessThan(8 * 1024 * 1024);
      expect(replayDifferences, replayDifferences.map((d) => `${d.subject}: wire ${d.wire} / replay ${d.mirror}`).join('; ')).toEqual([]);
    });

    if (c.text) {
      it('prints one line per failure in its text output, never the SDK\'s hint', () => {
        const { text } = runOf(c);
        expect(text).toContain('error:service_error');
        expect(text).toContain('the service failed (HTTP 500');
        expect(text).not.toMatch(/Deserialization error|inspect the hidden field|was failed|was unknown|\(unknown\)|2 lookups per second/);
      });
    }
  });

  it('reads every source on the wire in some case, or says why it cannot', () => {
    const ids = [...new Set([...SOURCES, ...HTTP_SOURCES, ...WEBSOCKET_SOURCES].map((s) => s.id))];
    const read = (status: string) => ['ok', 'empty', 'not_configured'].includes(status);
    const rows = ids.map((id) => {
      const cases = WIRE_CASES.filter((c) => {
        const run = runs.get(c.name);
        return run && !(run instanceof Error) && run.wire.coverage.some((r) => r.source === id && read(r.status));
      }).map((c) => c.name);
      return { id, cases, note: SOURCE_NOTES[id] };
    });
    console.log(`\nsources read on the wire\n${table([['source', 'cases that read it', 'note'], ...rows.map((r) => [r.id, r.cases.join(', ') || '—', r.note ?? ''])])}`);
    for (const row of rows) expect(row.cases.length > 0 || row.note !== undefined, `${row.id} is read by no wire case and has no note saying why`).toBe(true);
  });
});
