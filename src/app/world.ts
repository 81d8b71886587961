import type { Config } from '../config.js';
import { EnvironmentError } from '../core/outcome.js';
import type { Environment } from '../engine.js';

/**
 * Where the data comes from: AWS with the configured credentials, or a sandbox scenario (demo,
 * tests, benchmarks). The only place that knows the sandbox exists; it is imported on demand, so
 * a deployment that reads AWS never loads the simulator.
 */
export interface WorldOptions {
  scenario?: string;
  region?: string;
  profile?: string;
  /** Sandbox only: latency added to every AWS call (benchmarks). */
  latencyMs?: number;
  /**
   * Sandbox only: run the scenario at this "now" instead of its own (`--now`). Seeded traffic
   * without fixed times ends at this clock, so the same incident can be seen minutes later.
   */
  now?: Date;
}

/** The scenario named or given is unknown or invalid: bad input, not a failure to run. */
export class ScenarioInputError extends Error {
  override name = 'ScenarioInputError';
}

/** The built-in sandbox scenarios, for `firebreak scenarios` and the preview's picker. */
export interface ScenarioListing {
  name: string;
  apiId: string;
  description: string;
  /** Its CloudWatch alarms, by name. */
  alarms: string[];
}

export async function listScenarios(): Promise<ScenarioListing[]> {
  return (await import('../sandbox/load.js')).listScenarios();
}

export async function openWorld(options: WorldOptions, config: Config): Promise<Environment> {
  const scenarioName = options.scenario ?? config.scenario;
  return scenarioName ? openSandbox(scenarioName, options) : openAws(options, config);
}

async function openSandbox(name: string, options: WorldOptions): Promise<Environment> {
  const [{ loadScenario }, { createSandboxEnvironment }] = await Promise.all([import('../sandbox/load.js'), import('../sandbox/environment.js')]);
  let scenario;
  try {
    scenario = await loadScenario(name);
  } catch (err) {
    throw new ScenarioInputError((err as Error).message);
  }
  // Everything in the sandbox that is relative to the clock reads `scenario.now` (the default
  // window, traffic without an explicit end, log group ages); fixed times in the scenario stay.
  if (options.now) scenario = { ...scenario, now: options.now };
  const sandbox = createSandboxEnvironment(scenario, options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs });
  const now = sandbox.now;
  return {
    factory: sandbox.factory,
    dns: sandbox.dns,
    now: () => now,
    origin: `sandbox:${scenario.name}`,
    region: sandbox.defaults.region,
    ...(scenario.sourceTimeoutMs ? { sourceTimeoutMs: scenario.sourceTimeoutMs } : {}),
    defaults: { ...sandbox.defaults, description: scenario.description },
    ...(sandbox.attachLedgerFaults ? { attachLedgerFaults: sandbox.attachLedgerFaults as (client: never) => void } : {}),
  };
}

async function openAws(options: WorldOptions, config: Config): Promise<Environment> {
  const region = options.region ?? config.aws.region;
  const profile = options.profile ?? config.aws.profile;
  // Loaded here, not at the top: the SDK clients are most of what a process loads, and the Slack
  // front (ack and dispatch) never reads AWS.
  const [{ GetCallerIdentityCommand }, { ClientFactory }, { systemResolver }, { errorText }] = await Promise.all([
    import('@aws-sdk/client-sts'),
    import('../aws/clients.js'),
    import('../sources/dns/system-resolver.js'),
    import('../aws/errors.js'),
  ]);
  const probe = new ClientFactory({ region, ...(profile ? { profile } : {}), accounts: config.aws.accounts });
  let homeAccountId: string | undefined;
  try {
    homeAccountId = (await probe.forAccount().sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (err) {
    throw new EnvironmentError(
      `cannot use AWS credentials (${errorText(err)}); configure credentials or a --profile, or try a sandbox with --scenario healthy`,
    );
  }
  const factory = new ClientFactory({
    region,
    ...(profile ? { profile } : {}),
    accounts: config.aws.accounts,
    ...(homeAccountId ? { homeAccountId } : {}),
  });
  return { factory, dns: systemResolver, now: () => new Date(), origin: 'aws', region };
}
