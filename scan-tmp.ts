import { FilterLogEventsCommand, StartQueryCommand, GetQueryResultsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { loadScenario } from './src/sandbox/load.js';
import { buildLogStores, scanGroup } from './src/sandbox/log-store.js';
const s = await loadScenario('multi-timeout-and-throttling');
const k = Number(process.argv[2] ?? 100);
for (const t of s.traffic) t.requests *= k;
const stores = buildLogStores(s);
const store = stores.get('111111111111')!;
for (const [name, g] of store) {
  const t0 = performance.now(); const c0 = process.cpuUsage(); let n = 0;
  for (const slice of scanGroup(g, Date.parse('2024-05-01T10:00:00Z'), Date.parse('2024-05-01T12:00:00Z'))) n += slice.length;
  console.log(name, n, (performance.now()-t0).toFixed(0), "ms wall", (process.cpuUsage(c0).user/1000).toFixed(0), "ms cpu", (process.memoryUsage().rss/1e6).toFixed(0),'MB');
}
