import { describe, expect, it } from 'vitest';
import { clipRedacted, safeCut } from '../../src/bundle/clip.js';
import { redactDeep, redactInvestigation, redactReport, redactText } from '../../src/bundle/egress.js';
import { buildBundle } from '../../src/bundle/index.js';
import type { Investigation, Report } from '../../src/core/report.js';
import { clip as ruleClip } from '../../src/rules/helpers.js';
import { Gen } from './secret-corpus.js';
import { DESCRIBERS } from '../support/describers.js';

const g = new Gen(42);
const DB_PASSWORD = g.urlPassword();
const GH_TOKEN = `ghp_${g.alnum(36)}`;
const API_KEY = g.alnum(40);
const PASSPHRASE = g.passphrase();

function survives(text: string, secret: string): boolean {
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) return true;
  return false;
}

function report(): Report {
  // The GitHub token straddles the rules' 200-character clip.
  const long = `${'x'.repeat(180)} pushing with ${GH_TOKEN} to origin`;
  return {
    version: 1,
    target: { kind: 'rest', apiId: 'a1b2c3d4e5', region: 'us-east-1', stage: 'prod' } as unknown as Report['target'],
    window: { since: '2024-05-01T09:00:00Z', until: '2024-05-01T10:00:00Z' },
    origin: 'sandbox:test',
    durationMs: 1,
    coverage: [{ source: 'logs.lambda', status: 'error', error: { kind: 'unknown', message: `connect postgresql://svc:${DB_PASSWORD}@orders-db:5432/orders failed` } } as unknown as Report['coverage'][number]],
    findings: [
      {
        rule: 'L1.lambda-errors',
        severity: 'high',
        title: 'Lambda errors',
        detail: 'the function fails',
        evidence: [
          { source: 'logs.lambda', quote: `ERROR could not connect to postgresql://svc:${DB_PASSWORD}@orders-db.internal:5432/orders` },
          { source: 'logs.lambda', quote: ruleClip(long) },
          { source: 'logs.execution', quote: `Method request headers: {x-api-key=${API_KEY}, Host=api.example.com}` },
        ],
        fix: 'fix it',
      },
    ],
  };
}

describe('egress: redactReport', () => {
  it('redacts finding quotes, coverage error messages and leaves the shape', () => {
    const out = redactReport(report());
    const text = JSON.stringify(out);
    for (const secret of [DB_PASSWORD, GH_TOKEN, API_KEY]) expect(survives(text, secret), secret).toBe(false);
    expect(out.findings[0]?.evidence[0]?.quote).toContain('[REDACTED:url_password]');
    expect(out.findings[0]?.rule).toBe('L1.lambda-errors');
    expect(out.coverage[0]?.status).toBe('error');
  });

  it('is idempotent', () => {
    const once = redactReport(report());
    expect(redactReport(once)).toEqual(once);
  });

  it('does not touch the report it is given', () => {
    const r = report();
    const before = JSON.stringify(r);
    redactReport(r);
    expect(JSON.stringify(r)).toBe(before);
  });
});

describe('egress: redactInvestigation and redactDeep', () => {
  it('redacts evidence strings with their key as context', () => {
    const evidence = {
      cloudTrail: [{ requestParameters: { username: 'admin', password: PASSPHRASE, count: 3, enabled: true } }],
      logs: [{ timestamp: 1, message: `DB_PASSWORD=${PASSPHRASE}` }],
    };
    const out = redactDeep(evidence);
    expect(JSON.stringify(out)).not.toContain(PASSPHRASE.split(' ')[0] + ' ');
    expect(out.cloudTrail[0]?.requestParameters.username).toBe('admin');
    expect(out.cloudTrail[0]?.requestParameters.count).toBe(3);
    expect(out.cloudTrail[0]?.requestParameters.enabled).toBe(true);
  });

  it('redacts the report and the evidence of an investigation', () => {
    const inv = { report: report(), evidence: { logs: [`Authorization: Bearer ${API_KEY}`] } } as unknown as Investigation;
    const out = redactInvestigation(inv);
    expect(survives(JSON.stringify(out), API_KEY)).toBe(false);
    expect(survives(JSON.stringify(out), DB_PASSWORD)).toBe(false);
  });

  it('bundle text built from a redacted investigation holds no planted secret', () => {
    const inv = { report: report(), evidence: {} } as unknown as Investigation;
    const bundle = buildBundle(redactInvestigation(inv), { describers: DESCRIBERS });
    for (const secret of [DB_PASSWORD, GH_TOKEN, API_KEY]) expect(survives(bundle.text, secret), secret).toBe(false);
  });

  it('redactText redacts added context', () => {
    expect(redactText(`it broke after rotating to ${GH_TOKEN}`)).not.toContain(GH_TOKEN.slice(4, 12));
  });
});

describe('clipping after redaction', () => {
  const text = `token ${'[REDACTED:github_token]'} and password=[REDACTED:password] then ${'word '.repeat(10)}`;

  it('never splits a marker, at any cut', () => {
    for (let max = 0; max <= text.length; max++) {
      const out = clipRedacted(text, max);
      const opens = (out.match(/\[REDACTED:/g) ?? []).length;
      const whole = (out.match(/\[REDACTED:[a-z0-9_]+\]/g) ?? []).length;
      expect(opens, out).toBe(whole);
      expect(safeCut(text, max)).toBeLessThanOrEqual(Math.max(max, 0));
    }
  });

  it('drops a value cut in half instead of keeping its head', () => {
    const secretish = `id ${'A1b2C3d4'.repeat(5)} tail`;
    expect(clipRedacted(secretish, 20)).toBe('id …');
  });

  it("the rules' clip drops the head of a cut value too", () => {
    const cut = ruleClip(`${'y'.repeat(190)} ${GH_TOKEN}`);
    expect(cut).not.toContain('ghp_');
    expect(cut.endsWith('…')).toBe(true);
  });
});
