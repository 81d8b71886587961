import { describe, expect, it } from 'vitest';
import { NoRoleForAccountError } from '../../src/aws/clients.js';
import { baseScenario, environmentFor, HOME, OTHER } from './fixture.js';

describe('sandbox environment', () => {
  it('exposes the clock, home account and the scenario target', () => {
    const env = environmentFor(baseScenario());
    expect(env.now.toISOString()).toBe('2024-05-01T12:00:00.000Z');
    expect(env.homeAccountId).toBe(HOME);
    expect(env.defaults).toEqual({ restApiId: 'a1b2c3d4e5', stage: 'prod', region: 'us-east-1' });
    expect(env.factory.resolveAccount('shared')).toBe(OTHER);
  });

  it('simulates "no role configured" for another account without a roleArn', () => {
    const data = baseScenario();
    const other = (data.accounts as Record<string, unknown>[])[1] as Record<string, unknown>;
    delete other.roleArn;
    const env = environmentFor(data);
    expect(env.factory.canRead(OTHER)).toBe(false);
    expect(() => env.factory.forAccount(OTHER)).toThrow(NoRoleForAccountError);
  });
});
