import { evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';
import { accessRefs, contextValue, countRecords, ERROR_MESSAGE, httpRoutes } from './access.js';

/**
 * H16: browsers' CORS preflight (OPTIONS, sent without credentials) lands on a route that needs
 * authorization: a `$default` or `ANY …` route catches OPTIONS when no `OPTIONS` route exists, so
 * the preflight gets 401/403 and the browser reports "Response to preflight request doesn't pass
 * access control check" (DG http-api-cors: configured CORS answers preflight only when no route
 * takes the OPTIONS request).
 */
export const h16CorsPreflightAuthorized = defineRule({
  id: 'H16.cors-preflight-authorized',
  severity: 'high',
  title: 'CORS preflight requests hit an authorizer and are refused',
  evaluate(input) {
    const routes = httpRoutes(input);
    const open = (r: (typeof routes)[number]) => !r.authorizationType || r.authorizationType === 'NONE';
    const optionsRoutes = routes.filter((r) => r.routeKey.startsWith('OPTIONS '));
    if (optionsRoutes.some((r) => open(r) && /\{proxy\+\}/.test(r.routeKey))) return [];
    const catching = routes.filter((r) => !open(r) && (r.routeKey === '$default' || r.routeKey.startsWith('ANY ') || r.routeKey.startsWith('OPTIONS ')));
    if (catching.length === 0) return [];
    const keys = new Set(catching.map((r) => r.routeKey));
    // A refused preflight is decisive: browsers send it before every cross-origin call.
    const { count, matches } = countRecords(input, { what: 'OPTIONS preflights refused (401/403)', family: 'decisive' }, (r) => r.httpMethod === 'OPTIONS' && (r.status === 401 || r.status === 403) && keys.has(contextValue(r, 'routeKey') ?? ''));
    const refused = count.passes ? matches : [];
    const cors = evidenceOf(input, 'apigwv2.api')?.cors;
    // Without logged refusals, only an API meant for browsers (CORS configured) is at risk.
    if (!refused.length && !cors) return [];
    const list = catching.map((r) => `${r.routeKey} (${r.authorizationType})`).join(', ');
    return [
      finding(this, {
        ...(refused.length ? { severity: count.severity(this.severity), figures: count.figures } : { severity: 'medium' as const }),
        detail: `${refused.length ? `${count.text()} ` : ''}Route(s) ${list} need authorization and catch OPTIONS requests (no unauthenticated OPTIONS route)${cors ? '; the API\u2019s CORS configuration answers preflight only for requests no route takes' : ''}. Browsers send preflight without the Authorization header, so cross-origin calls fail before the real request.`,
        evidence: [...accessRefs(refused, 'were refused preflights', ERROR_MESSAGE), { source: 'apigwv2.routes', quote: list }],
        fix: `Add an OPTIONS /{proxy+} route with authorization NONE (aws apigatewayv2 create-route --api-id ${input.target.restApiId} --route-key 'OPTIONS /{proxy+}'), with CORS configured on the API so API Gateway answers it; or use method-specific routes instead of ANY/$default.`,
      }),
    ];
  },
});
