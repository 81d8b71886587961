/**
 * A scenario's faults reach firebreak's own table (`dynamodb:` rules, on the ledger's client,
 * inside the SDK's retry loop), and a rule naming a service or operation firebreak never calls is
 * refused when the scenario loads, naming it, instead of silently never firing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createFirebreak } from '../../src/app/index.js';
import { loadConfig } from '../../src/config.js';
import { BUILT_IN_DIR, parseScenario } from '../../src/sandbox/load.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const healthy = () => parse(readFileSync(join(BUILT_IN_DIR, 'healthy.yaml'), 'utf8')) as Record<string, unknown>;

describe('faults on firebreak’s own table', () => {
  it('refuses an unknown service or an operation firebreak never calls, naming it', () => {
    expect(() => parseScenario({ ...healthy(), faults: [{ operation: 'dynamo:PutItem', error: 'ThrottlingException' }] }, 'typo.yaml')).toThrow(/faults\.0\.operation: unknown service "dynamo"/);
    expect(() => parseScenario({ ...healthy(), faults: [{ operation: 'cloudtrail:PutEventSelectors', error: 'AccessDeniedException' }] }, 'write.yaml')).toThrow(/firebreak never calls cloudtrail:PutEventSelectors/);
    expect(parseScenario({ ...healthy(), faults: [{ operation: 'dynamodb:UpdateItem', error: 'ProvisionedThroughputExceededException', rate: 0.2, seed: 3 }] }, 'ok.yaml').faults).toHaveLength(1);
  });

  it('applies a dynamodb: fault to the ledger: a refused read of the quota fails as DynamoDB would', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-ledger-faults-'));
    const file = join(dir, 'ledger-refused.yaml');
    writeFileSync(file, stringify({ ...healthy(), name: 'ledger-refused', faults: [{ operation: 'dynamodb:GetItem', error: 'AccessDeniedException', message: 'not allowed to read the table' }] }));
    const app = await createFirebreak(loadConfig({}, { scenario: file, logLevel: 'silent', 'ledger.embedded': true }));
    try {
      // The faults reach the ledger once the sandbox is open (as soon as anything reads it).
      await app.world();
      await expect(app.usage('U0ALICE')).rejects.toMatchObject({ name: 'AccessDeniedException', message: 'not allowed to read the table' });
    } finally {
      await app.close();
    }
  }, 60_000);

  it('throttling the ledger a few times is absorbed by the retries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-ledger-faults-'));
    const file = join(dir, 'ledger-throttled.yaml');
    writeFileSync(file, stringify({ ...healthy(), name: 'ledger-throttled', faults: [{ operation: 'dynamodb:*', error: 'ProvisionedThroughputExceededException', times: 2 }] }));
    const app = await createFirebreak(loadConfig({}, { scenario: file, logLevel: 'silent', 'ledger.embedded': true }));
    try {
      await app.world();
      expect((await app.usage('U0ALICE')).used).toBe(0);
    } finally {
      await app.close();
    }
  }, 60_000);
});
