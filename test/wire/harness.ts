import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFirebreak, parseTroubleshootArgs } from '../../src/app/index.js';
import { loadConfig } from '../../src/config.js';
import type { Report } from '../../src/core/report.js';
import type { Fault } from '../../src/sandbox/scenario.js';
import { REGION } from './accounts.js';
import { accountCredentials, buildOnAws, type BuiltAccount } from './aws-writer.js';
import type { KnownDifference, WireCase } from './cases.js';

/**
 * Runs one wire case: builds its account on moto, investigates it through the firebreak CLI (a
 * child process, the installed bin, AWS_ENDPOINT_URL pointing at moto), and investigates its
 * sandbox mirror through the app API with the same words; then compares the two.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(repoRoot, 'bin', 'firebreak.js');
const work = mkdtempSync(join(tmpdir(), 'firebreak-wire-'));

/**
 * Calls moto cannot answer, and what it answers instead. The mirrors get the same answers as
 * faults, so both worlds cross the same failure paths; docs/wire.md lists them with the others.
 */
export const MOTO_GAPS: (Fault & { why: string })[] = [
  { operation: 'cloudtrail:LookupEvents', answer: 'html', why: 'moto 5.2.1 does not implement LookupEvents: it answers HTTP 500 with an HTML page' },
  { operation: 'apigatewayv2:GetAuthorizers', answer: 'html', why: 'moto 5.2.1 implements GetAuthorizer but not GetAuthorizers: HTTP 500 with an HTML page' },
  { operation: 'apigatewayv2:GetRouteResponses', answer: 'html', why: 'moto 5.2.1 does not implement GetRouteResponses (WebSocket routes): HTTP 500 with an HTML page' },
];

/** Where the two worlds may differ for every case, and why: nowhere (a case lists its own). */
export const MOTO_DIFFERENCES: KnownDifference[] = [];

export interface CaseRun {
  case: WireCase;
  accountId: string;
  built: BuiltAccount;
  argv: string[];
  wire: Report;
  /** The CLI's text output over the wire (cases that check it). */
  text?: string;
  mirror: Report;
  differences: Difference[];
  /** The wire run's `--record` file replayed offline (the sandbox), compared with the wire run. */
  replayDifferences: Difference[];
  recordingBytes: number;
  durationMs: number;
}

export interface Difference {
  subject: string;
  wire: string;
  mirror: string;
  /** Why it is allowed; absent for a difference nobody explained (a failure). */
  why?: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd: work, timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The words that name the API, as a person would type them after `troubleshoot api-gw`. */
function targetWords(c: WireCase, built: BuiltAccount): string[] {
  const id = built.mirror.apiId;
  const words =
    c.via === 'invoke-url'
      ? [`${c.kind === 'WEBSOCKET' ? 'wss' : 'https'}://${id}.execute-api.${REGION}.amazonaws.com/${c.kind === 'WEBSOCKET' && c.stage ? c.stage : ''}`]
      : c.via === 'domain'
        ? [firstDomain(built) ?? id]
        : [id];
  // A wss:// URL names its stage in the path.
  return c.stage && !(c.via === 'invoke-url' && c.kind === 'WEBSOCKET') ? [...words, c.stage] : words;
}

function firstDomain(built: BuiltAccount): string | undefined {
  const account = built.mirror.accounts[0];
  return account?.apigateway?.domainNames?.[0]?.domainName ?? account?.apigatewayv2?.domainNames?.[0]?.DomainName;
}

function settings(c: WireCase, built: BuiltAccount): Record<string, string> {
  // The description's other accounts, with their roles, are the accounts firebreak may read.
  const roles = built.mirror.accounts.slice(1).filter((a) => a.roleArn).map((a) => ({ accountId: a.accountId, roleArn: a.roleArn }));
  // FilterLogEvents by default: moto's Logs Insights returns rows but ignores `stats` (a case
  // turns Insights on to show what firebreak makes of that).
  return {
    FIREBREAK_LEDGER_SNAPSHOT: '',
    FIREBREAK_BUNDLE_DIR: work,
    FIREBREAK_LOGS_INSIGHTS: 'false',
    // moto computes GetMetricData in queries × periods × data points, in Python, on a shared machine.
    FIREBREAK_SOURCE_TIMEOUT_MS: '45000',
    ...(roles.length ? { FIREBREAK_ACCOUNTS: JSON.stringify(roles) } : {}),
    ...c.env,
  };
}

export async function runCase(c: WireCase, index: number, endpoint: string): Promise<CaseRun> {
  const started = Date.now();
  // One AWS account per case: moto keeps each account's world apart.
  const accountId = `31000000${String(index + 1).padStart(4, '0')}`;
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const credentials = await accountCredentials(endpoint, REGION, accountId);
  const description = c.describe({ name: c.name, accountId, now });
  const built = await buildOnAws(description, { endpoint, region: REGION, credentials: (id) => (id === accountId ? Promise.resolve(credentials) : accountCredentials(endpoint, REGION, id)) });

  const mirrorFile = join(work, `${c.name}.json`);
  const mirrorInput = { ...built.mirrorInput, faults: [...(built.mirrorInput.faults ?? []), ...MOTO_GAPS.map(({ why: _why, ...fault }) => fault)] };
  writeFileSync(mirrorFile, JSON.stringify(mirrorInput, null, 1));

  const argv = [...targetWords(c, built), '--until', now.toISOString(), '--since', '2h'];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: work,
    NODE_NO_WARNINGS: '1',
    NO_COLOR: '1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    ...settings(c, built),
  };
  const recording = join(work, `${c.name}-recording.yaml`);
  const [json, text, mirror] = await Promise.all([
    run(process.execPath, [BIN, 'troubleshoot', 'api-gw', ...argv, '--json', '--record', recording], env),
    c.text ? run(process.execPath, [BIN, 'troubleshoot', 'api-gw', ...argv], env) : Promise.resolve(undefined),
    investigateMirror(c, built, mirrorFile, argv),
  ]);
  if (json.code !== 0) throw new Error(`${c.name}: firebreak over the wire exited ${json.code}: ${json.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const wire = JSON.parse(json.stdout) as Report;
  const differences = compareReports(wire, mirror, [...MOTO_DIFFERENCES, ...(c.differences ?? [])]);
  // The recording of the wire run, replayed offline: moto's own answers, so no difference is allowed.
  const replay = await investigateMirror(c, built, recording, argv);
  const replayDifferences = compareReports(wire, replay, []);
  const recordingBytes = statSync(recording).size;
  return { case: c, accountId, built, argv, wire, ...(text ? { text: text.stdout + text.stderr } : {}), mirror, differences, replayDifferences, recordingBytes, durationMs: Date.now() - started };
}

/** The mirror through the app API: the same words, the sandbox world. */
async function investigateMirror(c: WireCase, built: BuiltAccount, scenarioFile: string, argv: string[]): Promise<Report> {
  const parsed = parseTroubleshootArgs(argv);
  if (!parsed.ok || parsed.value.kind !== 'request') throw new Error(`${c.name}: ${parsed.ok ? 'help' : parsed.error}`);
  const app = await createFirebreak(loadConfig(settings(c, built)), { world: { scenario: scenarioFile } });
  try {
    const plan = await app.plan(parsed.value.request);
    return (await app.troubleshoot(plan)).report;
  } finally {
    await app.close();
  }
}

const rowKey = (row: Report['coverage'][number] | undefined) =>
  row ? `${row.status}${row.error ? `:${row.error.kind}` : ''}${row.count === undefined ? '' : ` (${row.count})`}` : 'absent';

export const findingKey = (f: Report['findings'][number]) => `${f.rule}:${f.severity}${f.inconclusive ? '?' : ''}`;

/** A finding's numbers as a person repeats them: what, how many of how many, on what basis. */
const figureKey = (f: NonNullable<Report['findings'][number]['figures']>[number]) =>
  `${f.what} ${f.numerator}/${f.denominator ?? '?'} ${f.unit} ${f.basis}${f.exact ? '' : '~'} (${f.scope.kind} ${f.scope.stage ? `${f.scope.stage} ` : ''}${f.scope.name})${f.onset ? ` since ${f.onset.slice(11, 16)}` : ''}`;

/** Coverage rows (status, error kind, count) and findings (rule, severity, inconclusive, figures) side by side. */
export function compareReports(wire: Report, mirror: Report, allowed: KnownDifference[]): Difference[] {
  const out: Difference[] = [];
  const why = (subject: string) => allowed.find((a) => a.subject === subject || (a.subject.endsWith('.*') && subject.startsWith(a.subject.slice(0, -1))))?.why;
  const sources = [...new Set([...wire.coverage, ...mirror.coverage].map((r) => r.source))];
  for (const source of sources) {
    const [w, m] = [rowKey(wire.coverage.find((r) => r.source === source)), rowKey(mirror.coverage.find((r) => r.source === source))];
    if (w !== m) out.push({ subject: source, wire: w, mirror: m, ...(why(source) ? { why: why(source) } : {}) });
  }
  const rules = [...new Set([...wire.findings, ...mirror.findings].map((f) => f.rule))];
  for (const rule of rules) {
    const [w, m] = [wire, mirror].map((r) => r.findings.filter((f) => f.rule === rule).map(findingKey).sort().join(', ') || 'none');
    if (w !== m) out.push({ subject: rule, wire: w as string, mirror: m as string, ...(why(rule) ? { why: why(rule) } : {}) });
    // The numbers in the findings too (metrics on moto are written from the same traffic).
    const [wf, mf] = [wire, mirror].map((r) => r.findings.filter((f) => f.rule === rule).flatMap((f) => (f.figures ?? []).map(figureKey)).sort().join('; ') || 'none');
    const subject = `${rule} figures`;
    if (w === m && wf !== mf) out.push({ subject, wire: wf as string, mirror: mf as string, ...(why(subject) ? { why: why(subject) } : {}) });
  }
  return out;
}

/** Removes the suite's files (mirrors, bundles): call once when every case is done. */
export function cleanUp(): void {
  rmSync(work, { recursive: true, force: true });
}

/** Runs `work` over `items`, at most `limit` at a time, in order of the items. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i] as T, i);
  });
  await Promise.all(lanes);
  return results;
}
