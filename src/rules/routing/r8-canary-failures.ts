import { finding, plural, stagesInScope } from '../helpers.js';
import { observedRoutes } from '../routes.js';
import { defineRule } from '../types.js';

/**
 * R8: a canary deployment on the stage (`canarySettings.percentTraffic` with its own deployment)
 * breaks the share of traffic sent to it: intermittent failures at about that share. Decisive when
 * the access log carries `$context.isCanaryRequest`; otherwise the error share is compared with
 * the canary share.
 */
export const r8CanaryFailures = defineRule({
  id: 'R8.canary-failures',
  severity: 'high',
  title: 'The stage\'s canary deployment fails its share of requests',
  evaluate(input) {
    const findings = [];
    for (const stage of stagesInScope(input)) {
      const percent = stage.canary?.percentTraffic ?? 0;
      if (percent <= 0 || !stage.canary?.deploymentId || stage.canary.deploymentId === stage.deploymentId) continue;
      const routes = observedRoutes(input).filter((r) => r.stage === stage.stageName);
      const requests = routes.reduce((n, r) => n + r.requests, 0);
      // Server errors only: a share of 4xx is normal client behaviour, not a broken deployment.
      const errors = routes.reduce((n, r) => n + r.serverErrors, 0);
      const canaryRequests = routes.reduce((n, r) => n + r.canaryRequests, 0);
      const canaryErrors = routes.reduce((n, r) => n + r.canaryErrors, 0);
      const baseErrors = errors - canaryErrors;
      const baseRequests = requests - canaryRequests;
      let why: string | undefined;
      if (canaryRequests > 0) {
        const canaryRate = canaryErrors / canaryRequests;
        const baseRate = baseRequests > 0 ? baseErrors / baseRequests : 0;
        if (canaryErrors >= 3 && canaryRate >= 0.2 && canaryRate > 3 * baseRate) {
          why = `${canaryErrors} of ${plural(canaryRequests, 'canary request')} failed (${Math.round(canaryRate * 100)}%) against ${baseErrors} of ${baseRequests} on the base deployment`;
        }
      } else {
        // The stage as a whole, or one route the canary's deployment changed.
        const near = (failed: number, total: number) => total >= 20 && failed >= 3 && (failed / total) * 100 >= percent * 0.5 && (failed / total) * 100 <= percent * 1.5 + 2;
        const route = routes.find((r) => near(r.serverErrors, r.requests));
        if (near(errors, requests)) {
          why = `${errors} of ${plural(requests, 'request')} failed with 5xx (${((errors / requests) * 100).toFixed(1)}%), about the canary's ${percent}% share`;
        } else if (route) {
          why = `${route.serverErrors} of ${plural(route.requests, 'request')} to ${route.method} ${route.path} failed with 5xx (${((route.serverErrors / route.requests) * 100).toFixed(1)}%), about the canary's ${percent}% share`;
        }
      }
      const note = `stage ${stage.stageName} sends ${percent}% of requests to deployment ${stage.canary.deploymentId} (base ${stage.deploymentId ?? '-'})`;
      if (!why) continue;
      findings.push(
        finding(this, {
          detail: `${why}: ${note}. The canary deployment is what fails.`,
          evidence: [
            { source: 'apigw.stages', key: stage.stageName, quote: `canarySettings.percentTraffic ${percent}, deploymentId ${stage.canary.deploymentId}` },
            { source: 'logs.access', key: stage.stageName, quote: why },
          ],
          fix: `Set canarySettings.percentTraffic to 0 on ${stage.stageName} (or delete the canary) to stop the failures, then fix deployment ${stage.canary.deploymentId} before promoting it.`,
        }),
      );
    }
    return findings;
  },
});
