import { describe, expect, it } from 'vitest';
import { n6TlsHandshake as rule } from '../../../src/rules/network/n6-tls-handshake.js';
import { asRegional, healthyInput, setStatus } from '../fixtures.js';

describe('N6.tls-handshake', () => {
  it('says what it cannot rule out when a private API logged nothing at all', () => {
    const input = setStatus(setStatus(healthyInput(), 'logs.access', 'empty'), 'logs.execution', 'empty');
    expect(rule.evaluate(input)[0]).toMatchObject({ inconclusive: true, severity: 'low' });
  });

  it('stays silent when requests were logged, or for a public API (near miss)', () => {
    expect(rule.evaluate(healthyInput())).toEqual([]);
    expect(rule.evaluate(setStatus(setStatus(asRegional(healthyInput()), 'logs.access', 'empty'), 'logs.execution', 'empty'))).toEqual([]);
  });
});
