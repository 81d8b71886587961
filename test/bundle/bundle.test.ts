import { describe, expect, it } from 'vitest';
import { buildBundle, renderPlain } from '../../src/bundle/index.js';
import { clip } from '../../src/bundle/format.js';
import { redact } from '../../src/bundle/redact.js';
import { SECTION_ORDER, section } from '../../src/bundle/sections.js';
import { estimateTokens } from '../../src/bundle/tokens.js';
import { makeInvestigation } from './fixtures.js';
import { DESCRIBERS } from '../support/describers.js';

describe('buildBundle', () => {
  it('renders compact, clearly headed sections in priority order', () => {
    const bundle = buildBundle(makeInvestigation(), { describers: DESCRIBERS, budget: 'large', sections: SECTION_ORDER });
    const headings = bundle.text.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.split(':')[0]);
    expect(headings).toEqual(['## findings', '## coverage', '## configuration', '## log-errors', '## cloudtrail', '## flow-logs', '## traffic']);
    expect(bundle.sections.map((s) => s.name)).toEqual(['findings', 'coverage', 'configuration', 'log-errors', 'cloudtrail', 'flow-logs', 'traffic']);
    // Findings, blind spots and the configuration facts the rules rely on.
    expect(bundle.text).toContain('[critical] I1.lambda-permission: API Gateway may not invoke orders');
    expect(bundle.text).toContain('cloudtrail.denies: error error=access_denied cloudtrail:LookupEvents');
    expect(bundle.text).toContain('waf.web-acl: not_configured — no web ACL on stage prod hint: associate a web ACL');
    expect(bundle.text).toContain('lambda orders invoke permission for this API: MISSING — no statement for apigateway.amazonaws.com');
    expect(bundle.text).toContain('security group sg-0123456789abcdef0');
    expect(bundle.text).toContain('https443=NONE');
    // Templated errors with a verbatim example, routes of healthy traffic, grouped rejects.
    expect(bundle.text).toMatch(/\[5×\] <reqid> Execution failed due to configuration error: Invalid permissions on Lambda function/);
    // An example that is only the template with its request id filled in is not repeated.
    expect(bundle.text).not.toMatch(/e\.g\. \S+ \(00000009-aaaa-4bbb-8ccc-000000000009\) Execution failed/);
    expect(bundle.text).toMatch(/GET \/orders\/\{id\} 200: 45/);
    expect(bundle.text).toContain('[5×] <reqid> status=500 GET /orders/{id} ip=<ip> error.message=Internal server error');
    expect(bundle.text).toMatch(/\[5×\] REJECT 10\.0\.2\.7 → 10\.0\.1\.15:443 protocol=6/);
    expect(bundle.text).not.toMatch(/\n\s*\{\n/); // no pretty-printed JSON
  });

  it('is deterministic: the same input gives the same sha256', () => {
    const a = buildBundle(makeInvestigation(), { describers: DESCRIBERS, budget: 'small' });
    const b = buildBundle(makeInvestigation(), { describers: DESCRIBERS, budget: 'small' });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.sha256).toBe(b.sha256);
    expect(a.text).toBe(b.text);
    expect(buildBundle(makeInvestigation(), { describers: DESCRIBERS, budget: 'small', context: 'deploy at 14:00' }).sha256).not.toBe(a.sha256);
  });

  it('fits the budget, and is far smaller than everything collected on large logs', () => {
    const investigation = makeInvestigation({ requests: 2_000 });
    const bundle = buildBundle(investigation, { describers: DESCRIBERS, budget: 'small' });
    expect(bundle.tokens).toBeLessThanOrEqual(4_000);
    expect(bundle.tokens).toBe(estimateTokens(bundle.text));
    expect(bundle.rawTokens).toBe(estimateTokens(renderPlain(investigation, DESCRIBERS)));
    expect(bundle.rawTokens / bundle.tokens).toBeGreaterThan(20);
    expect(bundle.budget).toBe('small');
    // The error evidence survives even at the small budget.
    expect(bundle.text).toContain('Invalid permissions on Lambda function');
  });

  it('renderPlain holds every log line', () => {
    const plain = renderPlain(makeInvestigation({ requests: 30 }), DESCRIBERS);
    expect(plain.match(/Starting execution for request/g)).toHaveLength(30);
    expect(plain.match(/REJECT OK/g)).toHaveLength(5);
  });

  it('accepts a numeric budget and configured budget sizes', () => {
    expect(buildBundle(makeInvestigation(), { describers: DESCRIBERS, budget: 900 })).toMatchObject({ budget: '900' });
    expect(buildBundle(makeInvestigation(), { describers: DESCRIBERS, budget: 900 }).tokens).toBeLessThanOrEqual(900);
    expect(buildBundle(makeInvestigation(), { describers: DESCRIBERS, budget: 'small', budgets: { small: 700 } }).tokens).toBeLessThanOrEqual(700);
    expect(() => buildBundle(makeInvestigation(), { describers: DESCRIBERS, budget: 0 })).toThrow(/positive/);
  });

  it('puts the redacted user context right after findings', () => {
    const bundle = buildBundle(makeInvestigation(), { describers: DESCRIBERS, context: 'it broke after the 14:00 deploy\nmy token: xoxb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
    });
    const headings = bundle.text.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.split(':')[0]);
    expect(headings.slice(0, 3)).toEqual(['## findings', '## context', '## coverage']);
    expect(bundle.text).toContain('it broke after the 14:00 deploy');
    expect(bundle.text).not.toContain('AbCdEfGhIjKlMnOpQrStUvWx');
    expect(bundle.redactions).toEqual({ slack_token: 1 });
  });

  it('redacts secrets found anywhere in the evidence and counts them by kind', () => {
    const investigation = makeInvestigation();
    const lines = investigation.evidence['logs.execution']?.[0]?.lines ?? [];
    lines.push({ timestamp: Date.UTC(2024, 4, 1, 10, 30), message: '(abcdef123456) Method request headers: {Authorization=Bearer abc123def456ghi789jkl, Host=x} ERROR' });
    const bundle = buildBundle(investigation, { describers: DESCRIBERS, budget: 'large' });
    expect(bundle.text).not.toContain('abc123def456ghi789jkl');
    expect(bundle.redactions.authorization).toBeGreaterThanOrEqual(1);
    expect(redact(bundle.text).counts).toEqual({});
    // Account ids and IPs are evidence: kept by default, masked on request.
    expect(bundle.text).toContain('123456789012');
    expect(bundle.text).toContain('10.0.1.15');
    const masked = buildBundle(investigation, { describers: DESCRIBERS, budget: 'large', maskAccountIds: true, maskIps: true });
    expect(masked.text).not.toContain('123456789012');
    expect(masked.text).not.toContain('10.0.1.15');
    expect(masked.redactions.account_id).toBeGreaterThan(0);
    expect(masked.redactions.ip).toBeGreaterThan(0);
  });

  it('includes only the requested sections, always with findings and coverage', () => {
    const bundle = buildBundle(makeInvestigation(), { describers: DESCRIBERS, sections: ['cloudtrail'] });
    expect(bundle.sections.map((s) => s.name)).toEqual(['findings', 'coverage', 'cloudtrail']);
    expect(() => buildBundle(makeInvestigation(), { describers: DESCRIBERS, sections: ['nope'] })).toThrow(/unknown bundle section/);
  });

  it('reads each heading as "## <name>: <title>" without repeating the name', () => {
    for (const name of SECTION_ORDER) {
      const { heading } = section(name, []);
      expect(heading.startsWith(`## ${name}: `)).toBe(true);
      expect(heading.slice(`## ${name}: `.length).startsWith(`${name}:`), heading).toBe(false);
    }
    expect(buildBundle(makeInvestigation(), { describers: DESCRIBERS }).text).toContain('## coverage: every data source considered\n');
  });

  describe('a secret at the 300-character clip boundary', () => {
    // Fake JWT; starts at character 281 of a quote clipped at 300, so a naive cut keeps 19 of its characters.
    const JWT =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0' + '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    const long = `${'x'.repeat(280)} ${JWT} tail`;

    it('is redacted before the finding quote is clipped', () => {
      const investigation = makeInvestigation({
        findings: [
          {
            rule: 'I1.lambda-permission',
            severity: 'critical',
            title: 'API Gateway may not invoke orders',
            detail: 'The function policy has no statement for this API.',
            evidence: [{ source: 'logs.execution', key: 'prod', quote: long }],
            fix: 'aws lambda add-permission ...',
          },
        ],
      });
      const bundle = buildBundle(investigation, { describers: DESCRIBERS, budget: 'large' });
      expect(bundle.text).not.toContain('eyJhbGci');
      expect(bundle.text).toContain('[REDACTED:jwt]');
      expect(bundle.redactions).toEqual({ jwt: 1 });
    });

    it('is redacted before a coverage error message is clipped', () => {
      const investigation = makeInvestigation();
      investigation.report.coverage.push(
        { source: 'logs.lambda', title: 'logs.lambda', status: 'error', durationMs: 5, calls: [], error: { kind: 'unknown', message: long } },
      );
      const bundle = buildBundle(investigation, { describers: DESCRIBERS, budget: 'large' });
      expect(bundle.text).not.toContain('eyJhbGci');
      expect(bundle.redactions.jwt).toBeGreaterThanOrEqual(1);
    });

    it('clip never keeps part of a value: a cut inside one drops it whole', () => {
      // What is cut is redacted first: the JWT becomes a marker and the text then fits.
      expect(clip(long, 300)).toBe(`${'x'.repeat(280)} [REDACTED:jwt] tail`);
      expect(clip(`${'x'.repeat(290)} ${JWT} tail`, 300)).toBe(`${'x'.repeat(290)} …`);
      expect(clip(`${'x'.repeat(290)} [REDACTED:jwt] tail`, 300)).toBe(`${'x'.repeat(290)} …`);
      expect(clip('short text', 300)).toBe('short text');
      expect(clip('ab cd ef', 5)).toBe('ab cd…');
    });
  });

  it('says so when a section has nothing', () => {
    const investigation = makeInvestigation();
    delete investigation.evidence['ec2.flow-logs'];
    expect(buildBundle(investigation, { describers: DESCRIBERS, sections: SECTION_ORDER }).text).toContain('## flow-logs: vpc flow log rejects\n(nothing collected)');
  });

  it('focuses on a cause named with high confidence: leaves out the rest and says what and why', () => {
    const focused = buildBundle(makeInvestigation(), { describers: DESCRIBERS });
    const full = buildBundle(makeInvestigation(), { describers: DESCRIBERS, sections: SECTION_ORDER });
    const headings = focused.text.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.split(':')[0]);
    expect(headings).toEqual(['## findings', '## coverage', '## configuration', '## log-errors', '## left out']);
    expect(focused.text).toMatch(/## left out: cloudtrail, flow-logs, traffic \(I1\.lambda-permission named the cause with high confidence; add them back with Add context\)/);
    expect(focused.sections.filter((s) => s.leftOut).map((s) => s.name)).toEqual(['cloudtrail', 'flow-logs', 'traffic']);
    // What the cause needs stays: its finding, the function's permission, the errors around it.
    expect(focused.text).toContain('lambda orders invoke permission for this API: MISSING');
    expect(focused.text).toMatch(/\[5×\] <reqid> Execution failed due to configuration error: Invalid permissions on Lambda function/);
    expect(focused.tokens).toBeLessThan(full.tokens);
  });

  it('keeps errors out of the healthy traffic table', () => {
    const text = buildBundle(makeInvestigation(), { describers: DESCRIBERS, sections: SECTION_ORDER }).text;
    const traffic = text.slice(text.indexOf('## traffic'));
    expect(traffic).not.toMatch(/\b[45]\d\d: \d/);
    expect(traffic).toMatch(/2xx\/3xx/);
  });
});
