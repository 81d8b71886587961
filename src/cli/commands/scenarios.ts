import { listScenarios } from '../../app/index.js';
import { EXIT, type CliIo } from '../io.js';

export async function scenariosCommand(_argv: string[], io: CliIo): Promise<number> {
  const scenarios = await listScenarios();
  const nameWidth = Math.max(4, ...scenarios.map((s) => s.name.length));
  io.out(`${'NAME'.padEnd(nameWidth)}  API ID      DESCRIPTION`);
  for (const s of scenarios) io.out(`${s.name.padEnd(nameWidth)}  ${s.apiId}  ${s.description}`);
  io.out('\nRun one: npm run firebreak -- troubleshoot api-gw <api-id> --scenario <name>');
  return EXIT.ok;
}
