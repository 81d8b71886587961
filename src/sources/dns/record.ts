import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { text } from '../record.js';

/** Lookups into the scenario's `dns.records`: what resolved, and every failure by its code. */
export function writeDnsAnswer(call: CapturedCall, w: ScenarioWriter): void {
  if (call.service !== 'dns') return;
  const name = text(call.input.name);
  if (!name) return;
  const kind = call.operation === 'resolveCname' ? 'cname' : 'a';
  const records = call.output?.records;
  if (Array.isArray(records)) w.dns(name, { [kind]: records.map(String) });
  else if (call.error) w.dns(name, { [`${kind}Error`]: call.error.code ?? call.error.name });
}
