import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/**
 * moto's server (the AWS protocol emulator) on a free loopback port, for the wire suite. It is
 * started through a small shell that kills it when its stdin closes, so the server goes with
 * this process however this process ends (a failed run, Ctrl-C, a killed worker): nothing is
 * left listening on the shared machine.
 */
export const MOTO_HOW_TO = 'pip install "moto[server]==5.2.1" (or set MOTO_SERVER to its moto_server), then npm run test:wire';

export interface MotoServer {
  endpoint: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** The moto_server executable: MOTO_SERVER, else the one on PATH; undefined when there is none. */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.MOTO_SERVER || onPath('moto_server', env);
  if (!path) return undefined;
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  const found = spawnSync('/bin/sh', ['-c', `command -v ${command}`], { encoding: 'utf8', env: { PATH: env.PATH ?? '' } });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

// The server runs in the background of a shell that waits on its stdin; at EOF (or a signal)
// the shell's EXIT trap kills exactly the server it started, by its pid.
const WATCHDOG =
  'server="$1"; shift; "$server" "$@" & pid=$!; echo "moto-watchdog: server pid $pid" >&2; trap \'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null\' EXIT; trap \'exit 0\' INT TERM HUP; read -r _ || true';

const STARTUP_MS = 60_000;

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startMotoServer(executable: string): Promise<MotoServer> {
  // Port 0: the OS picks a free port and werkzeug prints it ("Running on http://127.0.0.1:PORT").
  const child = spawn('sh', ['-c', WATCHDOG, 'moto-watchdog', executable, '-H', '127.0.0.1', '-p', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const serverPid = () => Number(/moto-watchdog: server pid (\d+)/.exec(output)?.[1] ?? 0);
  const within = (ms: number) => Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, ms))]);
  const stop = async () => {
    child.stdin?.end();
    await within(5_000);
    // A server that ignores SIGTERM (busy) is killed outright, by the pid the watchdog printed.
    if (child.exitCode === null && child.signalCode === null) {
      const pid = serverPid();
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // Gone by now.
      }
      await within(5_000);
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited(child);
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`moto_server printed no address within ${STARTUP_MS / 1000} s: ${output.slice(-500)}`)), STARTUP_MS);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`moto_server exited (${code}) before it listened: ${output.slice(-500)}`));
      });
    });
    // Keep draining its request log (unread, or the pipe fills and the server blocks); keep the
    // watchdog's first lines (the server's pid).
    output = output.slice(0, 4_096);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.removeAllListeners('data');
      stream?.resume();
    }
    return { endpoint, pid: child.pid, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
