import { ClientFactory, type AccountRole } from '../aws/clients.js';
import type { DnsResolver } from '../sources/types.js';
import { createSandboxDns } from './dns.js';
import { FaultInjector } from './faults.js';
import { attachLedgerFaults, type MiddlewareClient } from './ledger-faults.js';
import type { Scenario } from './scenario.js';
import { createSandboxTransport } from './transport.js';

export interface SandboxEnvironment {
  factory: ClientFactory;
  dns: DnsResolver;
  /** The scenario's fixed clock. */
  now: Date;
  homeAccountId: string;
  /** What the scenario is about: the target to investigate when none is given. */
  defaults: { restApiId: string; stage?: string; region: string; window?: { since: Date; until: Date } };
  /** The scenario's `dynamodb:` faults on the ledger's client; absent when it has none. */
  attachLedgerFaults?: (client: MiddlewareClient) => void;
}

export interface SandboxEnvironmentOptions {
  /** Latency for every AWS call, replacing the scenario's own (benchmarks). */
  latencyMs?: number;
}

// Throttling retries back off for real in AWS; in the sandbox they only need to happen.
const SANDBOX_RETRY_DELAY_MS = 5;

/** Everything the engine needs to run against a scenario instead of AWS. */
export function createSandboxEnvironment(scenario: Scenario, opts: SandboxEnvironmentOptions = {}): SandboxEnvironment {
  const [home] = scenario.accounts;
  if (!home) throw new Error(`scenario ${scenario.name}: no accounts`);
  // The home account is read with the credentials themselves; others only through a role.
  const accounts: AccountRole[] = scenario.accounts.map((account, index) => ({
    accountId: account.accountId,
    ...(account.alias !== undefined ? { alias: account.alias } : {}),
    ...(index > 0 && account.roleArn !== undefined ? { roleArn: account.roleArn } : {}),
  }));
  // The ledger's faults count on their own: its calls never consume the AWS reads' `times`.
  const ledgerFaults = new FaultInjector(scenario.faults.filter((fault) => fault.operation.startsWith('dynamodb:')));
  const transport = createSandboxTransport(scenario, opts.latencyMs === undefined ? {} : { latencyMs: opts.latencyMs });
  const factory = new ClientFactory({
    region: scenario.region,
    homeAccountId: home.accountId,
    accounts,
    transport,
    retryDelayMs: () => SANDBOX_RETRY_DELAY_MS,
  });
  return {
    factory,
    dns: createSandboxDns(scenario),
    now: new Date(scenario.now),
    homeAccountId: home.accountId,
    defaults: {
      restApiId: scenario.apiId,
      region: scenario.region,
      ...(scenario.stage !== undefined ? { stage: scenario.stage } : {}),
      ...(scenario.window ? { window: { since: new Date(scenario.window.since), until: new Date(scenario.window.until) } } : {}),
    },
    ...(ledgerFaults.targets('dynamodb') ? { attachLedgerFaults: (client: MiddlewareClient) => attachLedgerFaults(client, ledgerFaults, home.accountId) } : {}),
  };
}
