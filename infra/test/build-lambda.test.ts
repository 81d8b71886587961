import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIamPolicy } from '../../src/aws/iam-policy.js';
import { buildLambda, type LambdaBuild } from '../build-lambda.js';

const outdir = mkdtempSync(join(tmpdir(), 'firebreak-lambda-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('build:lambda', () => {
  it('bundles a handler into one ESM file named for the stack, with embedded DynamoDB stubbed out', async () => {
    await buildLambda({ entries: { front: 'infra/test/fixtures/handler.ts' }, outdir: join(outdir, 'fixture') });
    const file = join(outdir, 'fixture', 'front.mjs');
    expect(existsSync(file)).toBe(true);
    const bundle = (await import(pathToFileURL(file).href)) as { handler: () => Promise<{ statements: number; dynalite: string }> };
    const result = await bundle.handler();
    expect(result.statements).toBe(generateIamPolicy().Statement.length);
    expect(result.dynalite).toMatch(/not available in the Lambda bundle/);
  });
});

describe('build:lambda on the real handlers', () => {
  const realOut = join(outdir, 'real');
  let built: LambdaBuild;
  beforeAll(async () => {
    built = await buildLambda({ outdir: realOut });
  }, 120_000);

  it('bundles the front, worker and schedule handlers, each exporting handler, maps kept out of the code folder', async () => {
    for (const name of ['front', 'worker', 'schedule']) {
      const mod = (await import(pathToFileURL(join(realOut, `${name}.mjs`)).href)) as { handler?: unknown };
      expect(typeof mod.handler, name).toBe('function');
    }
    expect(readdirSync(realOut, { recursive: true }).filter((f) => String(f).endsWith('.map'))).toEqual([]);
    expect(readdirSync(built.mapsDir).filter((f) => f.endsWith('.map')).length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the front lean: no engine, sources, rules, sandbox, EC2 client or embedded DynamoDB at its cold start, under 1.5 MB', () => {
    const front = built.sizes.find((s) => s.name === 'front');
    expect(front).toBeDefined();
    const heavy = front!.startInputs.filter((i) =>
      /^src\/(engine\.ts|sources\/|rules\/|sandbox\/)|@aws-sdk\/client-(ec2|cloudtrail|wafv2|api-gateway|cloudwatch-logs)\/|node_modules\/(dynalite|undici|express)\//.test(i),
    );
    expect(heavy).toEqual([]);
    expect(front!.startBytes).toBeLessThan(1.5 * 1024 * 1024);
    const worker = built.sizes.find((s) => s.name === 'worker');
    expect(worker!.reachableBytes).toBeGreaterThan(front!.startBytes);
  });

  it('the built front answers a signed Slack request (the stubbed receivers are never touched)', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    const script = join(outdir, 'call-front.mjs');
    writeFileSync(
      script,
      `import { createHmac } from 'node:crypto';
const { handler } = await import(${JSON.stringify(pathToFileURL(join(realOut, 'front.mjs')).href)});
const body = ${JSON.stringify(body)};
const ts = Math.floor(Date.now() / 1000);
const sig = 'v0=' + createHmac('sha256', 'test-secret').update('v0:' + ts + ':' + body).digest('hex');
const res = await handler({ body, headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': String(ts), 'content-type': 'application/json' }, isBase64Encoded: false }, {});
process.stdout.write('\\nRESULT ' + JSON.stringify(res) + '\\n');
process.exit(0);`,
    );
    const env = {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      FIREBREAK_WORKER_FUNCTION: 'worker',
      FIREBREAK_EMBEDDED_DYNAMODB: 'false',
      FIREBREAK_TABLE: 'firebreak',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const { stdout } = await promisify(execFile)(process.execPath, [script], { env, timeout: 60_000 });
    const lines = stdout.split('\n').filter(Boolean);
    const res = JSON.parse(lines.find((l) => l.startsWith('RESULT '))!.slice('RESULT '.length)) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'c-123' });
    // Powertools in the bundle: the ack latency went out as an EMF line.
    const emf = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(emf.some((l) => l._aws !== undefined && typeof l.AckLatency === 'number')).toBe(true);
  }, 60_000);
});
