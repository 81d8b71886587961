import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackJob } from '../../src/slack/jobs/types.js';
import { createLambdaFront } from '../../src/slack/receivers/lambda.js';
import { handleWorkerEvent } from '../../src/slack/receivers/worker.js';
import { commandBody, signedRequest } from '../support/sign.js';
import { CHANNEL, findActionMessage, REQUESTER, SIGNING_SECRET, startHarness, type Harness } from './harness.js';

function apiGatewayEvent(body: string, headers: Record<string, string>) {
  return { httpMethod: 'POST', path: '/slack/events', headers, body, isBase64Encoded: false, requestContext: {} };
}

describe('AWS Lambda: a front that acks and hands off, an idempotent worker', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
    expect(h.slack.violations).toEqual([]);
  });

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
});
