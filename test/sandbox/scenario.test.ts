import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sandbox/load.js';
import { baseScenario } from './fixture.js';

function errorOf(data: unknown): string {
  try {
    parseScenario(data, './x.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario schema', () => {
  it('accepts the fixture and fills defaults', () => {
    const scenario = parseScenario(baseScenario(), 'test');
    expect(scenario.region).toBe('us-east-1');
    expect(scenario.faults).toEqual([]);
    expect(scenario.now).toBeInstanceOf(Date);
  });

  it('names the file and the field path of a bad API id', () => {
    const data = baseScenario();
    const account = (data.accounts as Record<string, unknown>[])[0] as { apigateway: { restApis: { id: string }[] } };
    (account.apigateway.restApis[0] as { id: string }).id = 'BAD';
    expect(errorOf(data)).toBe('scenario ./x.yaml: accounts.0.apigateway.restApis.0.id: expected an API id (lowercase letters and digits, e.g. a1b2c3d4e5)');
  });

  it('names missing top-level fields and bad account ids', () => {
    const message = errorOf({ name: 'x', apiId: 'a1b2c3d4e5', accounts: [{ accountId: '12' }] });
    expect(message).toContain('now:');
    expect(message).toContain('accounts.0.accountId: expected a 12-digit account id');
  });

  it('rejects a bad time with a hint of what is expected', () => {
    expect(errorOf(baseScenario({ now: 'yesterday' }))).toContain('now: expected an ISO 8601 time');
  });

  it('rejects a fault with an unknown operation format', () => {
    expect(errorOf(baseScenario({ faults: [{ operation: 'LookupEvents', error: 'AccessDeniedException' }] }))).toContain(
      'faults.0.operation: expected service:Operation',
    );
  });

  it('normalises times: ISO strings and epoch ms', () => {
    const scenario = parseScenario(baseScenario(), 'test');
    const deployments = scenario.accounts[0]?.apigateway?.restApis?.[0]?.deployments ?? [];
    expect(deployments[0]?.createdDate).toEqual(new Date('2024-04-30T10:00:00Z'));
    expect(deployments[1]?.createdDate).toEqual(new Date(1714464000000));
  });

  it('stringifies object policies and expands access log presets', () => {
    const scenario = parseScenario(baseScenario(), 'test');
    const api = scenario.accounts[0]?.apigateway?.restApis?.[0];
    expect(JSON.parse(api?.policy ?? '')).toMatchObject({ Version: '2012-10-17' });
    expect(api?.stages?.[0]?.accessLogSettings?.format).toContain('"requestId":"$context.requestId"');
  });

  it('keeps AWS fields it does not validate', () => {
    const data = baseScenario();
    const api = ((data.accounts as Record<string, unknown>[])[0] as { apigateway: { restApis: Record<string, unknown>[] } }).apigateway.restApis[0] as Record<string, unknown>;
    api.binaryMediaTypes = ['image/png'];
    const scenario = parseScenario(data, 'test');
    expect(scenario.accounts[0]?.apigateway?.restApis?.[0]).toMatchObject({ binaryMediaTypes: ['image/png'] });
  });
});
