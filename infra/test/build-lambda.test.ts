import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateIamPolicy } from '../../src/aws/iam-policy.js';
import { buildLambda } from '../build-lambda.js';

const outdir = mkdtempSync(join(tmpdir(), 'firebreak-lambda-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('build:lambda', () => {
  it('bundles a handler into one ESM file named for the stack, with embedded DynamoDB stubbed out', async () => {
    await buildLambda({ entries: { front: 'infra/test/fixtures/handler.ts' }, outdir });
    const file = join(outdir, 'front.mjs');
    expect(existsSync(file)).toBe(true);
    const bundle = (await import(pathToFileURL(file).href)) as { handler: () => Promise<{ statements: number; dynalite: string }> };
    const result = await bundle.handler();
    expect(result.statements).toBe(generateIamPolicy().Statement.length);
    expect(result.dynalite).toMatch(/not available in the Lambda bundle/);
  });
});

describe('build:lambda on the real handlers', () => {
  it('bundles the front, worker and schedule handlers, each exporting handler', async () => {
    const realOut = join(outdir, 'real');
    await buildLambda({ outdir: realOut });
    for (const name of ['front', 'worker', 'schedule']) {
      const mod = (await import(pathToFileURL(join(realOut, `${name}.mjs`)).href)) as { handler?: unknown };
      expect(typeof mod.handler, name).toBe('function');
    }
  }, 120_000);
});
