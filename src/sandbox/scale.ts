import type { Scenario } from './scenario.js';

/** The most requests one traffic spec may declare (the scenario schema's bound). */
const MAX_REQUESTS_PER_SPEC = 1_000_000;

/**
 * The same scenario with its traffic multiplied by `factor`: every spec's requests scaled, the
 * same routes, outcomes and mix, so the findings must not change with the volume. A spec that
 * would pass the schema's bound is split into several with their own seeds.
 */
export function scaleTraffic(scenario: Scenario, factor: number): Scenario {
  const traffic = scenario.traffic.flatMap((spec) => {
    let requests = Math.max(0, Math.round(spec.requests * factor));
    const parts: Scenario['traffic'] = [];
    let seed = spec.seed;
    while (requests > 0) {
      const share = Math.min(requests, MAX_REQUESTS_PER_SPEC);
      parts.push({ ...spec, requests: share, seed });
      requests -= share;
      seed += 7_919;
    }
    return parts;
  });
  return { ...scenario, name: `${scenario.name}×${factor}`, traffic };
}
