import type { Investigation } from '../core/report.js';
import type { TroubleshootFlags } from './commands/troubleshoot.js';
import { EXIT, type CliIo } from './io.js';

/** Placeholder until the token economy lands: shows what would be sent. */
export async function offerAnalysis(investigation: Investigation, _flags: TroubleshootFlags, io: CliIo): Promise<number> {
  const bundle = investigation.report.bundle;
  if (bundle) io.out(`\nBundle: ~${bundle.tokens} tokens (collected ~${bundle.rawTokens}).`);
  return EXIT.ok;
}
