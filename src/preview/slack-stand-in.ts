import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockKitProblems } from './block-kit-limits.js';

/**
 * A loopback stand-in for the Slack Web API, shared by the tests and `npm run preview`: the bot's
 * real WebClient talks to it through `clientOptions.slackApiUrl`. It records every call, checks
 * every message and view against the Block Kit limits (a violation is answered `invalid_blocks`,
 * as Slack would, and kept in `violations` for a test to fail on), and serves a `response_url`
 * sink and the upload URL that `filesUploadV2` posts the file bytes to. It never calls Slack.
 */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** What the stand-in answered (e.g. the `ts` of a posted message). */
  response?: Record<string, unknown>;
  /** The bearer token the caller used: which bot made the call, when several share the stand-in. */
  token?: string;
}

export interface ResponseUrlPost {
  url: string;
  body: Record<string, unknown>;
  /** Set when Slack would have refused the body (Block Kit limits). */
  error?: { error: string; problems: string[] };
}

export interface Upload {
  fileId: string;
  content: string;
  bytes: Buffer;
}

/** Everything that reaches the stand-in, in order: what a live view (the preview page) follows. */
export type StandInEvent = { kind: 'call'; call: RecordedCall } | { kind: 'response'; post: ResponseUrlPost } | { kind: 'upload'; upload: Upload };

export interface SlackStandIn {
  /** `http://127.0.0.1:<port>/api/` — pass as slackApiUrl. */
  apiUrl: string;
  baseUrl: string;
  calls: RecordedCall[];
  /** Bodies posted to response_url, keyed by the url. */
  responses: ResponseUrlPost[];
  uploads: Upload[];
  violations: string[];
  /** Members returned by usergroups.users.list, per group id. */
  userGroups: Map<string, string[]>;
  responseUrl(id: string): string;
  callsTo(method: string): RecordedCall[];
  /** Called after each call, response_url post and upload is recorded; returns an unsubscribe. */
  subscribe(listener: (event: StandInEvent) => void): () => void;
  /** Polls the record until `predicate` holds (loopback: fast), or throws with the calls so far. */
  waitFor<T>(predicate: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);
const VIEW_METHODS = new Set(['views.open', 'views.update', 'views.push', 'views.publish']);
/** Form fields the WebClient JSON-encodes. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  const text = raw.toString('utf8');
  if (type.includes('application/json')) return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = JSON_FIELDS.has(key) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The WebClient posts the file as multipart form data (one file part); keep just its bytes. */
async function uploadedBytes(req: IncomingMessage, raw: Buffer): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return raw;
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}

function send(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Slack's refusal of a payload that breaks a limit: the code, and one line per problem. */
function refusal(problems: string[]): Record<string, unknown> {
  return { ok: false, error: 'invalid_blocks', errors: problems, response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } };
}

export async function startSlackStandIn(): Promise<SlackStandIn> {
  let ts = 1_700_000_000;
  let fileSeq = 0;
  const nextTs = () => `${++ts}.000100`;
  const pendingUploads = new Map<string, string>();
  const listeners = new Set<(event: StandInEvent) => void>();
  const emit = (event: StandInEvent) => {
    for (const listener of listeners) listener(event);
  };

  const standIn: Omit<SlackStandIn, 'apiUrl' | 'baseUrl' | 'close'> = {
    calls: [],
    responses: [],
    uploads: [],
    violations: [],
    userGroups: new Map(),
    responseUrl: (id) => `${base}/response/${id}`,
    callsTo: (method) => standIn.calls.filter((c) => c.method === method),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = predicate();
        if (value) return value;
        if (Date.now() > deadline) {
          throw new Error(`Slack stand-in: condition not met; calls: ${standIn.calls.map((c) => c.method).join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    if (MESSAGE_METHODS.has(method) || VIEW_METHODS.has(method)) {
      const isView = VIEW_METHODS.has(method);
      const payload = ((isView ? args.view : args) ?? {}) as Record<string, unknown>;
      const problems = blockKitProblems(payload, isView ? 'modal' : 'message');
      if (problems.length > 0) {
        standIn.violations.push(`${method}: Block Kit limits broken (${isView ? 'modal' : 'message'}):\n  ${problems.join('\n  ')}`);
        return refusal(problems);
      }
    }
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'firebreak', team_id: 'T0EXAMPLE', user_id: 'U0BOT', bot_id: 'B0BOT' };
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: nextTs(), message: { text: args.text } };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'chat.getPermalink':
        return { ok: true, channel: args.channel, permalink: `https://example.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}` };
      case 'views.open':
      case 'views.push':
        return { ok: true, view: { id: `V${++fileSeq}`, ...(args.view as object) } };
      case 'views.update':
        return { ok: true, view: { id: args.view_id, ...(args.view as object) } };
      case 'views.publish':
        return { ok: true, view: { id: `V${++fileSeq}`, ...(args.view as object) } };
      case 'files.getUploadURLExternal': {
        const fileId = `F${++fileSeq}`;
        pendingUploads.set(fileId, String(args.filename));
        return { ok: true, file_id: fileId, upload_url: `${base}/upload/${fileId}` };
      }
      case 'files.completeUploadExternal': {
        const files = (Array.isArray(args.files) ? args.files : []) as { id: string; title?: string }[];
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title, name: pendingUploads.get(f.id) })) };
      }
      case 'conversations.open': {
        // The bot's direct message with a person: one per user, as Slack keeps it.
        const users = String(args.users ?? '').split(',')[0] ?? '';
        return users ? { ok: true, channel: { id: `D${users.replace(/^U/, '')}` } } : { ok: false, error: 'users_not_found' };
      }
      case 'usergroups.users.list':
        return { ok: true, users: standIn.userGroups.get(String(args.usergroup)) ?? [] };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = req.url ?? '/';
      if (url.startsWith('/api/')) {
        const method = url.slice('/api/'.length).split('?')[0] ?? '';
        const args = parseArgs(req, raw);
        const auth = req.headers.authorization;
        const call: RecordedCall = { method, args, ...(auth?.startsWith('Bearer ') ? { token: auth.slice('Bearer '.length) } : {}) };
        standIn.calls.push(call);
        call.response = answer(method, args);
        send(res, call.response);
        emit({ kind: 'call', call });
      } else if (url.startsWith('/upload/')) {
        const bytes = await uploadedBytes(req, raw);
        const upload: Upload = { fileId: url.slice('/upload/'.length), content: bytes.toString('utf8'), bytes };
        standIn.uploads.push(upload);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('OK - uploaded');
        emit({ kind: 'upload', upload });
      } else if (url.startsWith('/response/')) {
        const body = safeJson(raw.toString('utf8')) as Record<string, unknown>;
        const problems = blockKitProblems(body ?? {}, 'message');
        const post: ResponseUrlPost = { url: `${base}${url}`, body, ...(problems.length ? { error: { error: 'invalid_blocks', problems } } : {}) };
        if (problems.length) standIn.violations.push(`response_url: Block Kit limits broken (message):\n  ${problems.join('\n  ')}`);
        standIn.responses.push(post);
        send(res, problems.length ? refusal(problems) : { ok: true });
        emit({ kind: 'response', post });
      } else send(res, { ok: false, error: 'not_found' }, 404);
    })().catch((err: unknown) => send(res, { ok: false, error: String(err) }, 500));
  });
  // Loopback only: nothing outside this machine can reach it.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    ...standIn,
    apiUrl: `${base}/api/`,
    baseUrl: base,
    close: () =>
      new Promise<void>((resolve) => {
        listeners.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } as SlackStandIn;
}
