import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError } from './args.js';
import { EXIT, type CliIo } from './io.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const HELP = `firebreak — deterministic AWS API Gateway troubleshooting; model tokens only when you approve.

Commands:
  troubleshoot api-gw <rest-api-id> [options]   investigate an API (--help for options)
  alarm <event.json>... | --fire NAME           replay CloudWatch alarm state changes as the bot handles them
  demo                                          run on the built-in "long night" sandbox scenario
  scenarios                                     list the built-in sandbox scenarios
  usage [--user U]                              your model-token quota today
  spend [--week 2026-W47] [--json]              the weekly spend summary (this week by default)
  iam-policy [--region R] [--account A] [--log-group G]...
                                                the least-privilege IAM policy firebreak needs
  help, --version                               this text; the version

Exit codes: 0 the investigation ran (even if it found problems), 1 it could not run, 2 bad input.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

// Each command loads its own modules when it runs (the engine, the AWS SDK, the sandbox, the
// ledger), so `--version` and `help` cost little more than Node's own start-up.
const COMMANDS: Record<string, () => Promise<Command>> = {
  troubleshoot: async () => (await import('./commands/troubleshoot.js')).troubleshootCommand,
  alarm: async () => (await import('./commands/alarm.js')).alarmCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  scenarios: async () => (await import('./commands/scenarios.js')).scenariosCommand,
  'iam-policy': async () => (await import('./commands/iam-policy.js')).iamPolicyCommand,
  usage: async () => (await import('./commands/usage.js')).usageCommand,
  spend: async () => (await import('./commands/spend.js')).spendCommand,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `firebreak ${pkg.version}`;
}

/** `--version` and `help`: answered before the configuration (and zod) is loaded. */
function builtIn(name: string | undefined): { text: string; code: number } | undefined {
  if (name === '--version' || name === '-v' || name === 'version') return { text: version(), code: EXIT.ok };
  if (!name || name === 'help' || name === '--help' || name === '-h') return { text: HELP, code: name ? EXIT.ok : EXIT.usage };
  return undefined;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const answer = builtIn(name);
  if (answer) {
    io.out(answer.text);
    return answer.code;
  }
  const load = COMMANDS[name ?? ''];
  if (!load) {
    io.err(`firebreak: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}, help`);
    return EXIT.usage;
  }
  try {
    return await (await load())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`firebreak: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
}

export async function main(): Promise<void> {
  const answer = builtIn(process.argv[2]);
  if (answer) {
    process.stdout.write(`${answer.text}\n`);
    process.exitCode = answer.code;
    return;
  }
  const { ConfigError, loadConfig } = await import('../config.js');
  // What the CLI writes to stderr (errors, progress, warnings) is its log: it passes the egress
  // boundary like every other process's log lines.
  const { redactText } = await import('../app/index.js');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`firebreak: ${redactText(err.message)}`);
      process.exitCode = EXIT.usage;
      return;
    }
    throw err;
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const io: CliIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${redactText(text)}\n`),
    style: { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, width: process.stdout.columns ?? 120 },
    config,
    stderr: process.stderr,
    ...(interactive
      ? {
          ask: async (question: string) => {
            const { createInterface } = await import('node:readline/promises');
            const rl = createInterface({ input: process.stdin, output: process.stdout });
            try {
              return await rl.question(question);
            } finally {
              rl.close();
            }
          },
        }
      : {}),
  };
  try {
    process.exitCode = await runCli(process.argv.slice(2), io);
  } catch (err) {
    // Anything unexpected: one line, no stack, unless debugging.
    // Error text can carry what AWS or a user wrote: it leaves through the egress boundary too.
    console.error(`firebreak: ${redactText((err as Error).message ?? String(err))}`);
    if (process.env.FIREBREAK_DEBUG) console.error(redactText((err as Error).stack ?? String(err)));
    process.exitCode = EXIT.failed;
  }
}

// Run directly (`tsx src/cli/main.ts`); the `firebreak` bin imports `main` and calls it.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
