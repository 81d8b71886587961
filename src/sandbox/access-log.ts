/**
 * Access log lines in the stage's own `accessLogSettings.format`: every `$context.x` variable is
 * replaced by the request's value, `-` when the request has none (as API Gateway writes it).
 * Longest names first, so `$context.integration.status` is not read as `$context.integration`.
 */
export type AccessLogValues = Readonly<Record<string, string | number | undefined>>;

const VARIABLE = /\$context\.[A-Za-z0-9_.]*[A-Za-z0-9_]/g;

export function compileAccessLogFormat(format: string): (values: AccessLogValues) => string {
  const parts = format.split(VARIABLE);
  const names = [...format.matchAll(VARIABLE)].map((m) => m[0].slice('$context.'.length));
  return (values) => {
    let line = parts[0] ?? '';
    for (let i = 0; i < names.length; i++) {
      const value = values[names[i] as string];
      line += (value === undefined || value === '' ? '-' : String(value)) + (parts[i + 1] ?? '');
    }
    return line;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime`: CLF-style, e.g. `01/May/2024:11:59:59 +0000`. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** The console's presets (set-up-logging.md), for scenarios that name one instead of writing it. */
export const ACCESS_LOG_PRESETS = {
  CLF: '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId $context.extendedRequestId',
  JSON: '{ "requestId":"$context.requestId", "extendedRequestId":"$context.extendedRequestId", "ip": "$context.identity.sourceIp", "caller":"$context.identity.caller", "user":"$context.identity.user", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod", "resourcePath":"$context.resourcePath", "status":"$context.status", "protocol":"$context.protocol", "responseLength":"$context.responseLength" }',
} as const;

/**
 * The HTTP API console's presets (DG http-api-logging): they log `routeKey` where REST logs
 * `resourcePath`, and none of them carries an error field.
 */
export const HTTP_ACCESS_LOG_PRESETS = {
  HTTP_CLF: '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" $context.status $context.responseLength $context.requestId',
  HTTP_JSON: '{ "requestId":"$context.requestId", "ip": "$context.identity.sourceIp", "requestTime":"$context.requestTime", "httpMethod":"$context.httpMethod","routeKey":"$context.routeKey", "status":"$context.status","protocol":"$context.protocol", "responseLength":"$context.responseLength" }',
} as const;
