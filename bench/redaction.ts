/**
 * Redaction throughput and worst cases: ordinary logs in MB/s, the slowest of a set of
 * adversarial 256 KB lines (CloudWatch's largest event), and a 1 MB added context.
 * Aim (issue 10): ordinary logs at 20 MB/s or more, a 256 KB adversarial line under 50 ms.
 */
import { performance } from 'node:perf_hooks';
import { redact, redactLine } from '../src/bundle/redact.js';
import { generateExecutionLines } from './bundle.js';

const LINE_BYTES = 256 * 1024;

function repeatTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** Shapes that made backtracking regexes (or naive scanners) super-linear. */
const ADVERSARIAL: Record<string, string> = {
  'letters, dots and dashes': repeatTo('abc.def-ghi.', LINE_BYTES),
  'one long word': repeatTo('a', LINE_BYTES),
  'key=key=key=': repeatTo('token=', LINE_BYTES),
  'password= then no end': `password=${repeatTo('x', LINE_BYTES - 9)}`,
  'unclosed JSON password': `{"password":"${repeatTo('correct horse ', LINE_BYTES - 14)}`,
  'eyJ runs': repeatTo('eyJeyJJ-', LINE_BYTES),
  'scheme separators': repeatTo('a://b:c', LINE_BYTES),
  'curl -u quotes': repeatTo(" -u 'a:b", LINE_BYTES),
  'long flags': repeatTo(' --password ', LINE_BYTES),
  'base64 run': repeatTo('AbC1/+x9', LINE_BYTES),
  'colons': repeatTo('a:', LINE_BYTES),
  'header dump commas': `{Authorization=${repeatTo('x, y', LINE_BYTES - 16)}}`,
  'ghp_ prefixes': repeatTo('ghp_', LINE_BYTES),
  'sshpass segments': repeatTo('sshpass -p ', LINE_BYTES),
  'markers': repeatTo('[REDACTED:x]', LINE_BYTES),
};

function time(fn: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function ordinaryLines(): string[] {
  const execution = generateExecutionLines(60_000).map((l) => l.message);
  const lambda = Array.from({ length: 20_000 }, (_, i) =>
    i % 10 === 0
      ? `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.120Z\t8f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'id')","stack":["TypeError: x","    at Runtime.handler (/var/task/index.js:12:7)"]}`
      : `REPORT RequestId: 8f5a1b2c-3d4e-5f60-7182-93a4b5c6d7e8 Duration: ${i % 900}.12 ms Billed Duration: ${i % 900} ms Memory Size: 128 MB Max Memory Used: 80 MB`,
  );
  const access = Array.from(
    { length: 20_000 },
    (_, i) => `{"requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbe${String(i % 100).padStart(2, '0')}","ip":"203.0.113.${i % 250}","requestTime":"01/May/2024:10:00:00 +0000","httpMethod":"GET","resourcePath":"/orders/{id}","status":"${i % 17 === 0 ? 502 : 200}","responseLength":"42"}`,
  );
  return [...execution, ...lambda, ...access];
}

export async function benchRedaction(): Promise<string[]> {
  const out: string[] = ['redaction'];
  const lines = ordinaryLines();
  const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
  redactLine(lines[0] as string);
  const perLineMs = time(() => {
    for (const line of lines) redactLine(line);
  });
  out.push(`  ordinary logs, line by line: ${(bytes / 1e6).toFixed(1)} MB (${lines.length.toLocaleString('en-US')} lines) in ${perLineMs.toFixed(0)} ms = ${(bytes / 1e6 / (perLineMs / 1000)).toFixed(1)} MB/s (aim >= 20)`);
  const blob = lines.join('\n');
  const blobMs = time(() => redact(blob), 2);
  out.push(`  ordinary logs, as one text: ${(bytes / 1e6 / (blobMs / 1000)).toFixed(1)} MB/s`);

  let worst = { name: '', ms: 0 };
  for (const [name, line] of Object.entries(ADVERSARIAL)) {
    const ms = time(() => redact(line));
    if (ms > worst.ms) worst = { name, ms };
  }
  out.push(`  256 KB adversarial line, slowest of ${Object.keys(ADVERSARIAL).length} shapes: ${worst.ms.toFixed(1)} ms ("${worst.name}") (aim < 50)`);

  const context = Array.from({ length: 9_000 }, (_, i) =>
    i % 50 === 0 ? `deploy ${i}: export DB_PASSWORD=Tr0ub4dor&3-${i} and curl -u ops:pw${i}x https://ci` : `it started after the ${i % 24}:00 deploy of orders-service; errors on GET /orders/${i} with 502 and trace Root=1-5759e988-bd862e3fe1be46a994272793`,
  ).join('\n').slice(0, 1024 * 1024);
  const contextMs = time(() => redact(context), 2);
  out.push(`  1 MB added context: ${contextMs.toFixed(0)} ms`);
  return out;
}
