import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cruise, type IReporterOutput } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const ruleSet = require('../../.dependency-cruiser.cjs') as { forbidden: object[] };
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

async function violations(baseDir: string): Promise<string[]> {
  const result: IReporterOutput = await cruise(['src'], { baseDir, validate: true, ruleSet: { forbidden: ruleSet.forbidden } as never, tsPreCompilationDeps: true, moduleSystems: ['es6'] }, { extensions: ['.ts', '.js'] });
  const output = result.output as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('architecture rules run by npm run lint', () => {
  it('fail on layering violations and cycles (a fixture tree that breaks each)', async () => {
    const found = await violations(`${fixtures}layers`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^core-imports-nothing: src\/core\/leak\.ts → src\/ledger\/store\.ts/),
        expect.stringMatching(/^front-ends-through-app: src\/slack\/reach\.ts → src\/ledger\/store\.ts/),
        expect.stringMatching(/^engine-no-sandbox: src\/engine\.ts → src\/sandbox\/sim\.ts/),
        expect.stringMatching(/^no-circular: /),
      ]),
    );
  });

  it('pass on the project itself', async () => {
    expect(await violations(root)).toEqual([]);
  }, 60_000);

  it('fail on an unused export and an unused file (knip on a fixture project)', async () => {
    const knip = `${root}node_modules/knip/bin/knip.js`;
    const outcome = await run(process.execPath, [knip, '--directory', `${fixtures}unused`, '--no-progress', '--reporter', 'compact'], { cwd: root }).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.stdout).toMatch(/orphan\.ts/);
    expect(outcome.stdout).toMatch(/forgotten/);
  }, 120_000);
});
