import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/index.js';
import { incidentFingerprint } from '../../src/bundle/fingerprint.js';
import type { Evidence, LogLine } from '../../src/core/evidence.js';
import type { Finding } from '../../src/core/finding.js';
import type { Investigation } from '../../src/core/report.js';
import { makeInvestigation, row } from './fixtures.js';
import { DESCRIBERS } from '../support/describers.js';

const finding: Finding = {
  rule: 'I1.lambda-permission-missing',
  severity: 'critical',
  title: '212 requests failed: API Gateway may not invoke orders',
  detail: '212 × Invalid permissions on Lambda function between 10:00 and 12:00',
  evidence: [{ source: 'logs.execution', key: 'prod', quote: '212 × invalid permissions: (c0ffee00-aaaa-4bbb-8ccc-000000000001) Execution failed' }],
  fix: 'add the permission',
};

/** The same situation at another moment: times shifted, other request ids, other counts. */
function later(investigation: Investigation, shiftMs: number, extraRequests: number): Investigation {
  const e = investigation.evidence;
  const shift = (lines: LogLine[]) => lines.map((l) => ({ ...l, timestamp: l.timestamp + shiftMs, message: l.message.replace(/\(0000/g, '(1111').replace(/request: 0000/g, 'request: 1111') }));
  const executions = e['logs.execution']!.map((log) => ({ ...log, lines: [...shift(log.lines), ...shift(log.lines.slice(0, extraRequests * 4))] }));
  const access = e['logs.access']!.map((log) => ({ ...log, records: log.records.map((r) => ({ ...r, timestamp: r.timestamp + shiftMs, requestId: `other-${r.requestId}` })) }));
  const findings = investigation.report.findings.map((f) => ({
    ...f,
    title: f.title.replace('212', '340'),
    detail: f.detail.replace('212', '340'),
    evidence: f.evidence.map((r) => ({ ...r, quote: r.quote?.replace('212', '340').replace('c0ffee00', 'deadbeef') })),
  }));
  return {
    evidence: { ...e, 'logs.execution': executions, 'logs.access': access },
    report: {
      ...investigation.report,
      window: { since: new Date(Date.parse(investigation.report.window.since) + shiftMs).toISOString(), until: new Date(Date.parse(investigation.report.window.until) + shiftMs).toISOString() },
      durationMs: investigation.report.durationMs + 17,
      findings,
      coverage: investigation.report.coverage.map((c) => ({ ...c, count: (c.count ?? 0) + 3, durationMs: c.durationMs + 9 })),
    },
  };
}

function base(): Investigation {
  const investigation = makeInvestigation({ requests: 60, findings: [finding] });
  return { ...investigation, report: { ...investigation.report, coverage: [row('logs.execution', 'ok', { count: 240 }), row('cloudtrail.denies', 'error', { error: { kind: 'access_denied', message: 'no', action: 'cloudtrail:LookupEvents' } })] } };
}

describe('the incident fingerprint', () => {
  it('ignores timestamps, request ids, counts, latencies and the window', () => {
    const now = base();
    const fiveMinutesLater = later(now, 5 * 60_000, 10);
    const a = buildBundle(now, { describers: DESCRIBERS });
    const b = buildBundle(fiveMinutesLater, { describers: DESCRIBERS });
    expect(b.sha256).not.toBe(a.sha256);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.errorCount).toBeGreaterThan(a.errorCount!);
    expect(incidentFingerprint(now, { describers: DESCRIBERS }).text).not.toMatch(/2024-05-01T|c0ffee00|\b212\b/);
  });

  it('changes with a finding, its severity, a configuration line, a new error template, a coverage status or the context', () => {
    const now = base();
    const fingerprint = (investigation: Investigation, context?: string) => incidentFingerprint(investigation, { describers: DESCRIBERS, ...(context ? { context } : {}) }).fingerprint;
    const reference = fingerprint(now);
    const withEvidence = (evidence: Evidence): Investigation => ({ ...now, evidence: { ...now.evidence, ...evidence } });

    const changes: Investigation[] = [
      { ...now, report: { ...now.report, findings: [...now.report.findings, { ...finding, rule: 'N2.endpoint-sg-no-443' }] } },
      { ...now, report: { ...now.report, findings: [{ ...finding, severity: 'high' }] } },
      withEvidence({ 'ec2.security-groups': [{ groupId: 'sg-0123456789abcdef0', https: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrs: ['10.0.0.0/8'], ipv6Cidrs: [], sourceGroupIds: [], prefixListIds: [] }], inboundRuleCount: 1, usedBy: [] }] }),
      withEvidence({
        'logs.execution': now.evidence['logs.execution']!.map((log) => ({
          ...log,
          lines: [...log.lines, { timestamp: 1, message: '(abc) Lambda invocation failed with status: 429. Rate Exceeded' }],
        })),
      }),
      { ...now, report: { ...now.report, coverage: [row('logs.execution', 'ok'), row('cloudtrail.denies', 'ok')] } },
    ];
    for (const changed of changes) expect(fingerprint(changed)).not.toBe(reference);
    expect(fingerprint(now, 'it started after the 14:00 deploy')).not.toBe(reference);
    expect(fingerprint(now, 'it started after the 14:00 deploy')).toBe(fingerprint(now, '  it started after the 14:00   deploy '));
  });

  it('does not change with the resolved addresses of a custom domain', () => {
    const dns = (addresses: string[]): Investigation => ({
      ...base(),
      evidence: { ...base().evidence, 'dns.custom-domains': [{ domainName: 'api.example.com', cnames: ['d-abc.execute-api.us-east-1.amazonaws.com'], addresses, verdict: 'current', detail: `resolves to ${addresses.join(', ')}` }] },
    });
    expect(incidentFingerprint(dns(['3.5.1.2']), { describers: DESCRIBERS }).fingerprint).toBe(incidentFingerprint(dns(['52.1.9.8', '3.5.1.3']), { describers: DESCRIBERS }).fingerprint);
  });

  it('keeps the bundle text and its sha256 as they were', () => {
    const bundle = buildBundle(base(), { describers: DESCRIBERS });
    expect(bundle.text).not.toContain(bundle.fingerprint!);
    expect(Object.keys(bundle)).toEqual(expect.arrayContaining(['sha256', 'fingerprint', 'errorCount']));
  });
});
