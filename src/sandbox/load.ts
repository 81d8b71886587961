import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema, type Scenario } from './scenario.js';

/** Built-in scenarios ship next to this module, so they work from source and from a package. */
export const BUILT_IN_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

const MAX_ISSUES_SHOWN = 3;

/**
 * Largest scenario file read. Parsing YAML takes tens of times the file's size in memory (a 50 MB
 * file peaked at 2.4 GB), so a larger file is refused before it is read. Volume belongs in
 * `traffic` generators, which expand deterministically at load time from a few lines.
 */
export const MAX_SCENARIO_BYTES = 8 * 1024 * 1024;

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return `${where}: ${issue.message}`;
}

/**
 * The most requests all of a scenario's traffic generators may ask for together. Generated lazily,
 * but every request becomes about 19 log events that the sandbox stores and interprets queries
 * over: 1M requests is about 19M events, six times the largest benchmark (157k requests, 3M
 * events, 13 s). Thirty generators of 1M each would ask for thirty times that.
 */
export const MAX_SCENARIO_REQUESTS = 1_000_000;

/** Refuses a scenario whose generators ask for more work than MAX_SCENARIO_REQUESTS, naming the entry that goes over. */
function assertBoundedWork(scenario: Scenario, origin: string): void {
  let total = 0;
  for (const [list, specs] of [
    ['traffic', scenario.traffic],
    ['httpTraffic', scenario.httpTraffic],
  ] as const) {
    for (const [index, spec] of specs.entries()) {
      total += spec.requests;
      if (total > MAX_SCENARIO_REQUESTS) {
        fail(
          origin,
          `${list}.${index}: the traffic generators ask for ${total.toLocaleString('en-US')} requests up to this entry; a scenario may ask for at most ${MAX_SCENARIO_REQUESTS.toLocaleString('en-US')} in all (traffic and httpTraffic together): lower \`requests\` or use fewer generators`,
        );
      }
    }
  }
}

/** Validates parsed scenario data; the error names the origin and the field path of each problem. */
export function parseScenario(data: unknown, origin: string): Scenario {
  const result = scenarioSchema.safeParse(data);
  if (result.success) {
    assertBoundedWork(result.data, origin);
    return result.data;
  }
  const issues = result.error.issues;
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map(formatIssue).join('; ');
  const more = issues.length > MAX_ISSUES_SHOWN ? ` (and ${issues.length - MAX_ISSUES_SHOWN} more)` : '';
  return fail(origin, `${shown}${more}`);
}

function fail(origin: string, detail: string): never {
  throw new Error(`scenario ${origin}: ${detail}`);
}

function looksLikePath(nameOrPath: string): boolean {
  return /[\\/]/.test(nameOrPath) || /\.(ya?ml|json)$/i.test(nameOrPath);
}

async function builtInNames(): Promise<string[]> {
  const files = await readdir(BUILT_IN_DIR).catch(() => [] as string[]);
  return files
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

function parseText(text: string, origin: string): unknown {
  try {
    return origin.toLowerCase().endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    return fail(origin, `not valid ${origin.toLowerCase().endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
}

async function loadFile(file: string, origin: string, maxBytes: number): Promise<Scenario> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    return fail(origin, `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (size > maxBytes) {
    return fail(origin, `the file is ${megabytes(size)}; scenario files are capped at ${megabytes(maxBytes)} (describe volume with traffic generators, which expand at load time)`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail(origin, `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseScenario(parseText(text, origin), origin);
}

/** A built-in scenario by name (`healthy`), or a .yaml/.yml/.json file by path. */
export async function loadScenario(nameOrPath: string, options: { maxBytes?: number } = {}): Promise<Scenario> {
  const maxBytes = options.maxBytes ?? MAX_SCENARIO_BYTES;
  if (looksLikePath(nameOrPath)) return loadFile(path.resolve(nameOrPath), nameOrPath, maxBytes);
  const names = await builtInNames();
  if (!names.includes(nameOrPath)) {
    throw new Error(`unknown scenario "${nameOrPath}"; built-in scenarios: ${names.join(', ') || '(none)'}; or give a path to a .yaml or .json file`);
  }
  const file = path.join(BUILT_IN_DIR, `${nameOrPath}.yaml`);
  return loadFile(file, nameOrPath, maxBytes);
}

export interface ScenarioListing {
  name: string;
  apiId: string;
  description: string;
  /** The scenario's CloudWatch alarms, by name (the preview's "fire alarm" control). */
  alarms: string[];
}

/** Every built-in scenario, by name; a broken one throws (a test keeps them all loading). */
export async function listScenarios(): Promise<ScenarioListing[]> {
  const listings: ScenarioListing[] = [];
  for (const name of await builtInNames()) {
    const scenario = await loadScenario(name);
    listings.push({ name, apiId: scenario.apiId, description: scenario.description, alarms: scenario.alarms.map((a) => a.AlarmName) });
  }
  return listings;
}
