import type { AccessLogRecord } from '../../core/evidence.js';
import { routePrefixes, scannerNote, splitScanners } from '../counting/scanners.js';
import { coverageRow, evidenceOf, finding, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';
import { accessLogs, accessRefs, contextValue, countRecords, httpRoutes, topValues } from './access.js';

/**
 * H1: the request matches no stage or no route: HTTP APIs answer 404 `{"message":"Not Found"}`
 * (REST would say 403 Missing Authentication Token). Stage first (exact name, else `$default`),
 * then route: exact, then greedy `{proxy+}`, then the `$default` route (DG http-api-develop-routes).
 */
export const h1NoMatchingRoute = defineRule({
  id: 'H1.no-matching-route',
  severity: 'high',
  title: 'Requests match no stage or route: 404 Not Found',
  evaluate(input) {
    const stagesRow = coverageRow(input, 'apigwv2.stages');
    if (stagesRow?.status === 'error' && stagesRow.error?.kind === 'not_found' && input.target.stage) {
      return [
        finding(this, {
          detail: `${stagesRow.reason ?? `stage ${input.target.stage} does not exist`}. A request for a stage that does not exist goes to the $default stage when there is one (with the stage name left in the path), otherwise it gets 404 Not Found.`,
          evidence: [{ source: 'apigwv2.stages', key: input.target.stage, quote: stagesRow.reason ?? `stage ${input.target.stage} not found` }],
          fix: `Call an existing stage, or create stage ${input.target.stage} (aws apigatewayv2 create-stage --api-id ${input.target.restApiId} --stage-name ${input.target.stage} --auto-deploy).`,
        }),
      ];
    }
    if (stagesRow?.status === 'empty') {
      return [
        finding(this, {
          severity: 'critical',
          detail: `HTTP API ${input.target.restApiId} has no stage, so no request can be routed: every call gets 404 Not Found.`,
          evidence: [{ source: 'apigwv2.stages', quote: stagesRow.reason ?? 'no stages' }],
          fix: `Create the $default stage with automatic deployment: aws apigatewayv2 create-stage --api-id ${input.target.restApiId} --stage-name '$default' --auto-deploy.`,
        }),
      ];
    }
    const blocked = requireSources(input, this, ['apigwv2.routes'], 'requests matching no route (404)');
    if (blocked) return blocked;
    const routes = httpRoutes(input);
    if (routes.length === 0) {
      return [
        finding(this, {
          severity: 'critical',
          detail: `HTTP API ${input.target.restApiId} has no routes: every request gets 404 Not Found.`,
          evidence: [{ source: 'apigwv2.routes', quote: 'no routes' }],
          fix: 'Add the routes the clients call (or a $default route that catches everything).',
        }),
      ];
    }
    // A 404 no route matched carries no route key; a backend's own 404 has one and an integration status.
    const noRoute = (r: AccessLogRecord) => r.status === 404 && contextValue(r, 'routeKey') === undefined && contextValue(r, 'integration.status', 'integrationStatus') === undefined;
    // Scanners probe every public endpoint for /.env, /.git/config, /wp-login.php…: noise, unless real clients fail too.
    const stageNames = (evidenceOf(input, 'apigwv2.stages') ?? []).map((s) => s.stageName);
    const split = splitScanners(accessLogs(input).flatMap((l) => l.records.filter(noRoute)), routePrefixes(routes.map((r) => r.routeKey.split(' ')[1] ?? ''), stageNames));
    const noise = new Set(split.noise);
    const { count, matches: unmatched } = countRecords(input, { what: '404 with no matching route', family: 'client' }, (r) => noRoute(r) && !noise.has(r));
    if (!count.passes) {
      const note = scannerNote(this.id, 'Requests matching no route', split, 'logs.access');
      return note ? [note] : [];
    }
    const records = unmatched.flatMap((m) => m.records);
    // Most requested first; the counts are the figures'.
    const paths = topValues(records, ['path', 'resourcePath']).map((p) => p.value);
    const methods = topValues(records, ['httpMethod']).map((p) => p.value);
    const hasDefault = routes.some((r) => r.routeKey === '$default');
    // A request that fits a route the API has was routed by an older deployment: not a missing route.
    const stageSet = new Set(stageNames);
    const existing = topValues(records, ['path'], 10).flatMap((p) => {
      const example = records.find((r) => contextValue(r, 'path') === p.value);
      const method = example ? contextValue(example, 'httpMethod') : undefined;
      const path = p.value.replace(/^\/([^/]+)(?=\/)/, (whole: string, first: string) => (stageSet.has(first) ? '' : whole));
      const route = routes.find((r) => r.routeKey === `${method} ${path}` || r.routeKey === `ANY ${path}`);
      return route ? [route.routeKey] : [];
    });
    const inApi = existing.length > 0 ? ` Route(s) ${[...new Set(existing)].join(', ')} exist in the API but not in what the stage serves: the stage's deployment predates them (see H3).` : '';
    return [
      finding(this, {
        severity: inApi ? 'medium' : count.severity(this.severity),
        figures: count.figures,
        detail: `${count.text()}${paths.length ? ` Most requested: ${paths.join(', ')}` : ''}${methods.length ? ` (${methods.join(', ')})` : ''}${split.noise.length ? `; ${split.noise.length} scanner probe(s) of paths no API serves left out` : ''}. The API's routes: ${routes.map((r) => r.routeKey).slice(0, 12).join(', ')}${hasDefault ? '' : '; there is no $default route'}.${inApi}`,
        evidence: [...accessRefs(unmatched, 'got 404 Not Found without a route', ['path']), { source: 'apigwv2.routes', quote: routes.map((r) => r.routeKey).slice(0, 12).join(', ') }],
        fix: 'Add a route for the method and path the clients call (a path parameter or {proxy+} covers many), or fix the clients\u2019 path; with a named stage the stage is the first path segment.',
      }),
    ];
  },
});
