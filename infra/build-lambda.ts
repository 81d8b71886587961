import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

/**
 * Bundles the three Lambda handlers into single ESM files for `cdk deploy`
 * (`FIREBREAK_LAMBDA_CODE=dist/lambda`). Kept out of synth so synth stays fast and offline.
 * esbuild is already installed (tsx depends on it), so this adds no dependency.
 */
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** Output file name (without .mjs) → handler source; the stack's handlers are `<name>.handler`. */
export const LAMBDA_ENTRIES: Record<string, string> = {
  front: 'src/slack/receivers/lambda.ts',
  worker: 'src/slack/receivers/worker.ts',
  schedule: 'src/slack/receivers/schedule.ts',
};

// dynalite (the embedded local DynamoDB) pulls in a native LevelDB binding; on Lambda the ledger
// uses the real table, so it is replaced by a stub that explains itself if ever called.
const stubEmbeddedDynamo: Plugin = {
  name: 'firebreak-stub-dynalite',
  setup(b) {
    b.onResolve({ filter: /^dynalite$/ }, () => ({ path: 'dynalite', namespace: 'firebreak-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'firebreak-stub' }, () => ({
      contents:
        "export default function dynalite() { throw new Error('embedded DynamoDB is not available in the Lambda bundle: set FIREBREAK_EMBEDDED_DYNAMODB=false'); }",
      loader: 'js',
    }));
  },
};

/** What one function loads: at its cold start (static imports) and at most (with lazy imports). */
export interface FunctionSize {
  name: string;
  /** Bytes of the entry file and every chunk it imports statically: what a cold start reads. */
  startBytes: number;
  /** Plus every chunk reachable through dynamic import(): the most it can ever load. */
  reachableBytes: number;
  /** Input modules in the start closure, for checks such as "the front has no engine". */
  startInputs: string[];
}

export interface LambdaBuild {
  outdir: string;
  /** Source maps, written outside the code folder so they are not uploaded with the functions. */
  mapsDir: string;
  sizes: FunctionSize[];
  metafile: Metafile;
}

function closure(metafile: Metafile, entry: string, follow: (kind: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const edge of metafile.outputs[file]?.imports ?? []) if (!edge.external && follow(edge.kind)) visit(edge.path);
  };
  visit(entry);
  return seen;
}

/** Start and reachable sizes per entry, from esbuild's metafile. */
export function functionSizes(metafile: Metafile, cwd: string): FunctionSize[] {
  return Object.entries(metafile.outputs)
    .filter(([file, output]) => output.entryPoint && !file.includes('/chunks/'))
    .map(([file]) => {
      const start = closure(metafile, file, (kind) => kind === 'import-statement');
      const reachable = closure(metafile, file, (kind) => kind === 'import-statement' || kind === 'dynamic-import');
      const bytes = (files: Set<string>) => [...files].reduce((sum, f) => sum + (metafile.outputs[f]?.bytes ?? 0), 0);
      const startInputs = [...new Set([...start].flatMap((f) => Object.keys(metafile.outputs[f]?.inputs ?? {})))].map((i) => relative(cwd, resolve(cwd, i)));
      return { name: file.replace(/^.*\//, '').replace(/\.mjs$/, ''), startBytes: bytes(start), reachableBytes: bytes(reachable), startInputs };
    });
}

/**
 * One esbuild run over the three handlers: tree-shaken, minified ESM, with code splitting so each
 * function's cold start loads only its own static imports; what a handler imports lazily (the
 * engine, the sources, the sandbox-free AWS clients for the worker) sits in chunks it loads on
 * first use. The three functions share one code folder (the stack points each at `<name>.handler`).
 */
// Bolt's index loads every receiver; on Lambda only AwsLambdaReceiver runs. The Socket Mode client
// (undici, ws) and Express (body-parser, iconv-lite) are most of Bolt's weight, so they are replaced
// by a stand-in that fails loudly if anything ever constructs or calls it. The YAML parser goes
// too: on Lambda settings come from the environment (a config file there would have to be JSON),
// and scenarios (the sandbox) are never loaded.
const UNUSED_ON_LAMBDA = /^(express|@slack\/socket-mode|raw-body|yaml)$/;
const stubUnusedReceivers: Plugin = {
  name: 'firebreak-stub-unused-receivers',
  setup(b) {
    b.onResolve({ filter: UNUSED_ON_LAMBDA }, (args) => ({ path: args.path, namespace: 'firebreak-unused' }));
    b.onLoad({ filter: /.*/, namespace: 'firebreak-unused' }, (args) => ({
      contents: `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is not in the Lambda bundle`)}); };
const stub = new Proxy(function unused() {}, { get: (_t, key) => (key === '__esModule' ? false : stub), apply: fail, construct: fail });
module.exports = stub;`,
      loader: 'js',
    }));
  },
};

export async function buildLambda(options: { entries?: Record<string, string>; outdir?: string; cwd?: string } = {}): Promise<LambdaBuild> {
  const cwd = options.cwd ?? repoRoot;
  const outdir = resolve(cwd, options.outdir ?? 'dist/lambda');
  const mapsDir = `${outdir}-sourcemaps`;
  const entries = options.entries ?? LAMBDA_ENTRIES;
  rmSync(outdir, { recursive: true, force: true });
  rmSync(mapsDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, source]) => [name, resolve(cwd, source)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    minify: true,
    treeShaking: true,
    metafile: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    // Prefer the ESM builds of dependencies (the AWS SDK's dist-es), which esbuild can tree-shake.
    mainFields: ['module', 'main'],
    // Maps without the sources' text, and outside the code folder: small, and not uploaded.
    sourcemap: 'external',
    sourcesContent: false,
    legalComments: 'none',
    // CommonJS dependencies call require(); an ESM bundle has to provide it.
    banner: { js: "import { createRequire as firebreakCreateRequire } from 'node:module'; const require = firebreakCreateRequire(import.meta.url);" },
    plugins: [stubEmbeddedDynamo, stubUnusedReceivers],
    // A native renderer cannot be bundled; the weekly chart imports it lazily and falls back to
    // text bars when it is absent, which is what the Lambda gets.
    external: ['@resvg/resvg-js'],
    logLevel: 'warning',
  });
  moveMaps(outdir, mapsDir);
  return { outdir, mapsDir, sizes: functionSizes(result.metafile, cwd), metafile: result.metafile };
}

function moveMaps(dir: string, mapsDir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.map')) continue;
    const from = join(entry.parentPath, entry.name);
    const to = join(mapsDir, relative(dir, from));
    mkdirSync(resolve(to, '..'), { recursive: true });
    renameSync(from, to);
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outdir, mapsDir, sizes } = await buildLambda({ ...(process.argv[2] ? { outdir: process.argv[2] } : {}) });
  for (const size of sizes) console.log(`${size.name.padEnd(9)} ${kb(size.startBytes).padStart(8)} loaded at cold start, ${kb(size.reachableBytes).padStart(8)} with lazy imports`);
  console.log(`Lambda code written to ${relative(process.cwd(), outdir)} (source maps in ${relative(process.cwd(), mapsDir)}); deploy with FIREBREAK_LAMBDA_CODE=${process.argv[2] ?? 'dist/lambda'}`);
}
