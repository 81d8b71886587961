import type { WebClient } from '@slack/web-api';
import type { ModelSize } from '../services.js';
import type { BundleChoices } from '../state/bundle-revisions.js';

/**
 * The slow part of each interaction, as plain JSON: run in process (Socket Mode, HTTP) or handed to
 * the worker Lambda by asynchronous invoke. `jobId` makes a redelivered job a no-op once it ran.
 * An analyze job carries the bundle revision its approval pinned (0: the report's own bundle).
 */
export type SlackJob =
  | { kind: 'troubleshoot'; jobId: string; text: string; channel: string; user: string; responseUrl?: string }
  | { kind: 'analyze'; jobId: string; investigationId: string; user: string; channel: string; messageTs: string; threadTs: string; size: ModelSize; revision?: number }
  | { kind: 'context'; jobId: string; investigationId: string; user: string; channel: string; messageTs: string; choices: BundleChoices }
  | { kind: 'download'; jobId: string; investigationId: string; user: string; channel: string; threadTs: string; messageTs?: string }
  | { kind: 'spend'; jobId: string; user: string; channel: string };

/**
 * How a listener hands a job on: run it here with the listener's client (Socket Mode, HTTP), or
 * invoke the worker, which builds its own client (Lambda).
 */
export type Dispatch = (job: SlackJob, client: WebClient) => Promise<void>;
