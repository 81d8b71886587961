import { writeFileSync } from 'node:fs';
import { loadScenario } from './src/sandbox/load.js';
import { scaleTraffic } from './src/sandbox/scale.js';
const s = await loadScenario('multi-timeout-and-throttling');
const f = Number(process.argv[2]);
const scaled = scaleTraffic(s, f);
writeFileSync(process.argv[3]!, JSON.stringify({ ...scaled, name: 'scaled', now: s.now.toISOString() }, (k, v) => v));
