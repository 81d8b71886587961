import { evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';
import { httpRoutes } from './access.js';

const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];
const SIMPLE_HEADERS = new Set(['accept', 'accept-language', 'content-language', 'content-type']);

/** Header names of identity sources like `$request.header.Authorization`. */
function identityHeaders(sources: readonly string[]): string[] {
  return sources.map((s) => /^\$request\.header\.(.+)$/i.exec(s)?.[1]?.toLowerCase()).filter((h): h is string => Boolean(h));
}

/**
 * H17: the API's CORS configuration refuses what the browser asks in preflight. API Gateway
 * answers preflight itself from `CorsConfiguration` and ignores the integration's CORS headers
 * (DG http-api-cors): a route method missing from AllowMethods (other than the safelisted GET, HEAD, POST), an authorization header missing
 * from AllowHeaders, no AllowOrigins, or credentials with a `*` origin all fail in the browser.
 */
export const h17CorsConfigMismatch = defineRule({
  id: 'H17.cors-config-mismatch',
  severity: 'medium',
  title: 'The CORS configuration refuses what browsers ask for',
  evaluate(input) {
    const cors = evidenceOf(input, 'apigwv2.api')?.cors;
    if (!cors) return [];
    const problems: string[] = [];
    const methods = cors.allowMethods.map((m) => m.toUpperCase());
    if (!methods.includes('*')) {
      // GET, HEAD and POST are CORS-safelisted: a preflight never needs them listed.
      const used = [...new Set(httpRoutes(input).map((r) => r.routeKey.split(' ')[0] ?? '').filter((m) => m && !['ANY', 'OPTIONS', '$default', ...SAFELISTED_METHODS].includes(m)))];
      const missing = used.filter((m) => !methods.includes(m));
      if (missing.length) problems.push(`routes use ${missing.join(', ')}, which AllowMethods (${methods.join(', ') || 'none'}) does not list`);
    }
    const headers = cors.allowHeaders.map((h) => h.toLowerCase());
    if (!headers.includes('*')) {
      const auth = (evidenceOf(input, 'apigwv2.authorizers') ?? []).flatMap((a) => identityHeaders(a.identitySource));
      const missing = [...new Set(auth)].filter((h) => !SIMPLE_HEADERS.has(h) && !headers.includes(h));
      if (missing.length) problems.push(`the authorizers read header(s) ${missing.join(', ')}, which AllowHeaders (${cors.allowHeaders.join(', ') || 'none'}) does not list, so browsers may not send them`);
    }
    if (cors.allowOrigins.length === 0) problems.push('AllowOrigins is empty: no browser origin is allowed');
    if (cors.allowCredentials && cors.allowOrigins.includes('*')) problems.push('AllowCredentials is true with AllowOrigins "*": browsers refuse credentialed responses for a wildcard origin');
    if (!problems.length) return [];
    return [
      finding(this, {
        ...(cors.allowOrigins.length === 0 ? { severity: 'high' as const } : {}),
        detail: `CORS configuration of HTTP API ${input.target.restApiId}: ${problems.join('; ')}. API Gateway answers preflight from this configuration and ignores the CORS headers the backend returns.`,
        evidence: [{ source: 'apigwv2.api', key: 'CorsConfiguration', quote: `AllowOrigins ${cors.allowOrigins.join(', ') || '(none)'}; AllowMethods ${cors.allowMethods.join(', ') || '(none)'}; AllowHeaders ${cors.allowHeaders.join(', ') || '(none)'}${cors.allowCredentials ? '; AllowCredentials true' : ''}` }],
        fix: `aws apigatewayv2 update-api --api-id ${input.target.restApiId} --cors-configuration AllowOrigins=<origin>,AllowMethods=<methods>,AllowHeaders=authorization,content-type (list every method and request header the browser sends).`,
      }),
    ];
  },
});
