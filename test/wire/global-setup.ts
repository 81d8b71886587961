import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { findMotoServer, MOTO_HOW_TO, startMotoServer } from './moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** moto's endpoint for AWS_ENDPOINT_URL; empty when moto is not installed (the suite skips). */
    motoEndpoint: string;
  }
}

/** CI machines have moto: there a missing moto_server fails the run instead of skipping it. */
function onCi(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}

/**
 * Starts one moto server for the whole wire suite (every case lives in its own AWS account on
 * it, so cases never see each other's resources) and returns what stops it when the run ends,
 * passed or not. Without moto: one line saying how to get it, and the suite skips; under CI, fails.
 */
export async function prepareWire(
  project: Pick<TestProject, 'provide'>,
  env: NodeJS.ProcessEnv = process.env,
  say: (line: string) => void = console.log,
): Promise<(() => Promise<void>) | undefined> {
  const executable = findMotoServer(env);
  if (!executable) {
    if (onCi(env)) throw new Error(`the wire suite needs moto_server under CI: ${MOTO_HOW_TO}`);
    say(`wire suite skipped: moto_server not found; ${MOTO_HOW_TO}`);
    project.provide('motoEndpoint', '');
    return undefined;
  }
  // The cases run the installed command (bin/firebreak.js over dist/): build it from this tree.
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: fileURLToPath(new URL('../../', import.meta.url)), encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr || build.stdout}`);
  // Ctrl-C reaches moto's process group too, and the watchdog kills it when this process ends.
  const server = await startMotoServer(executable);
  project.provide('motoEndpoint', server.endpoint);
  return () => server.stop();
}

export default function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  return prepareWire(project);
}
