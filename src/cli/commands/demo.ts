import { createFirebreak, ScenarioInputError } from '../../app/index.js';
import { troubleshootRequestSchema } from '../../core/input.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { EXIT, type CliIo } from '../io.js';
import { runTroubleshoot } from './troubleshoot.js';

/** The most instructive built-in scenario: several faults at once, one source refused. */
export const DEMO_SCENARIO = 'long-night';

export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    { scenario: { type: 'string' }, json: { type: 'boolean' }, yes: { type: 'boolean' }, context: { type: 'string' }, budget: { type: 'string' }, now: { type: 'string' }, fresh: { type: 'boolean' } },
    'npm run demo -- --scenario healthy',
  );
  const scenario = values.scenario ?? DEMO_SCENARIO;
  const app = await createFirebreak(io.config, { world: { scenario } });
  let world;
  try {
    world = await app.world();
  } catch (err) {
    throw err instanceof ScenarioInputError ? new UsageError(err.message) : err;
  } finally {
    await app.close();
  }
  const defaults = world.defaults;
  if (!defaults) return EXIT.failed;
  if (!values.json) {
    io.out(`firebreak demo — sandbox scenario "${scenario}": ${defaults.description ?? ''}`);
    io.out(`(no AWS or Slack account needed; every AWS read below is answered by the sandbox)\n`);
  }
  const request = troubleshootRequestSchema.parse({ restApiId: defaults.restApiId, ...(defaults.stage ? { stage: defaults.stage } : {}), region: defaults.region });
  return runTroubleshoot(request, { ...values, scenario }, io);
}
