import { readFile } from 'node:fs/promises';

/**
 * Where a process spent its CPU, from a V8 CPU profile (`node --cpu-prof`): each sample is charged
 * to the nearest frame on its stack that is the project's own code, so a library call (the AWS
 * SDK, JSON.parse) counts for the code that made it. The sandbox (the simulated AWS answering)
 * is kept apart from firebreak's own sources, rules and bundle; garbage collection and start-up
 * (module loading, TypeScript transpiling) are their own lines.
 */
export type CpuPart = 'sources' | 'rules' | 'bundle' | 'aws clients' | 'app, core, cli' | 'sandbox' | 'gc' | 'start-up and other';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function partOfUrl(url: string): CpuPart | undefined {
  const at = url.lastIndexOf('/src/');
  if (at < 0) return undefined;
  const path = url.slice(at + 5);
  if (path.startsWith('sandbox/')) return 'sandbox';
  if (path.startsWith('sources/')) return 'sources';
  if (path.startsWith('rules/')) return 'rules';
  if (path.startsWith('bundle/')) return 'bundle';
  if (path.startsWith('aws/')) return 'aws clients';
  return 'app, core, cli';
}

/** Milliseconds of CPU per part. */
export async function cpuByPart(file: string): Promise<Record<CpuPart, number>> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const partOf = new Map<number, CpuPart>();
  const resolve = (id: number): CpuPart => {
    const known = partOf.get(id);
    if (known) return known;
    const node = byId.get(id);
    let part: CpuPart;
    if (!node) part = 'start-up and other';
    else if (node.callFrame.functionName === '(garbage collector)') part = 'gc';
    else {
      const own = partOfUrl(node.callFrame.url);
      const up = parent.get(id);
      part = own ?? (up === undefined ? 'start-up and other' : resolve(up));
    }
    partOf.set(id, part);
    return part;
  };
  const totals: Record<CpuPart, number> = { sources: 0, rules: 0, bundle: 0, 'aws clients': 0, 'app, core, cli': 0, sandbox: 0, gc: 0, 'start-up and other': 0 };
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    // Idle time is not CPU.
    if (node?.callFrame.functionName === '(idle)') return;
    totals[resolve(id)] += (profile.timeDeltas[index] ?? 0) / 1000;
  });
  return totals;
}

/**
 * The parts of every profile a process wrote (its main thread and the module loader's), scaled so
 * they add up to the CPU the process was measured to use: a sampling profiler on a busy machine
 * also samples while the thread waits for a core, which inflates every part alike.
 */
export async function cpuOfProcess(files: readonly string[], cpuMs: number | undefined): Promise<Record<CpuPart, number>> {
  const sum = { sources: 0, rules: 0, bundle: 0, 'aws clients': 0, 'app, core, cli': 0, sandbox: 0, gc: 0, 'start-up and other': 0 } as Record<CpuPart, number>;
  for (const file of files) {
    const parts = await cpuByPart(file);
    for (const key of Object.keys(sum) as CpuPart[]) sum[key] += parts[key];
  }
  const sampled = Object.values(sum).reduce((a, b) => a + b, 0);
  if (!cpuMs || sampled === 0) return sum;
  const scale = cpuMs / sampled;
  for (const key of Object.keys(sum) as CpuPart[]) sum[key] *= scale;
  return sum;
}

/** Firebreak's own CPU: everything but the sandbox, garbage collection and start-up. */
export function firebreakMs(parts: Record<CpuPart, number>): number {
  return parts.sources + parts.rules + parts.bundle + parts['aws clients'] + parts['app, core, cli'];
}
