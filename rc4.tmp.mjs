import { check } from 'recheck';
const pats = process.argv.slice(2);
await Promise.all(pats.map(async (p) => { const t = Date.now(); const r = await check(p, '', { timeout: 120000, randomSeed: 1 }); console.log(Date.now() - t, 'ms', r.status, JSON.stringify(r.complexity ?? ''), p.slice(0, 90)); }));
