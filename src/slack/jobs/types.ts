import type { WebClient } from '@slack/web-api';
import type { ModelSize } from '../../app/index.js';
import type { BundleChoices } from '../../core/report.js';
import type { ExtractedTarget } from '../../core/extract-target.js';

/**
 * The slow part of each interaction, as plain JSON: run in process (Socket Mode, HTTP) or handed to
 * the worker Lambda by asynchronous invoke. `jobId` makes a redelivered job a no-op once it ran.
 * A troubleshoot job carries the request the listener validated (times as ISO 8601), never the
 * raw text; an analyze job carries the bundle revision its approval pinned (0: the report's own).
 */
export type SlackJob =
  /** `threadTs`: started from a message ("Troubleshoot this"), so everything goes in that message's thread. */
  | { kind: 'troubleshoot'; jobId: string; request: JobRequest; channel: string; user: string; responseUrl?: string; threadTs?: string }
  | { kind: 'analyze'; jobId: string; investigationId: string; user: string; channel: string; messageTs: string; threadTs: string; size: ModelSize; revision?: number; fresh?: boolean }
  | { kind: 'context'; jobId: string; investigationId: string; user: string; channel: string; messageTs: string; choices: BundleChoices }
  | { kind: 'download'; jobId: string; investigationId: string; user: string; channel: string; threadTs: string; messageTs?: string }
  | { kind: 'spend'; jobId: string; user: string; channel: string }
  /** "Troubleshoot this": check (read-only) what the message names, then fill the modal already open. */
  | { kind: 'propose'; jobId: string; user: string; channel: string; threadTs?: string; viewId: string; found: FoundInMessage };

/** What the listener read from the message (core/extract-target.ts), as JSON: the time as ISO 8601. */
export type FoundInMessage = Omit<ExtractedTarget, 'at'> & { at?: string };

/**
 * How a listener hands a job on: run it here with the listener's client (Socket Mode, HTTP), or
 * invoke the worker, which builds its own client (Lambda).
 */
export type Dispatch = (job: SlackJob, client: WebClient) => Promise<void>;

/** A validated troubleshoot request as JSON: what crosses to the worker Lambda. */
export interface JobRequest {
  restApiId: string;
  stage?: string;
  sinceMs: number;
  /** ISO 8601: the window's start, when given as a time rather than a length. */
  since?: string;
  /** ISO 8601. */
  until?: string;
  /** A relative end ("--until 30m"), resolved against the world's clock when the job runs. */
  untilAgoMs?: number;
  region?: string;
  account?: string;
}
