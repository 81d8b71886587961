import { investigateScenario } from '../../bench/rules.js';
import type { CallRecord } from '../../src/aws/call-context.js';
import type { Investigation } from '../../src/core/report.js';
import { loadScenario } from '../../src/sandbox/load.js';
import { onVirtualTime } from './virtual-time.js';

/**
 * One investigation per built-in scenario per test process: the suite, the golden record, the
 * read-only check, the redaction checks and the call budgets all read the same runs instead of
 * each investigating every scenario again (the scenarios' own default target and a 2 h window).
 * Each runs on a virtual clock with every AWS call taking 100 ms (a scenario's own latency when it
 * has one), so its recorded calls show which waited on which, whatever the machine's load.
 */
export interface ScenarioRun {
  investigation: Investigation;
  calls: CallRecord[];
}

/** Every sandbox AWS call takes this long on the virtual clock (the method of `npm run bench`). */
export const VIRTUAL_LATENCY_MS = 100;

const runs = new Map<string, Promise<ScenarioRun>>();

export function tracedScenarioRun(name: string): Promise<ScenarioRun> {
  let run = runs.get(name);
  if (!run) {
    run = (async () => {
      const scenario = await loadScenario(name);
      const calls: CallRecord[] = [];
      const latencyMs = scenario.latencyMs ?? VIRTUAL_LATENCY_MS;
      const investigation = await onVirtualTime(() => investigateScenario(name, { latencyMs, onCall: (record) => calls.push(record) }));
      return { investigation, calls };
    })();
    runs.set(name, run);
  }
  return run;
}

export async function scenarioRun(name: string): Promise<Investigation> {
  return (await tracedScenarioRun(name)).investigation;
}
