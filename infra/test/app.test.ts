import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'firebreak-synth-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Only what node needs: no AWS credentials, profiles or region, as on a fresh clone. */
function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_') && !key.startsWith('CDK_')) env[key] = value;
  return {
    ...env,
    AWS_CONFIG_FILE: join(outdir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(outdir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    FIREBREAK_INFRA_CONFIG: join(outdir, 'no-infra-config.json'),
    CDK_OUTDIR: outdir,
  };
}

describe('npm run synth', () => {
  it('synthesises both stacks offline, without AWS credentials or a Lambda build', async () => {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/bin/app.ts'], { cwd: repoRoot, env: credentialFreeEnv() });
    for (const stack of ['Firebreak', 'FirebreakMemberReadRole']) {
      const file = join(outdir, `${stack}.template.json`);
      expect(existsSync(file), file).toBe(true);
      expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).Resources).length).toBeGreaterThan(0);
    }
    // A whole CDK synth in a child process: ~10 s alone, past 30 s on a loaded 2-core machine.
  }, 180_000);
});
