import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../src/slack/bolt-logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'debug' }, stream) };
}

describe("Bolt's logger routed into the JSON logger", () => {
  it('writes Bolt and Web API messages as JSON lines at their level, errors serialised, below the level dropped', () => {
    const { lines, logger } = capture();
    const bolt = boltLogger(logger);
    bolt.warn('http request failed', 'fetch failed');
    bolt.error('An unhandled error occurred', new Error('boom'));
    bolt.info('not shown at WARN');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'http request failed fetch failed', component: 'slack-sdk' });
    expect(lines[1]).toMatchObject({ level: 50, msg: 'An unhandled error occurred', err: { message: 'boom', type: 'Error' } });
    bolt.setLevel(LogLevel.DEBUG);
    bolt.setName('bolt-app');
    bolt.debug('now shown', { a: 1 });
    expect(bolt.getLevel()).toBe(LogLevel.DEBUG);
    expect(lines[2]).toMatchObject({ level: 20, msg: 'now shown {"a":1}', component: 'bolt-app' });
  });
});
