import { createFirebreak, daysOfIsoWeek, isoWeek, type SpendLine } from '../../app/index.js';
import { alarmWeekText } from '../../core/alarm.js';
import { changeText, dailyBars, formatTokens, formatUsd } from '../../core/units.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { EXIT, type CliIo } from '../io.js';

function table(title: string, lines: SpendLine[]): string[] {
  if (lines.length === 0) return [`${title}: none`];
  const width = Math.max(...lines.map((l) => l.name.length));
  return [`${title}:`, ...lines.map((l) => `  ${l.name.padEnd(width)}  ${formatUsd(l.costUsd).padStart(8)}  ${formatTokens(l.tokens).padStart(7)} tokens  ${l.calls} model call(s)${l.cached ? ` + ${l.cached} from the cache` : ''}`)];
}

/** `firebreak spend [--week 2026-W47]`: the weekly spend summary, the same figures Slack posts. */
export async function spendCommand(argv: string[], io: CliIo): Promise<number> {
  // A bare `--week` means this week, as the docs write it: `firebreak spend --week`.
  argv = argv.filter((arg, i) => !(arg === '--week' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--'))));
  const { values } = parseCommandArgs(argv, { week: { type: 'string' }, json: { type: 'boolean' } }, 'firebreak spend --week 2026-W47');
  const timezone = io.config.quota.timezone;
  let at = new Date();
  if (values.week !== undefined) {
    if (!/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/.test(values.week)) throw new UsageError(`--week: expected an ISO week like ${isoWeek(at, timezone)}, got "${values.week}"`);
    at = new Date(`${daysOfIsoWeek(values.week)[0]}T12:00:00Z`);
  }
  const app = await createFirebreak(io.config, { snapshot: true });
  try {
    const s = await app.weeklySummary(at, timezone);
    if (values.json) {
      io.out(JSON.stringify(s, null, 2));
      return EXIT.ok;
    }
    io.out(
      [
        `Spend for ${s.week} (${timezone}): ${formatUsd(s.costUsd)} (${changeText(s.costUsd, s.previousCostUsd)}), ${formatTokens(s.tokens)} tokens in ${s.calls} model call(s)`,
        ...table('Per user', s.perUser),
        ...table('Per model', s.perModel),
        `Cache hits: ${s.cacheHits} (saved ${formatUsd(s.savedUsd)}): ${s.cacheHits - s.fingerprintHits} exact, ${s.fingerprintHits} same incident · quota hits: ${s.quotaHits}`,
        `Same-incident hits (fingerprint): ${s.fingerprintHits}, saved ${formatUsd(s.fingerprintSavedUsd)} and ~${formatTokens(s.fingerprintSavedTokens)} tokens`,
        `Closed by the rules with 0 tokens: ${s.closedByRules} (~${formatTokens(s.rulesTokensAvoided)} tokens not sent)`,
        `Tokens avoided by pruning: ${formatTokens(s.tokensAvoided)}`,
        `Alarms: ${alarmWeekText(s.alarms)}`,
        'Daily spend:',
        dailyBars(s.daily),
        `ledger: ${await app.ledgerLocation()}`,
      ].join('\n'),
    );
    return EXIT.ok;
  } finally {
    await app.close();
  }
}
