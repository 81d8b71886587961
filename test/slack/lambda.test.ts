import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SlackJob } from '../../src/slack/jobs/types.js';
import { createLambdaFront } from '../../src/slack/receivers/lambda.js';
import { cachedUntilRejected, lambdaServices } from '../../src/slack/receivers/shared.js';
import { handleWorkerEvent } from '../../src/slack/receivers/worker.js';
import { commandBody, signedRequest } from '../support/sign.js';
import { CHANNEL, findActionMessage, REQUESTER, SIGNING_SECRET, startHarness, type Harness, closeAndCheck } from './harness.js';

function apiGatewayEvent(body: string, headers: Record<string, string>) {
  return { httpMethod: 'POST', path: '/slack/events', headers, body, isBase64Encoded: false, requestContext: {} };
}

/** What a Lambda function URL sends (payload format 2.0): the stack's front uses one. */
function functionUrlEvent(body: string, headers: Record<string, string>, base64 = false) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers,
    requestContext: { accountId: 'anonymous', apiId: 'example', domainName: 'example.lambda-url.us-east-1.on.aws', http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'Slackbot 1.0' }, requestId: 'r1', routeKey: '$default', stage: '$default', time: '01/Jan/2026:00:00:00 +0000', timeEpoch: 0 },
    body: base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: base64,
  };
}

describe('AWS Lambda: a front that acks and hands off, an idempotent worker', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => closeAndCheck(h));

  it('verifies, acks and invokes the worker; the worker runs each job once', async () => {
    const jobs: SlackJob[] = [];
    const front = createLambdaFront(h.config, h.services, async (job) => {
      jobs.push(job);
    });
    const body = commandBody({ command: '/troubleshoot', text: 'api-gw a1b2c3d4e5 prod', user_id: REQUESTER, channel_id: CHANNEL, trigger_id: 't1', response_url: h.slack.responseUrl('l1') });
    const signed = signedRequest(SIGNING_SECRET, body);
    const response = (await front(apiGatewayEvent(body, signed.headers) as never, {} as never)) as { statusCode: number };
    expect(response.statusCode).toBe(200);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: 'troubleshoot', channel: CHANNEL, user: REQUESTER });
    // The front did none of the slow work.
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);

    // Lambda's async invoke may deliver twice: the second delivery is a no-op.
    const client = h.running.app.client;
    expect(await handleWorkerEvent(jobs[0], h.services, client)).toEqual({ ran: true });
    expect(await handleWorkerEvent(jobs[0], h.services, client)).toEqual({ ran: false });
    expect(findActionMessage(h.slack)).toBeDefined();
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined)).toHaveLength(1);
  }, 60_000);

  it('rejects a bad signature with 401 and invokes nothing', async () => {
    const jobs: SlackJob[] = [];
    const front = createLambdaFront(h.config, h.services, async (job) => {
      jobs.push(job);
    });
    const body = commandBody({ command: '/troubleshoot', text: 'help', user_id: REQUESTER, channel_id: CHANNEL });
    const signed = signedRequest('not-the-secret', body);
    const response = (await front(apiGatewayEvent(body, signed.headers) as never, {} as never)) as { statusCode: number };
    expect(response.statusCode).toBe(401);
    expect(jobs).toHaveLength(0);
    // The same body, rightly signed, is answered in the ack itself (help needs no worker).
    const good = signedRequest(SIGNING_SECRET, body);
    const ok = (await front(apiGatewayEvent(body, good.headers) as never, {} as never)) as { statusCode: number; body: string };
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).response_type).toBe('ephemeral');
    expect(jobs).toHaveLength(0);
  });

  it('refuses an event that is not a job', async () => {
    await expect(handleWorkerEvent({ hello: 'world' }, h.services, h.running.app.client)).rejects.toThrow('not a firebreak job');
  });

  it('accepts a function-URL event (payload 2.0), with a plain and a base64 body', async () => {
    const jobs: SlackJob[] = [];
    const front = createLambdaFront(h.config, h.services, async (job) => {
      jobs.push(job);
    });
    for (const base64 of [false, true]) {
      const body = commandBody({ command: '/troubleshoot', text: 'api-gw a1b2c3d4e5 prod', user_id: REQUESTER, channel_id: CHANNEL, trigger_id: `t2-${base64}`, response_url: h.slack.responseUrl('fu') });
      const signed = signedRequest(SIGNING_SECRET, body);
      const response = (await front(functionUrlEvent(body, signed.headers, base64) as never, {} as never)) as { statusCode: number; body: string };
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Investigating `a1b2c3d4e5`') });
    }
    expect(jobs.map((j) => j.kind)).toEqual(['troubleshoot', 'troubleshoot']);
  });

  it('rejects a rightly signed function-URL event whose timestamp is older than 5 minutes', async () => {
    const jobs: SlackJob[] = [];
    const front = createLambdaFront(h.config, h.services, async (job) => {
      jobs.push(job);
    });
    const body = commandBody({ command: '/troubleshoot', text: 'api-gw a1b2c3d4e5', user_id: REQUESTER, channel_id: CHANNEL, trigger_id: 't3', response_url: h.slack.responseUrl('old') });
    const old = signedRequest(SIGNING_SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    const response = (await front(functionUrlEvent(body, old.headers) as never, {} as never)) as { statusCode: number };
    expect(response.statusCode).toBe(401);
    expect(jobs).toHaveLength(0);
  });

  it('rejects a rightly signed event stamped 6 minutes or a day in the future (Bolt checks only the past)', async () => {
    const jobs: SlackJob[] = [];
    const front = createLambdaFront(h.config, h.services, async (job) => {
      jobs.push(job);
    });
    for (const [i, ahead] of [6 * 60, 86_400].entries()) {
      const body = commandBody({ command: '/troubleshoot', text: 'api-gw a1b2c3d4e5', user_id: REQUESTER, channel_id: CHANNEL, trigger_id: `t-future-${i}`, response_url: h.slack.responseUrl(`future-${i}`) });
      const future = signedRequest(SIGNING_SECRET, body, { timestamp: Math.floor(Date.now() / 1000) + ahead });
      const response = (await front(functionUrlEvent(body, future.headers) as never, {} as never)) as { statusCode: number };
      expect(response.statusCode).toBe(401);
    }
    expect(jobs).toHaveLength(0);
  });
});

describe('a failed cold start does not poison a warm container', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('cachedUntilRejected shares a success but builds again after a failure', async () => {
    let builds = 0;
    const get = cachedUntilRejected(async () => {
      builds++;
      if (builds === 1) throw new Error('throttled');
      return builds;
    });
    await expect(get()).rejects.toThrow('throttled');
    expect(await get()).toBe(2);
    expect(await get()).toBe(2);
    expect(builds).toBe(2);
  });

  it('lambdaServices reads the configuration again after a failed first event', async () => {
    delete process.env.FIREBREAK_SLACK_SECRET_ARN;
    process.env.FIREBREAK_CONCURRENCY = 'not-a-number';
    await expect(lambdaServices()).rejects.toThrow(/concurrency/i);
    // The next event sees the environment as it is now, not the first failure replayed.
    delete process.env.FIREBREAK_CONCURRENCY;
    process.env.FIREBREAK_DEADLINE_MS = 'not-a-number';
    await expect(lambdaServices()).rejects.toThrow(/deadline/i);
  });
});
