import { clip, evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';
import { accessRefs, contextValue, countRecords, INTEGRATION_ERROR } from './access.js';
import { lambdaIntegrations, routeKeysOf } from './integrations.js';

/** Code written for payload 1.0 reading a 2.0 event fails on the 1.0-only fields, and the reverse. */
export const V1_FIELDS = /\b(httpMethod|multiValueHeaders|multiValueQueryStringParameters|resourcePath)\b|requestContext\.identity/;
export const V2_FIELDS = /\b(rawPath|rawQueryString)\b|requestContext\.http\b|KeyError: 'http'|reading 'method'|reading 'http'/;
const MALFORMED = /doesn't match the format|does not match the format|Malformed Lambda proxy response|wrong type for field/i;

/** The failing-line pattern that means "this function expects the other payload format". */
export function mismatchPattern(payloadFormatVersion: string | undefined): RegExp {
  return payloadFormatVersion === '1.0' ? V2_FIELDS : V1_FIELDS;
}

/**
 * H19: the function and the integration disagree on the payload format version. Code written for
 * 1.0 (`httpMethod`, `path`, `multiValueHeaders`) receives 2.0 (`requestContext.http.method`,
 * `rawPath`, `cookies`) or the reverse, throws, and callers get 500; with 1.0 a response without
 * `statusCode` is malformed (DG http-api-develop-integrations-lambda).
 */
export const h19PayloadFormatMismatch = defineRule({
  id: 'H19.payload-format-mismatch',
  severity: 'high',
  title: 'The Lambda function expects the other payload format version',
  evaluate(input) {
    const logs = evidenceOf(input, 'logs.lambda') ?? [];
    const changes = (evidenceOf(input, 'cloudtrail.changes') ?? []).filter(
      (e) => !e.errorCode && ['UpdateIntegration', 'CreateIntegration'].includes(e.eventName) && e.requestParameters?.apiId === input.target.restApiId && 'payloadFormatVersion' in (e.requestParameters ?? {}),
    );
    return lambdaIntegrations(input).flatMap((item) => {
      const version = item.integration.payloadFormatVersion ?? '?';
      const pattern = mismatchPattern(item.integration.payloadFormatVersion);
      const lines = item.fn ? logs.filter((l) => l.functionName === item.fn?.functionName).flatMap((l) => l.lines.filter((line) => pattern.test(line.message))) : [];
      const keys = routeKeysOf([item]);
      const malformedCount = countRecords(input, { what: 'Responses that do not match the payload format (5xx)', family: 'server' }, (r) => (r.status ?? 0) >= 500 && keys.has(contextValue(r, 'routeKey') ?? '') && MALFORMED.test(contextValue(r, ...INTEGRATION_ERROR) ?? ''));
      const malformed = malformedCount.count.passes ? malformedCount.matches : [];
      const change = changes.find((e) => JSON.stringify(e.requestParameters ?? {}).includes(item.integration.integrationId));
      // The version was switched, and the function has failed since: the switch is the likely cause.
      const since = change ? Date.parse(change.eventTime) : undefined;
      // Counted over the whole window: the onset says whether they began with the switch.
      const failing = since === undefined ? undefined : countRecords(input, { what: `5xx on the integration\u2019s routes`, family: 'server' }, (r) => (r.status ?? 0) >= 500 && keys.has(contextValue(r, 'routeKey') ?? ''));
      const failuresSince = failing?.count.passes ? failing.matches : [];
      const errorsSince = since === undefined || !item.fn ? 0 : logs.filter((l) => l.functionName === item.fn?.functionName).flatMap((l) => l.lines.filter((line) => line.timestamp >= since)).length;
      const switched = change !== undefined && (failuresSince.length > 0 || errorsSince >= 3);
      if (lines.length < 1 && !malformed.length && !switched) return [];
      const other = version === '1.0' ? '2.0' : '1.0';
      const name = item.fn?.functionName ?? item.integration.lambdaArn ?? '?';
      return [
        finding(this, {
          detail: [
            `Integration ${item.integration.integrationId} (routes ${item.routes.map((r) => r.routeKey).join(', ') || 'none'}) sends payload format ${version} to ${name}`,
            lines.length ? `, whose errors read fields that exist only in ${other} (${lines.length} line(s), e.g. "${clip(lines[0]?.message ?? '', 160)}")` : '',
            '. Callers get 500 Internal Server Error.',
            malformed.length ? ` ${malformedCount.count.text()}` : '',
            malformed.length
              ? ''
              : failing?.count.passes
                ? ` ${switched ? `Failing since the integration was switched to ${version}: ` : ''}${failing.count.text()}`
                : switched && !lines.length
                  ? ` Failing since the integration was switched to ${version}: ${errorsSince} error line(s) in the function\u2019s log.`
                  : '',
            change ? ` The integration was changed by ${change.eventName} at ${change.eventTime}${change.username ? ` by ${change.username}` : ''}.` : '',
          ].join(''),
          ...(malformed.length ? { figures: malformedCount.count.figures } : failing?.count.passes ? { figures: failing.count.figures } : {}),
          evidence: [
            { source: 'apigwv2.routes', key: item.integration.integrationId, quote: `${item.integration.integrationId}: ${item.integration.integrationType} PayloadFormatVersion ${version}` },
            ...(lines.length ? [{ source: 'logs.lambda', key: name, quote: clip(`${lines.length} × ${lines[0]?.message ?? ''}`) }] : []),
            ...accessRefs(malformed, 'got a malformed Lambda response', INTEGRATION_ERROR),
            ...(switched && !malformed.length ? accessRefs(failuresSince, 'failed since the switch') : []),
            ...(change ? [{ source: 'cloudtrail.changes', key: change.eventId, quote: `${change.eventTime} ${change.eventName}` }] : []),
          ],
          fix: `Make the two agree: aws apigatewayv2 update-integration --api-id ${input.target.restApiId} --integration-id ${item.integration.integrationId} --payload-format-version ${other} (the format the code was written for), or update the function to read the ${version} event${version === '1.0' ? ' and return {statusCode, headers, body}' : ''}.`,
        }),
      ];
    });
  },
});
