import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../config.js';
import { createLogger, estimateTokens, listScenarios, startEmbeddedDynamo, type EmbeddedDynamo, type ScenarioListing } from '../app/index.js';
import { startBot, type PreviewBot } from './bot.js';
import { ChannelModel, PREVIEW_CHANNEL, PREVIEW_USER, type MessageView } from './channel.js';
import { converseText, noModelClient } from './no-model.js';
import { createPreviewGuard, PreviewRequestError } from './guard.js';
import { commandBody, interactionBody, signedRequest } from './sign.js';
import { startSlackStandIn, type SlackStandIn } from './slack-stand-in.js';
import { ALARM_FIXTURES } from './alarm-fixtures.js';
import { SHORTCUT } from '../slack/blocks/ids.js';

/**
 * `npm run preview`: the real bot (Bolt's HTTP receiver, the same listeners and jobs, the embedded
 * DynamoDB, a sandbox scenario) talking to the Web API stand-in, and one page that looks like a
 * Slack channel. The page's actions reach the bot as Slack sends them (signed slash commands,
 * block_actions, view_submission, app_home_opened); what the bot sends comes back through the
 * stand-in and is rendered from its Block Kit JSON. Everything listens on 127.0.0.1 only, no
 * Slack token is read from the environment, and nothing is ever sent to Slack.
 */
export interface PreviewOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Scenario the composer starts with. */
  scenario?: string;
  /** Settings come from here (SLACK_* and PORT are ignored); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface Preview {
  url: string;
  standIn: SlackStandIn;
  channel: ChannelModel;
  scenarios: ScenarioListing[];
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
/** The commands the app's manifest registers: Slack refuses any other before it reaches the app. */
const SLASH_COMMANDS = new Set(['/troubleshoot']);
const TEAM = { id: 'T0PREVIEW', domain: 'preview' };
const PAGE_DIR = new URL('./page/', import.meta.url);
const STATIC: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/blocks.js': 'blocks.js',
  '/app.css': 'app.css',
};
const CONTENT_TYPE: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The environment without anything that could point the preview at a real workspace. */
export function previewEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('SLACK_') && name !== 'PORT'));
}

/**
 * The bot's settings for one scenario: the user's model, quota and bundle settings, but Slack
 * settings owned by the preview (a made-up token, a per-process signing secret, the stand-in's
 * URL) and the preview's own embedded table, whatever the environment or config file says.
 */
export function previewConfig(base: Config, scenario: string, wiring: { apiUrl: string; signingSecret: string; dynamoEndpoint: string }): Config {
  return {
    ...base,
    scenario,
    slack: {
      botToken: botToken(scenario),
      signingSecret: wiring.signingSecret,
      port: 3000,
      allowedChannels: [],
      approvers: [],
      slackApiUrl: wiring.apiUrl,
      summary: { ...base.slack.summary, channel: PREVIEW_CHANNEL.id },
    },
    // One channel here: every alarm of the scenario is routed to it.
    alarms: { ...base.alarms, routes: [{ channel: PREVIEW_CHANNEL.id }] },
    ledger: { ...base.ledger, embedded: false, endpoint: wiring.dynamoEndpoint, tableName: 'firebreak-preview' },
  };
}

function botToken(scenario: string): string {
  return `xoxb-preview-${scenario.replace(/[^a-z0-9-]/gi, '-')}-not-a-real-token`;
}

function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function startPreview(options: PreviewOptions = {}): Promise<Preview> {
  const env = previewEnv(options.env ?? process.env);
  const base = loadConfig(env, { logLevel: env.FIREBREAK_LOG_LEVEL ?? 'warn' });
  const logger = options.logger ?? createLogger({ level: base.logLevel, name: 'firebreak-preview' });
  const scenarios = await listScenarios();
  const signingSecret = randomBytes(24).toString('hex');
  const standIn = await startSlackStandIn();
  let dynamo: Promise<EmbeddedDynamo> | undefined;
  const channel = new ChannelModel({ modelConfigured: base.models.enabled });
  standIn.subscribe((event) => channel.apply(event));

  const bots = new Map<string, Promise<PreviewBot>>();
  const scenarioByToken = new Map<string, string>();
  let seq = 0;

  async function botFor(scenario: string): Promise<PreviewBot> {
    if (!scenarios.some((s) => s.name === scenario)) throw new Error(`unknown scenario ${scenario}`);
    let bot = bots.get(scenario);
    if (!bot) {
      // Held as a promise at once, so two quick commands share one bot.
      bot = (async () => {
        dynamo ??= startEmbeddedDynamo();
        const config = previewConfig(base, scenario, { apiUrl: standIn.apiUrl, signingSecret, dynamoEndpoint: (await dynamo).endpoint });
        scenarioByToken.set(config.slack.botToken as string, scenario);
        const modelClient = base.models.enabled
          ? undefined
          : noModelClient((input) => {
              const text = converseText(input);
              const investigationId = input.requestMetadata?.investigationId;
              channel.modelRequest({ modelId: String(input.modelId ?? ''), text, tokensEstimate: estimateTokens(text), ...(investigationId ? { investigationId } : {}) });
            });
        return startBot(config, { logger, ...(modelClient ? { modelClient } : {}) });
      })();
      bots.set(scenario, bot);
      bot.catch(() => bots.delete(scenario));
    }
    return bot;
  }

  /** The bot that posted a message (or opened a view) answers its buttons, as in one workspace. */
  function botOf(token: string | undefined, fallback: string): Promise<PreviewBot> {
    return botFor((token && scenarioByToken.get(token)) || fallback);
  }

  async function deliver(bot: PreviewBot, body: string, contentType?: string): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
    const signed = signedRequest(signingSecret, body, contentType ? { contentType } : {});
    const res = await fetch(bot.eventsUrl, { method: 'POST', headers: signed.headers, body });
    const text = await res.text();
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed };
  }

  const user = { id: PREVIEW_USER.id, username: PREVIEW_USER.name, name: PREVIEW_USER.name, team_id: TEAM.id };
  const trigger = () => `${++seq}.preview-trigger.${randomBytes(4).toString('hex')}`;

  async function command(text: string, scenario: string): Promise<void> {
    if (!text.startsWith('/')) {
      channel.addUserMessage(text);
      return;
    }
    const commandName = text.split(/\s+/)[0] ?? '';
    if (!SLASH_COMMANDS.has(commandName)) {
      channel.addDeliveryFailure(`${commandName} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`);
      return;
    }
    const bot = await botFor(scenario);
    const responseUrl = standIn.responseUrl(`cmd-${++seq}`);
    channel.rememberResponseUrl(responseUrl, { kind: 'command' });
    const words = text.trim().split(/\s+/);
    const name = words[0] ?? '';
    const result = await deliver(
      bot,
      commandBody({
        command: name,
        text: words.slice(1).join(' '),
        user_id: user.id,
        user_name: user.username,
        channel_id: PREVIEW_CHANNEL.id,
        channel_name: PREVIEW_CHANNEL.name,
        team_id: TEAM.id,
        team_domain: TEAM.domain,
        api_app_id: 'A0PREVIEW',
        trigger_id: trigger(),
        response_url: responseUrl,
      }),
    );
    if (result.status !== 200) channel.addDeliveryFailure(`${name} failed with the error "dispatch_failed" (the app answered HTTP ${result.status})`);
    else if (result.body) channel.addAck(result.body);
  }

  function messagePayload(message: MessageView): Record<string, unknown> {
    return {
      type: 'message',
      user: 'U0BOT',
      bot_id: 'B0BOT',
      ts: message.ts,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
    };
  }

  async function action(input: { key: string; actionId: string; blockId?: string; value?: string; scenario: string }): Promise<void> {
    const message = channel.message(input.key);
    if (!message) throw new Error(`no message ${input.key}`);
    const bot = await botOf(message.bot, input.scenario);
    const responseUrl = standIn.responseUrl(`act-${++seq}`);
    channel.rememberResponseUrl(responseUrl, { kind: 'action', messageKey: message.key });
    const result = await deliver(
      bot,
      interactionBody({
        type: 'block_actions',
        user,
        team: TEAM,
        api_app_id: 'A0PREVIEW',
        trigger_id: trigger(),
        response_url: responseUrl,
        container: { type: 'message', message_ts: message.ts, channel_id: PREVIEW_CHANNEL.id, is_ephemeral: Boolean(message.ephemeral), ...(message.threadTs ? { thread_ts: message.threadTs } : {}) },
        channel: PREVIEW_CHANNEL,
        // Slack sends the message for buttons on ordinary messages, not on ephemeral ones.
        ...(message.ephemeral ? {} : { message: messagePayload(message) }),
        actions: [
          {
            type: 'button',
            action_id: input.actionId,
            block_id: input.blockId ?? '',
            ...(input.value === undefined ? {} : { value: input.value }),
            action_ts: (Date.now() / 1000).toFixed(6),
          },
        ],
      }),
    );
    if (result.status !== 200) channel.addDeliveryFailure(`That action failed: the app answered HTTP ${result.status}`);
  }

  /** "Troubleshoot this" on a message in the channel: Slack sends the whole message with the shortcut. */
  async function shortcut(key: string, scenario: string): Promise<void> {
    const message = channel.message(key);
    if (!message) throw new Error(`no message ${key}`);
    const bot = await botFor(scenario);
    const responseUrl = standIn.responseUrl(`sc-${++seq}`);
    channel.rememberResponseUrl(responseUrl, { kind: 'command' });
    const result = await deliver(
      bot,
      interactionBody({
        type: 'message_action',
        callback_id: SHORTCUT.troubleshootThis,
        trigger_id: trigger(),
        action_ts: (Date.now() / 1000).toFixed(6),
        message_ts: message.ts,
        response_url: responseUrl,
        user,
        team: TEAM,
        api_app_id: 'A0PREVIEW',
        channel: PREVIEW_CHANNEL,
        message: {
          type: 'message',
          ts: message.ts,
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
          text: message.text,
          ...(message.attachments ? { attachments: message.attachments } : {}),
          ...(message.blocks.length ? { blocks: message.blocks } : {}),
          ...(message.fromUser ? { user: user.id } : { bot_id: 'B0OTHERAPP' }),
        },
      }),
    );
    if (result.status !== 200) channel.addDeliveryFailure(`Troubleshoot this failed: the app answered HTTP ${result.status}`);
  }

  function postSample(id: string): void {
    const fixture = ALARM_FIXTURES.find((f) => f.id === id);
    if (!fixture) throw new Error(`no sample message ${id}`);
    if (fixture.from === 'you') channel.addUserMessage(fixture.text);
    else channel.addAppMessage(fixture.from, fixture.text, fixture.attachments ?? []);
  }

  async function submit(values: Record<string, unknown>, scenario: string): Promise<void> {
    const modal = channel.snapshot().modal;
    if (!modal) throw new Error('no modal is open');
    const bot = await botOf(modal.bot, scenario);
    const view = modal.view;
    const result = await deliver(
      bot,
      interactionBody({
        type: 'view_submission',
        user,
        team: TEAM,
        api_app_id: 'A0PREVIEW',
        trigger_id: trigger(),
        view: { ...view, id: modal.viewId, team_id: TEAM.id, type: 'modal', hash: `h${seq}`, state: { values } },
      }),
    );
    if (result.status !== 200) {
      channel.setModalErrors({ '': `The app answered HTTP ${result.status}` });
      return;
    }
    const ack = result.body ?? {};
    if (ack.response_action === 'errors') channel.setModalErrors((ack.errors ?? {}) as Record<string, string>);
    // `update` and `push` replace the view; anything else (or nothing) closes it, as Slack does.
    else if (ack.response_action === 'update' || ack.response_action === 'push') {
      channel.apply({ kind: 'call', call: { method: 'views.update', args: { view_id: modal.viewId, view: ack.view }, response: { ok: true } } });
    } else channel.closeModal();
  }

  async function openHome(scenario: string): Promise<void> {
    const bot = await botFor(scenario);
    channel.homeOpened();
    const home = channel.snapshot().home;
    const event = {
      type: 'app_home_opened',
      user: user.id,
      channel: 'D0PREVIEW',
      tab: 'home',
      event_ts: (Date.now() / 1000).toFixed(6),
      ...(home.view ? { view: home.view } : {}),
    };
    const body = JSON.stringify({
      token: 'preview-legacy-token',
      team_id: TEAM.id,
      api_app_id: 'A0PREVIEW',
      event,
      type: 'event_callback',
      event_id: `Ev${++seq}PREVIEW`,
      event_time: Math.floor(Date.now() / 1000),
    });
    const result = await deliver(bot, body, 'application/json');
    if (result.status !== 200) channel.note(`app_home_opened: the app answered HTTP ${result.status}`);
  }

  async function weeklySummary(scenario: string): Promise<void> {
    const bot = await botFor(scenario);
    const result = await bot.postWeeklySummary(PREVIEW_CHANNEL.id);
    if (result === 'already-posted') channel.note('The weekly summary for last week was already posted in this channel; the scheduler posts it once per week and channel.');
  }

  async function fireAlarm(scenario: string, alarmName: string, state: 'ALARM' | 'OK'): Promise<void> {
    const known = scenarios.find((s) => s.name === scenario)?.alarms ?? [];
    if (!known.includes(alarmName)) throw new PreviewRequestError(404, `scenario ${scenario} has no alarm ${alarmName}`);
    const bot = await botFor(scenario);
    const result = await bot.fireAlarm(alarmName, state);
    // The channel shows nothing for these; the page says why, as the worker's log would.
    for (const reason of result.reasons) channel.note(`Alarm event: nothing posted (${reason})`);
  }

  const sse = new Set<ServerResponse>();
  let pending: NodeJS.Timeout | undefined;
  channel.onChange(() => {
    // Coalesce bursts (progress updates) into one push.
    pending ??= setTimeout(() => {
      pending = undefined;
      const data = `data: ${JSON.stringify(channel.snapshot())}\n\n`;
      for (const client of sse) client.write(data);
    }, 30);
  });

  let port = 0;
  // Only the preview's own page gets answers (guard.ts): its Host, its origin, JSON, its token.
  const guard = createPreviewGuard(() => port);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = guard.refusal(req);
    if (refused) {
      res.setHeader('connection', 'close');
      return sendJson(res, { ok: false, error: refused.reason }, refused.status);
    }
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const file = STATIC[url.pathname];
    if (req.method === 'GET' && file) {
      let body: string | Buffer = await readFile(new URL(file, PAGE_DIR));
      // The page carries a token of its own, which its POSTs send back (TOKEN_HEADER).
      if (file === 'index.html') body = body.toString('utf8').replace('{{PAGE_TOKEN}}', guard.issueToken());
      res.writeHead(200, {
        'content-type': CONTENT_TYPE[file.split('.').pop() ?? ''] ?? 'text/plain',
        'cache-control': 'no-store',
        'x-frame-options': 'DENY',
        'content-security-policy': "frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
      });
      res.end(body);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/state') return sendJson(res, channel.snapshot());
    if (req.method === 'GET' && url.pathname === '/scenarios') {
      return sendJson(res, { scenarios, selected: options.scenario ?? 'long-night', samples: ALARM_FIXTURES.map((f) => ({ id: f.id, label: f.label })) });
    }
    if (req.method === 'GET' && url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(`data: ${JSON.stringify(channel.snapshot())}\n\n`);
      sse.add(res);
      req.on('close', () => sse.delete(res));
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const upload = channel.upload(decodeURIComponent(url.pathname.slice('/files/'.length)));
      if (!upload) return sendJson(res, { error: 'not_found' }, 404);
      const png = upload.bytes.subarray(0, 4).toString('latin1') === '\x89PNG';
      res.writeHead(200, { 'content-type': png ? 'image/png' : 'text/plain; charset=utf-8' });
      res.end(upload.bytes);
      return;
    }
    if (req.method !== 'POST') return sendJson(res, { error: 'not_found' }, 404);
    const body = await guard.readJson(req);
    const scenario = typeof body.scenario === 'string' ? body.scenario : (options.scenario ?? 'long-night');
    switch (url.pathname) {
      case '/do/command':
        await command(String(body.text ?? ''), scenario);
        break;
      case '/do/action':
        await action({
          key: String(body.key),
          actionId: String(body.actionId),
          ...(typeof body.blockId === 'string' ? { blockId: body.blockId } : {}),
          ...(typeof body.value === 'string' ? { value: body.value } : {}),
          scenario,
        });
        break;
      case '/do/shortcut':
        await shortcut(String(body.key), scenario);
        break;
      case '/do/sample':
        postSample(String(body.id));
        break;
      case '/do/submit':
        await submit((body.values ?? {}) as Record<string, unknown>, scenario);
        break;
      case '/do/close':
        channel.closeModal();
        break;
      case '/do/home':
        await openHome(scenario);
        break;
      case '/do/summary':
        await weeklySummary(scenario);
        break;
      case '/do/alarm':
        await fireAlarm(scenario, String(body.alarm ?? ''), body.state === 'OK' ? 'OK' : 'ALARM');
        break;
      default:
        return sendJson(res, { error: 'not_found' }, 404);
    }
    sendJson(res, { ok: true });
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      const status = err instanceof PreviewRequestError ? err.status : 500;
      if (status === 500) logger.error({ err }, 'preview request failed');
      if (!res.headersSent) {
        if (status !== 500) res.setHeader('connection', 'close');
        sendJson(res, { ok: false, error: (err as Error).message }, status);
      } else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/`,
    standIn,
    channel,
    scenarios,
    async stop() {
      if (pending) clearTimeout(pending);
      for (const client of sse) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const started = await Promise.allSettled([...bots.values()]);
      for (const bot of started) if (bot.status === 'fulfilled') await bot.value.stop();
      await standIn.close();
      await (await dynamo)?.close();
    },
  };
}
