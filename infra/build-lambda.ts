import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

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

export async function buildLambda(options: { entries?: Record<string, string>; outdir?: string; cwd?: string } = {}): Promise<string> {
  const cwd = options.cwd ?? repoRoot;
  const outdir = resolve(cwd, options.outdir ?? 'dist/lambda');
  const entries = options.entries ?? LAMBDA_ENTRIES;
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, source]) => [name, resolve(cwd, source)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    sourcemap: true,
    // CommonJS dependencies call require(); an ESM bundle has to provide it.
    banner: { js: "import { createRequire as firebreakCreateRequire } from 'node:module'; const require = firebreakCreateRequire(import.meta.url);" },
    plugins: [stubEmbeddedDynamo],
    // A native renderer cannot be bundled; the weekly chart imports it lazily and falls back to
    // text bars when it is absent, which is what the Lambda gets.
    external: ['@resvg/resvg-js'],
    logLevel: 'warning',
  });
  return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = await buildLambda({ ...(process.argv[2] ? { outdir: process.argv[2] } : {}) });
  console.log(`Lambda bundle written to ${outdir}; deploy with FIREBREAK_LAMBDA_CODE=${process.argv[2] ?? 'dist/lambda'}`);
}
