import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { UsageError } from './args.js';
import { demoCommand } from './commands/demo.js';
import { iamPolicyCommand } from './commands/iam-policy.js';
import { scenariosCommand } from './commands/scenarios.js';
import { spendCommand } from './commands/spend.js';
import { troubleshootCommand } from './commands/troubleshoot.js';
import { usageCommand } from './commands/usage.js';
import { EXIT, type CliIo } from './io.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const HELP = `firebreak — deterministic AWS API Gateway troubleshooting; model tokens only when you approve.

Commands:
  troubleshoot api-gw <rest-api-id> [options]   investigate an API (--help for options)
  demo                                          run on the built-in "long night" sandbox scenario
  scenarios                                     list the built-in sandbox scenarios
  usage [--user U]                              your model-token quota today
  spend [--week 2026-W47] [--json]              the weekly spend summary (this week by default)
  iam-policy [--region R] [--account A]         the least-privilege IAM policy firebreak needs
  help, --version                               this text; the version

Exit codes: 0 the investigation ran (even if it found problems), 1 it could not run, 2 bad input.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  troubleshoot: troubleshootCommand,
  demo: demoCommand,
  scenarios: scenariosCommand,
  'iam-policy': iamPolicyCommand,
  usage: usageCommand,
  spend: spendCommand,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    io.out(`firebreak ${pkg.version}`);
    return EXIT.ok;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`firebreak: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}, help`);
    return EXIT.usage;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`firebreak: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
}

export async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`firebreak: ${err.message}`);
      process.exitCode = EXIT.usage;
      return;
    }
    throw err;
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const io: CliIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    style: { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, width: process.stdout.columns ?? 120 },
    config,
    stderr: process.stderr,
    ...(interactive
      ? {
          ask: async (question: string) => {
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
    const { redactText } = await import('../app/index.js');
    console.error(`firebreak: ${redactText((err as Error).message ?? String(err))}`);
    if (process.env.FIREBREAK_DEBUG) console.error(err);
    process.exitCode = EXIT.failed;
  }
}

// Run directly (`tsx src/cli/main.ts`); the `firebreak` bin imports `main` and calls it.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
