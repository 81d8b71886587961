import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { check, checkSync } from 'recheck';
function walk(d: string): string[] { return readdirSync(d).flatMap((f) => { const p = join(d, f); return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : []; }); }
const pats: { file: string; source: string; flags: string }[] = [];
for (const file of walk('src')) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => { if (ts.isRegularExpressionLiteral(node)) { const l = node.text; const c = l.lastIndexOf('/'); pats.push({ file, source: l.slice(1, c), flags: l.slice(c + 1) }); } ts.forEachChild(node, visit); };
  visit(sf);
}
const mode = process.argv[2];
const t0 = Date.now();
const bad: string[] = [];
if (mode === 'async') {
  let i = 0;
  const times: [number, string][] = [];
  process.on('exit', () => { times.sort((a, b) => b[0] - a[0]); console.log(times.slice(0, 30).map(([t, s]) => `${t}ms ${s.slice(0, 150)}`).join('\n')); console.log('total', times.reduce((a, b) => a + b[0], 0)); });
  const worker = async () => { while (i < pats.length) { const p = pats[i++]!; const t = Date.now(); const r = await check(p.source, p.flags.replace(/[gy]/g, ''), { timeout: 60000, randomSeed: 1 }); times.push([Date.now() - t, `${p.file.slice(4)}: /${p.source}/`]); if (r.status !== 'safe') bad.push(`${p.file}: /${p.source}/ ${r.status} ${JSON.stringify((r as any).complexity ?? (r as any).error)}`); } };
  await Promise.all([worker()]);
} else {
  for (const p of pats) { const r = checkSync(p.source, p.flags.replace(/[gy]/g, ''), { timeout: 60000, randomSeed: 1 }); if (r.status !== 'safe') bad.push(`${p.file}: /${p.source}/ ${r.status} ${JSON.stringify((r as any).complexity ?? (r as any).error)}`); }
}
console.log(mode, pats.length, 'patterns', Date.now() - t0, 'ms'); console.log(bad.join('\n'));
