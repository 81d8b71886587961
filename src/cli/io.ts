import type { Config } from '../config.js';
import type { ModelClient } from '../app/index.js';
import type { Style } from './render.js';

/** What a command may touch: injected so tests run commands in-process and read their output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Asks a question on the terminal; undefined when there is no terminal to ask on. */
  ask?: (question: string) => Promise<string>;
  style: Style;
  config: Config;
  /** Progress sink for slow work (stderr on a terminal). */
  stderr?: NodeJS.WriteStream;
  /** Stands in for Bedrock (tests, and the demo's fake); absent means the configured client. */
  modelClient?: ModelClient;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
