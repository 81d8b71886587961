/**
 * Log lines leave every process: the Slack app's pino logger (listeners, jobs, Bolt's own
 * warnings through it) and the Lambda processes' Powertools logger (the front and the worker,
 * with the pino lines routed into it) pass the egress boundary: messages, fields, errors, stacks
 * and causes. Secrets generated here, as in the corpus.
 */
import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { boltLogger } from '../../src/slack/bolt-logger.js';
import { createPowertools, pinoIntoPowertools } from '../../src/slack/receivers/powertools.js';
import { runWorkerEvent } from '../../src/slack/receivers/worker.js';
import { createSlackServices } from '../../src/slack/services-factory.js';
import { Gen } from '../bundle/secret-corpus.js';
import { fakeApp, fakeClient, fakeServices } from '../support/fake-app.js';
import { lambdaContext } from '../support/lambda-context.js';

const g = new Gen(27_027);
const PASSWORD = g.urlPassword();
const TOKEN = `ghp_${g.alnum(36)}`;
const AWS_SECRET = g.awsSecret();
const SECRETS = [PASSWORD, TOKEN, AWS_SECRET];

function leaked(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s) || text.includes(s.slice(0, 12)));
}

/** An error as drivers and AWS write them: the secret in the message, the stack and the cause. */
function failure(): Error {
  const cause = new Error(`request signed with aws_secret_access_key=${AWS_SECRET}`);
  const err = new Error(`connect ECONNREFUSED postgresql://svc:${PASSWORD}@orders-db:5432/orders`, { cause });
  (err as Error & { config: unknown }).config = { headers: { Authorization: `token ${TOKEN}` } };
  return err;
}

function sink(): { text(): string; stream: Writable } {
  const chunks: string[] = [];
  return {
    text: () => chunks.join(''),
    stream: new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
  };
}

describe('the Slack app process', () => {
  it("writes no secret: the message, the fields, the error's message, stack and cause, Bolt's own lines", async () => {
    const out = sink();
    const config = loadConfig({}, { logLevel: 'debug' });
    const services = await createSlackServices(config, { app: fakeApp(), logDestination: out.stream });
    services.logger.error({ err: failure(), user: 'U1', context: `deploy token ${TOKEN}` }, `job failed for postgresql://svc:${PASSWORD}@db`);
    services.logger.child({ job: 'j1' }).warn(failure());
    boltLogger(services.logger, LogLevel.DEBUG).error('An unhandled error occurred', failure());
    const text = out.text();
    expect(text).toContain('[REDACTED:');
    expect(text).toContain('ECONNREFUSED');
    expect(leaked(text)).toEqual([]);
    for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('the Lambda processes (Powertools logger: front and worker)', () => {
  const written: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    written.length = 0;
  });
  /** Powertools writes warnings and errors to stderr, the rest to stdout: both leave the process. */
  const captureStdout = () => {
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    }
  };

  it("writes no secret from its own calls, nor from the listeners' pino lines routed into it", () => {
    captureStdout();
    const tools = createPowertools();
    tools.logger.addContext(lambdaContext('Firebreak-front'));
    tools.logger.error(`worker event failed: token ${TOKEN}`, failure());
    tools.logger.warn('retrying', { detail: `password=${PASSWORD}`, nested: { secret_access_key: AWS_SECRET } });
    pinoIntoPowertools(tools.logger).error({ err: failure() }, `listener failed for ${TOKEN}`);
    const text = written.join('');
    expect(text).toContain('[REDACTED:');
    expect(leaked(text)).toEqual([]);
  });

  it('the worker: a job that fails with a secret in its error logs none of it', async () => {
    captureStdout();
    const tools = createPowertools();
    const services = fakeServices();
    const bad = { kind: 'download', jobId: 'job-log-1', investigationId: 'inv-1', user: 'U1', channel: 'C1', threadTs: '1.0', messageTs: '1.0' };
    vi.spyOn(services.app, 'claimJob').mockRejectedValue(failure());
    await expect(runWorkerEvent(bad, services, fakeClient() as never, tools, lambdaContext('Firebreak-worker'))).rejects.toThrow();
    const text = written.join('');
    expect(text).toContain('worker event failed');
    expect(leaked(text)).toEqual([]);
  });
});
