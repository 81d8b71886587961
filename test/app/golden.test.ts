import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GOLDEN_FILE, recordScenario, type GoldenRecord } from '../support/golden.js';

/**
 * Behaviour did not move under a refactor: every recorded scenario still produces the findings
 * and the default bundle (by sha256) it produced when recorded. A change meant to alter them
 * re-records deliberately (`npx tsx test/support/golden.ts`) and says why in its commit.
 */
const golden = JSON.parse(await readFile(GOLDEN_FILE, 'utf8')) as Record<string, GoldenRecord>;

describe('recorded findings and bundles', () => {
  for (const [name, record] of Object.entries(golden)) {
    it(`${name} gives the recorded findings and bundle`, async () => {
      expect(await recordScenario(name)).toEqual(record);
    });
  }
});
