import { investigateScenario } from '../../bench/rules.js';
import type { Investigation } from '../../src/core/report.js';

/**
 * One investigation per built-in scenario per test process: the suite, the golden record, the
 * read-only check and the redaction checks all read the same runs instead of each investigating
 * every scenario again (the scenarios' own default target and a 2 h window).
 */
const runs = new Map<string, Promise<Investigation>>();

export function scenarioRun(name: string): Promise<Investigation> {
  let run = runs.get(name);
  if (!run) {
    run = investigateScenario(name);
    runs.set(name, run);
  }
  return run;
}
