#!/usr/bin/env node
// Compiles src/ to plain JavaScript in dist/ (one file per module, same layout), so the `firebreak`
// bin, `npm start` and the demo run with plain `node`, without a TypeScript loader. esbuild only
// strips types (fast: well under a second); `npm run typecheck` is what checks them.
// Data files (built-in scenarios, the preview page) are copied next to the modules that read them.
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const src = join(root, 'src');
const out = join(root, 'dist');

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(src);
const modules = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
const assets = files.filter((f) => !f.endsWith('.ts'));

// Only the folders this build writes are replaced; dist/lambda (npm run build:lambda) stays.
for (const name of readdirSync(src)) rmSync(join(out, name.replace(/\.ts$/, '.js')), { recursive: true, force: true });
await build({
  entryPoints: modules,
  outdir: out,
  outbase: src,
  bundle: false,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
for (const file of assets) cpSync(file, join(out, relative(src, file)));
if (!process.argv.includes('--quiet')) console.log(`compiled ${modules.length} modules and ${assets.length} data files to ${relative(process.cwd(), out) || '.'}`);
