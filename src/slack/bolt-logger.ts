import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';

const PINO_LEVEL: Record<LogLevel, string> = { [LogLevel.DEBUG]: 'debug', [LogLevel.INFO]: 'info', [LogLevel.WARN]: 'warn', [LogLevel.ERROR]: 'error' };

/**
 * Bolt's and the Web API client's logger, routed into firebreak's JSON logger: their warnings
 * ("http request failed", retries) become JSON lines in the same stream instead of plain-text
 * `[WARN]` lines between them. Bolt passes a message and sometimes an error or object.
 */
export function boltLogger(parent: Logger, level: LogLevel = LogLevel.WARN): SlackLogger {
  let current = level;
  let log = parent.child({ component: 'slack-sdk' }, { level: PINO_LEVEL[level] });
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]): void => {
      const err = parts.find((p): p is Error => p instanceof Error);
      const text = parts
        .filter((p) => p !== err)
        .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
        .join(' ');
      if (err) log[method]({ err }, text || err.message);
      else log[method](text);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel(next) {
      current = next;
      log.level = PINO_LEVEL[next];
    },
    getLevel: () => current,
    setName(name) {
      log = parent.child({ component: name }, { level: PINO_LEVEL[current] });
    },
  };
}
