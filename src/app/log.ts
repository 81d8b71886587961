import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactDeep, redactText } from '../bundle/egress.js';

/**
 * Log records leave the process too (CloudWatch, a terminal, a log shipper): every logger of
 * every process passes the egress boundary. Errors are where secrets hide in logs (an AWS error
 * quoting a request, a driver's message with its connection string, a stack's first line), so an
 * Error anywhere in a record becomes a plain record with its message, stack, cause and own fields
 * redacted; every other string is redacted with its key as context.
 */
export function redactForLog(value: unknown, key?: string, depth = 0): unknown {
  if (value instanceof Error) {
    const own: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) own[k] = v;
    const record: Record<string, unknown> = {
      type: value.name,
      message: redactText(value.message),
      ...(value.stack ? { stack: redactText(value.stack) } : {}),
      ...(redactForLog(own, undefined, depth + 1) as Record<string, unknown>),
    };
    if (value.cause !== undefined && depth < 5) record.cause = redactForLog(value.cause, undefined, depth + 1);
    return record;
  }
  if (Array.isArray(value)) return value.map((item) => redactForLog(item, key, depth + 1));
  if (value !== null && typeof value === 'object' && depth < 8 && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = v instanceof Error || (v !== null && typeof v === 'object') ? redactForLog(v, k, depth + 1) : redactDeep(v, {}, k);
    return out;
  }
  return typeof value === 'string' ? redactDeep(value, {}, key) : value;
}

/**
 * A JSON replacer that passes every value of a log record through the egress boundary as it is
 * serialized (Powertools' `jsonReplacerFn`): strings with their key as context, Errors whole.
 */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (typeof value === 'string') return redactDeep(value, {}, key === '' ? undefined : key);
  return value instanceof Error ? redactForLog(value) : value;
}

/** A redacted copy of a log call's arguments (pino's: an optional merging object, a message, format values). */
function redactArguments(args: unknown[]): unknown[] {
  return args.map((arg) => (typeof arg === 'string' ? redactText(arg) : redactForLog(arg)));
}

/**
 * firebreak's pino logger: every record passes the egress boundary (message, fields, errors), in
 * children too. The one way a process makes a pino logger.
 */
export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const redacting: LoggerOptions = {
    ...options,
    hooks: {
      logMethod(args, method) {
        method.apply(this, redactArguments(args) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(redacting, destination) : pino(redacting);
}
