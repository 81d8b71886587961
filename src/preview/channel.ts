import type { RecordedCall, ResponseUrlPost, StandInEvent, Upload } from './slack-stand-in.js';

/**
 * What a Slack client would show, rebuilt from what the bot sent to the Web API stand-in: the
 * channel's messages and threads, ephemeral messages, the open modal and the App Home tab. The
 * page renders this state's Block Kit JSON as it is; nothing here invents content, so what the
 * page shows is what Slack would have been asked to show (or the refusal Slack would have given).
 */
export const PREVIEW_CHANNEL = { id: 'C0PREVIEW', name: 'incident-preview' } as const;
export const PREVIEW_USER = { id: 'U0YOU', name: 'you' } as const;
export const BOT_USER = { id: 'U0BOT', name: 'firebreak' } as const;

type Json = Record<string, unknown>;

/** Slack's answer when it refused a call, shown where the message or view would have been. */
export interface Refusal {
  method: string;
  error: string;
  problems: string[];
}

export interface FileView {
  id: string;
  name: string;
  title: string;
  /** Served by the preview at `/files/<id>`. */
  url: string;
  image: boolean;
  bytes: number;
  /** The first part of a text file, as Slack's snippet preview shows it. */
  preview?: string;
}

export interface MessageView {
  /** Unique on the page: the message ts, or `eph-<n>` for an ephemeral message. */
  key: string;
  ts: string;
  /** Set on thread replies (and equal to `ts` on nothing: a parent has no threadTs). */
  threadTs?: string;
  text: string;
  blocks: unknown[];
  /** When the preview received it (Slack shows the post time). */
  at: string;
  /** Only visible to the preview user. */
  ephemeral?: boolean;
  files?: FileView[];
  /** The first post was refused: nothing would show in Slack but the bot's error. */
  refused?: Refusal;
  /** A later chat.update was refused; the message keeps its previous content, as in Slack. */
  updateRefused?: Refusal;
  updates: number;
  /** Typed by the preview user (a plain message, not a command); otherwise the bot posted it. */
  fromUser?: boolean;
  /** Posted by another app (a sample alarm): its name, as Slack shows the sender. */
  fromApp?: string;
  /** Legacy attachments (alarm posts): shown under the text, sent with the message to a shortcut. */
  attachments?: unknown[];
  /** In the person's direct message with the bot (the App's Messages tab), not in the channel. */
  dm?: boolean;
  /** Which bot posted it: clicks on its buttons go back to that bot. */
  bot?: string;
}

export interface ModalState {
  viewId: string;
  view: Json;
  bot?: string;
  /** `response_action: errors` from the last submission, by block id. */
  errors?: Record<string, string>;
  refused?: Refusal;
}

export interface ModelRequestView {
  at: string;
  modelId: string;
  /** From the request's metadata: the page shows it in that investigation's thread. */
  investigationId?: string;
  /** The request's text parts, in order: what would have been sent. */
  text: string;
  tokensEstimate?: number;
}

export interface PreviewState {
  version: number;
  channel: typeof PREVIEW_CHANNEL;
  user: typeof PREVIEW_USER;
  users: Record<string, string>;
  messages: MessageView[];
  modal?: ModalState;
  home: { published: boolean; view?: Json; refused?: Refusal; opened: boolean };
  /** Lines the preview itself adds (never from the bot), e.g. "the summary was already posted". */
  notes: { at: string; text: string }[];
  modelRequests: ModelRequestView[];
  modelConfigured: boolean;
}

/** Where a response_url came from, so `replace_original` knows which message it replaces. */
export type ResponseContext = { kind: 'command' } | { kind: 'action'; messageKey: string };

const now = () => new Date().toISOString();
const IMAGE_NAME = /\.(png|jpe?g|gif|webp|svg)$/i;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

function refusalOf(call: RecordedCall): Refusal | undefined {
  const response = call.response;
  if (!response || response.ok !== false) return undefined;
  return { method: call.method, error: String(response.error ?? 'unknown_error'), problems: Array.isArray(response.errors) ? response.errors.map(String) : [] };
}

/** A direct-message channel id (`D…`): what the bot sends there shows in the App's Messages tab. */
function isDm(channel: unknown): boolean {
  return typeof channel === 'string' && channel.startsWith('D');
}

function blocksOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export class ChannelModel {
  private readonly state: PreviewState;
  private readonly responseContexts = new Map<string, ResponseContext>();
  private readonly uploads = new Map<string, Upload>();
  private readonly listeners = new Set<() => void>();
  private ephemeralSeq = 0;

  constructor(options: { modelConfigured: boolean }) {
    this.state = {
      version: 0,
      channel: PREVIEW_CHANNEL,
      user: PREVIEW_USER,
      users: { [PREVIEW_USER.id]: PREVIEW_USER.name, [BOT_USER.id]: BOT_USER.name },
      messages: [],
      home: { published: false, opened: false },
      notes: [],
      modelRequests: [],
      modelConfigured: options.modelConfigured,
    };
  }

  snapshot(): PreviewState {
    return this.state;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  message(key: string): MessageView | undefined {
    return this.state.messages.find((m) => m.key === key);
  }

  upload(fileId: string): Upload | undefined {
    return this.uploads.get(fileId);
  }

  rememberResponseUrl(url: string, context: ResponseContext): void {
    this.responseContexts.set(url, context);
  }

  /** Applies one thing the bot sent to the stand-in. */
  apply(event: StandInEvent): void {
    if (event.kind === 'upload') this.uploads.set(event.upload.fileId, event.upload);
    else if (event.kind === 'response') this.applyResponse(event.post);
    else this.applyCall(event.call);
    this.changed();
  }

  /** What the bot acked a slash command with: Slack shows it to the user who typed it. */
  addAck(body: Json): void {
    this.addResponseMessage(body, { kind: 'command' });
    this.changed();
  }

  /** A plain message the preview user typed: Slack posts it to the channel; the bot does not listen. */
  addUserMessage(text: string): MessageView {
    const ts = `${1_714_560_000 + this.state.messages.length}.000200`;
    // Slack escapes what people type, so their `<`, `>` and `&` are text, not mrkdwn controls.
    const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const message: MessageView = { key: ts, ts, text: escaped, blocks: [], at: now(), updates: 0, fromUser: true };
    this.state.messages.push(message);
    this.changed();
    return message;
  }

  /** A message another app posted (an alarm notification with attachments), to fire "Troubleshoot this" on. */
  addAppMessage(from: string, text: string, attachments: unknown[]): MessageView {
    const ts = `${1_714_560_000 + this.state.messages.length}.000300`;
    const message: MessageView = { key: ts, ts, text, blocks: [], attachments, at: now(), updates: 0, fromApp: from };
    this.state.messages.push(message);
    this.changed();
    return message;
  }

  /** A slash command or interaction Slack could not deliver, shown the way Slack shows it. */
  addDeliveryFailure(text: string): void {
    this.pushEphemeral({ text, blocks: [] });
    this.changed();
  }

  closeModal(): void {
    delete this.state.modal;
    this.changed();
  }

  setModalErrors(errors: Record<string, string>): void {
    if (this.state.modal) this.state.modal.errors = errors;
    this.changed();
  }

  homeOpened(): void {
    this.state.home.opened = true;
    this.changed();
  }

  note(text: string): void {
    this.state.notes.push({ at: now(), text });
    this.changed();
  }

  modelRequest(request: Omit<ModelRequestView, 'at'>): void {
    this.state.modelRequests.push({ at: now(), ...request });
    this.changed();
  }

  private changed(): void {
    this.state.version++;
    for (const listener of this.listeners) listener();
  }

  private applyCall(call: RecordedCall): void {
    const args = call.args;
    const refused = refusalOf(call);
    switch (call.method) {
      case 'chat.postMessage': {
        const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        const ts = String(call.response?.ts ?? `refused-${this.state.messages.length}`);
        this.state.messages.push({
          key: ts,
          ts,
          ...(threadTs ? { threadTs } : {}),
          ...(isDm(args.channel) ? { dm: true } : {}),
          text: String(args.text ?? ''),
          blocks: blocksOf(args.blocks),
          at: now(),
          updates: 0,
          ...(refused ? { refused } : {}),
          ...(call.token ? { bot: call.token } : {}),
        });
        break;
      }
      case 'chat.update': {
        const target = this.message(String(args.ts));
        if (!target) break;
        if (refused) {
          target.updateRefused = refused;
          break;
        }
        // Slack: text without blocks removes the old blocks.
        target.text = String(args.text ?? '');
        target.blocks = blocksOf(args.blocks);
        target.updates++;
        delete target.updateRefused;
        break;
      }
      case 'chat.postEphemeral': {
        if (args.user !== PREVIEW_USER.id && !refused) break;
        this.pushEphemeral({
          text: String(args.text ?? ''),
          blocks: blocksOf(args.blocks),
          ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
          ...(refused ? { refused } : {}),
          ...(call.token ? { bot: call.token } : {}),
        });
        break;
      }
      case 'views.open':
      case 'views.push': {
        const view = (call.response?.view ?? args.view ?? {}) as Json;
        this.state.modal = { viewId: String(view.id ?? ''), view, ...(call.token ? { bot: call.token } : {}), ...(refused ? { refused } : {}) };
        break;
      }
      case 'views.update': {
        const modal = this.state.modal;
        if (!modal || modal.viewId !== String(args.view_id)) break;
        if (refused) modal.refused = refused;
        else {
          modal.view = { ...(args.view as Json), id: modal.viewId };
          delete modal.errors;
          delete modal.refused;
        }
        break;
      }
      case 'views.publish': {
        if (args.user_id !== PREVIEW_USER.id) break;
        if (refused) this.state.home.refused = refused;
        else {
          this.state.home.published = true;
          this.state.home.view = args.view as Json;
          delete this.state.home.refused;
        }
        break;
      }
      case 'files.completeUploadExternal':
        this.addFiles(call, refused);
        break;
      default:
        break;
    }
  }

  private addFiles(call: RecordedCall, refused: Refusal | undefined): void {
    const args = call.args;
    const listed = (Array.isArray(call.response?.files) ? call.response.files : []) as { id: string; title?: string; name?: string }[];
    const files: FileView[] = listed.map((file) => {
      const upload = this.uploads.get(file.id);
      const bytes = upload?.bytes ?? Buffer.alloc(0);
      const name = file.name ?? file.id;
      const image = IMAGE_NAME.test(name) || bytes.subarray(0, 4).equals(PNG_SIGNATURE);
      return {
        id: file.id,
        name,
        title: file.title ?? name,
        url: `/files/${encodeURIComponent(file.id)}`,
        image,
        bytes: bytes.length,
        ...(image ? {} : { preview: (upload?.content ?? '').slice(0, 4_000) }),
      };
    });
    const ts = `file-${this.state.messages.length}`;
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    this.state.messages.push({
      key: ts,
      ts,
      ...(threadTs ? { threadTs } : {}),
      ...(isDm(args.channel_id) ? { dm: true } : {}),
      text: typeof args.initial_comment === 'string' ? args.initial_comment : '',
      blocks: [],
      files,
      at: now(),
      updates: 0,
      ...(refused ? { refused } : {}),
      ...(call.token ? { bot: call.token } : {}),
    });
  }

  private applyResponse(post: ResponseUrlPost): void {
    const context = this.responseContexts.get(post.url) ?? { kind: 'command' };
    if (post.error) {
      this.pushEphemeral({ text: '', blocks: [], refused: { method: 'response_url', ...post.error } });
      return;
    }
    this.addResponseMessage(post.body ?? {}, context);
  }

  /** A response_url post or a command's ack body: ephemeral unless `in_channel`; may replace or delete. */
  private addResponseMessage(body: Json, context: ResponseContext): void {
    if (context.kind === 'action') {
      const original = this.message(context.messageKey);
      if (original && body.delete_original === true) {
        this.state.messages = this.state.messages.filter((m) => m.key !== original.key);
        return;
      }
      if (original && body.replace_original === true) {
        original.text = String(body.text ?? '');
        original.blocks = blocksOf(body.blocks);
        original.updates++;
        return;
      }
    }
    if (!body.text && !Array.isArray(body.blocks)) return;
    const thread = context.kind === 'action' ? this.message(context.messageKey)?.threadTs : undefined;
    if (body.response_type === 'in_channel') {
      const ts = `resp-${this.state.messages.length}`;
      this.state.messages.push({ key: ts, ts, ...(thread ? { threadTs: thread } : {}), text: String(body.text ?? ''), blocks: blocksOf(body.blocks), at: now(), updates: 0 });
      return;
    }
    this.pushEphemeral({ text: String(body.text ?? ''), blocks: blocksOf(body.blocks), ...(thread ? { threadTs: thread } : {}) });
  }

  private pushEphemeral(message: { text: string; blocks: unknown[]; threadTs?: string; refused?: Refusal; bot?: string }): void {
    const key = `eph-${++this.ephemeralSeq}`;
    this.state.messages.push({ key, ts: key, ...message, at: now(), ephemeral: true, updates: 0 });
  }
}
