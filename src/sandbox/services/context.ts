import type { Scenario, ScenarioAccount } from '../scenario.js';
import type { LogStore } from '../log-store.js';
import type { MetricStore } from '../metrics.js';

/** What every service handler answers from: one account of one scenario, in one region. */
export interface ServiceContext {
  scenario: Scenario;
  account: ScenarioAccount;
  accountId: string;
  region: string;
  /** Log groups with their events, scenario and generated traffic merged; built on first use. */
  logs: () => LogStore;
  /** Metrics the scenario's traffic publishes (every account); built on first use. */
  metrics: () => MetricStore;
}

export type Handler = (input: Record<string, unknown>, ctx: ServiceContext) => Record<string, unknown>;
export type ServiceHandlers = Readonly<Record<string, Handler>>;

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** A structured copy, so callers mutating an answer never change the scenario. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** Drops the sandbox-only keys (lowercase helpers like `stages`, `policy`) from an AWS shape. */
export function omit<T extends Record<string, unknown>>(value: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!keys.includes(key)) out[key] = v;
  return copy(out);
}
