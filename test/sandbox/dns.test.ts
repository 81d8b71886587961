import { describe, expect, it } from 'vitest';
import { createSandboxDns } from '../../src/sandbox/dns.js';
import { parseScenario } from '../../src/sandbox/load.js';
import { baseScenario } from './fixture.js';

describe('sandbox DNS', () => {
  const dns = createSandboxDns(
    parseScenario(baseScenario({ dns: { records: { 'api.example.com': { cname: ['d-1.execute-api.us-east-1.amazonaws.com'] }, 'd-1.execute-api.us-east-1.amazonaws.com': { a: ['52.0.0.1'] } } } }), 'test'),
  );

  it('answers CNAME and A records from the scenario, case- and dot-insensitively', async () => {
    expect(await dns.resolveCname('API.example.com.')).toEqual(['d-1.execute-api.us-east-1.amazonaws.com']);
    expect(await dns.resolve4('d-1.execute-api.us-east-1.amazonaws.com')).toEqual(['52.0.0.1']);
  });

  it('rejects unknown names with ENOTFOUND and missing record types with ENODATA, like node:dns', async () => {
    await expect(dns.resolveCname('nope.example.com')).rejects.toMatchObject({ code: 'ENOTFOUND', hostname: 'nope.example.com' });
    await expect(dns.resolve4('api.example.com')).rejects.toMatchObject({ code: 'ENODATA' });
  });
});
