import type { CloudTrailEventEvidence, DomainEvidence } from '../core/evidence.js';
import type { Figure, Severity } from '../core/finding.js';
import { accessField } from './execution-log-classifier.js';
import { evidenceOf } from './helpers.js';
import { MAJOR_SHARE, THRESHOLDS } from './counting/thresholds.js';
import type { RuleInput } from './types.js';

/**
 * How much of the traffic used the default `https://<api-id>.execute-api.<region>.amazonaws.com`
 * endpoint before it was disabled (R6 for REST, H4 for HTTP APIs): access-log records split by
 * `$context.domainName`, before the CloudTrail change that set `disableExecuteApiEndpoint` (the
 * whole window when the change is older or unknown: then those are callers still trying it).
 */
export interface DefaultEndpointUse {
  /** The change that disabled the endpoint, when CloudTrail has it. */
  change?: CloudTrailEventEvidence;
  /** Undefined when no record says its domain name (the format lacks `$context.domainName`). */
  figure?: Figure;
  /** Records on the default endpoint after the change (callers still trying it, when logged). */
  after: number;
  /** True when the figure counts the part of the window before the change (it happened inside the window). */
  beforeChange: boolean;
}

const DISABLING_EVENTS = new Set(['UpdateApi', 'UpdateRestApi', 'PutRestApi', 'ImportApi', 'ReimportApi']);
// `"disableExecuteApiEndpoint":true` (v2 requestParameters) or a patch operation on `/disableExecuteApiEndpoint` to "true" (REST).
const DISABLES = /"disableExecuteApiEndpoint"\s*:\s*true|\/disableExecuteApiEndpoint"\s*,\s*"value"\s*:\s*"true"/i;

/** The latest CloudTrail change that disabled the default endpoint of this API. */
export function disablingChange(input: RuleInput): CloudTrailEventEvidence | undefined {
  const api = input.target.restApiId;
  return (evidenceOf(input, 'cloudtrail.changes') ?? [])
    .filter((e) => DISABLING_EVENTS.has(e.eventName) && Date.parse(e.eventTime) <= input.window.until.getTime())
    .filter((e) => {
      const text = JSON.stringify(e.requestParameters ?? {});
      return text.includes(api) && DISABLES.test(text);
    })
    .sort((a, b) => b.eventTime.localeCompare(a.eventTime))[0];
}

export function defaultEndpointHost(input: RuleInput): string {
  return `${input.target.restApiId}.execute-api.${input.target.region}.amazonaws.com`;
}

export function defaultEndpointUse(input: RuleInput): DefaultEndpointUse {
  const change = disablingChange(input);
  const since = input.window.since.getTime();
  const changedAt = change ? Date.parse(change.eventTime) : undefined;
  // Before the change when it happened in the window; otherwise the window (callers still trying it).
  const beforeChange = changedAt !== undefined && changedAt > since;
  const until = beforeChange ? changedAt : input.window.until.getTime();
  const host = defaultEndpointHost(input).toLowerCase();
  const logs = (evidenceOf(input, 'logs.access') ?? []).filter((l) => !input.target.stage || l.stage === input.target.stage);
  let known = 0;
  let onDefault = 0;
  let after = 0;
  for (const log of logs) {
    for (const record of log.records) {
      const domain = accessField(record, 'domainName')?.toLowerCase();
      if (!domain) continue;
      if (record.timestamp >= until) {
        if (domain === host && beforeChange) after += 1;
        continue;
      }
      known += 1;
      if (domain === host) onDefault += 1;
    }
  }
  const base = { ...(change ? { change } : {}), after, beforeChange };
  if (known === 0) return base;
  // The records kept may start after the window does (a capped read): the figure says its period.
  const from = Math.max(since, ...logs.map((l) => (l.period ? Date.parse(l.period.from) : since)));
  const figure: Figure = {
    what: beforeChange ? 'requests to the default execute-api endpoint before it was disabled' : 'requests to the default execute-api endpoint',
    numerator: onDefault,
    denominator: known,
    unit: 'requests',
    share: onDefault / known,
    scope: input.target.stage ? { kind: 'stage', name: input.target.stage } : { kind: 'api', name: input.target.restApiId },
    from: new Date(from).toISOString(),
    until: new Date(until).toISOString(),
    exact: from <= since,
    basis: 'logs',
  };
  return { ...base, figure };
}

/**
 * The severity of a disabled default endpoint while a custom domain still serves the API: by the
 * share of traffic that used the default endpoint (rule thresholds of docs/rules.md: at least a
 * quarter keeps `base`, past the floor and share one step lower, below it low); info only when
 * the logs show nobody used it; low when they cannot tell.
 */
export function severityOfUse(base: Severity, use: DefaultEndpointUse): Severity {
  const figure = use.figure;
  if (!figure) return 'low';
  if (figure.numerator === 0) return 'info';
  const share = figure.share ?? 0;
  if (share >= MAJOR_SHARE) return base;
  if (figure.numerator >= THRESHOLDS.server.floor && share >= THRESHOLDS.server.minShare) return base === 'critical' ? 'high' : 'medium';
  return 'low';
}

/** Words for the share: "200 of 600 requests (33.3%) between 10:00 and 11:00 UTC used https://…, before it was disabled at 11:00 UTC by …". */
export function describeUse(input: RuleInput, use: DefaultEndpointUse, domains: DomainEvidence[]): string {
  const host = `https://${defaultEndpointHost(input)}`;
  const hhmm = (iso: string) => `${iso.slice(11, 16)} UTC`;
  const when = use.change ? `${hhmm(use.change.eventTime)}${use.change.username ? ` by ${use.change.username}` : ''} (CloudTrail ${use.change.eventName})` : undefined;
  const figure = use.figure;
  if (!figure) {
    return `Whether clients still used ${host} cannot be told: the access log format lacks $context.domainName${when ? `; it was disabled at ${when}` : ''}.`;
  }
  const pct = ((figure.share ?? 0) * 100).toFixed(1).replace(/\.0$/, '');
  const counted = `${figure.numerator} of ${figure.denominator} requests (${pct}%) between ${figure.from.slice(11, 16)} and ${hhmm(figure.until)} used ${host}`;
  const base = use.beforeChange ? `${counted}, before it was disabled at ${when}` : `${counted}${when ? ` (it was disabled earlier, at ${use.change?.eventTime.slice(0, 10)} ${when})` : ''}`;
  const others = domains.length ? `; the rest came through ${domains.map((d) => d.domainName).join(', ')}` : '';
  const after = use.after ? ` ${use.after} request(s) still reached it after the change.` : '';
  const lost = figure.numerator > 0 ? ' Those clients get an error from the default URL now.' : '';
  return `${base}${others}.${after}${lost}${figure.exact ? '' : ' (Counted over the access records kept, not the whole window.)'}`;
}
