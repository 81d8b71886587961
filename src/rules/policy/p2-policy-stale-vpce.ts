import type { EndpointLookupEvidence, PolicyStatement } from '../../core/evidence.js';
import type { Finding } from '../../core/finding.js';
import { callerEndpoints } from '../endpoints.js';
import { accessField } from '../execution-log-classifier.js';
import { evidenceOf, finding, inconclusive, isPrivateApi, requireSources } from '../helpers.js';
import { RECENT_FRACTION, RECENT_MIN_MS } from '../counting/thresholds.js';
import { conditionValues, conditionsMatch, evaluateInvoke } from '../../core/policy.js';
import { defineRule, type RuleInput } from '../types.js';

/**
 * P2: a resource policy naming a VPC endpoint id that no longer exists (typically after the
 * endpoint was recreated). An id is stale only when it was looked up in every account involved
 * and is gone, or CloudTrail shows it deleted; an id that lives in an account firebreak could not
 * read (a consumer account without a role) is unknown, and says so at low severity. How bad a
 * stale id is depends on what it does to the endpoints in use: a Deny whose StringNotEquals list
 * no longer holds the current endpoint refuses it (critical); a stale id next to the current one
 * is clutter (low).
 */

type Status = 'gone' | 'unknown' | 'present';

interface IdFacts {
  status: Status;
  why: string;
}

/** vpce ids whose deletion CloudTrail recorded, in any account read. */
function deletedPerCloudTrail(input: RuleInput): Map<string, string> {
  const deleted = new Map<string, string>();
  for (const event of evidenceOf(input, 'cloudtrail.changes') ?? []) {
    if (!/^DeleteVpcEndpoints?$/.test(event.eventName) || event.errorCode) continue;
    const text = JSON.stringify(event.requestParameters ?? {});
    for (const id of text.match(/vpce-[0-9a-z]+/gi) ?? []) {
      deleted.set(id, `deleted at ${event.eventTime}${event.username ? ` by ${event.username}` : ''}${event.accountId ? ` in account ${event.accountId}` : ''} (CloudTrail ${event.eventName})`);
    }
  }
  return deleted;
}

/**
 * vpce ids that carried successful requests in the last part of the window: they exist, wherever
 * they live (an account firebreak does not know of). Older successes prove nothing about now.
 */
function aliveInAccessLogs(input: RuleInput): Set<string> {
  const until = input.window.until.getTime();
  const recent = until - Math.max(RECENT_MIN_MS, RECENT_FRACTION * (until - input.window.since.getTime()));
  const alive = new Set<string>();
  for (const log of evidenceOf(input, 'logs.access') ?? []) {
    for (const record of log.records) {
      if (record.status === undefined || record.status >= 400 || record.timestamp < recent) continue;
      const id = accessField(record, 'identity.vpceId', 'vpceId', 'sourceVpce');
      if (id) alive.add(id);
    }
  }
  return alive;
}

function factsFor(input: RuleInput): (id: string) => IdFacts {
  const evidence = evidenceOf(input, 'ec2.vpc-endpoints');
  const lookups = new Map<string, EndpointLookupEvidence>((evidence?.lookups ?? []).map((l) => [l.vpcEndpointId, l]));
  const found = new Set((evidence?.endpoints ?? []).filter((e) => !e.missing).map((e) => e.vpcEndpointId));
  const deleted = deletedPerCloudTrail(input);
  const alive = aliveInAccessLogs(input);
  return (id) => {
    if (found.has(id)) return { status: 'present', why: 'found' };
    const removed = deleted.get(id);
    if (removed) return { status: 'gone', why: removed };
    if (alive.has(id)) return { status: 'present', why: 'carries successful requests in the access logs' };
    const lookup = lookups.get(id);
    if (lookup?.status === 'unknown') return { status: 'unknown', why: lookup.reason ?? 'its account could not be read' };
    if (lookup?.status === 'found') return { status: 'present', why: 'found' };
    // Looked up everywhere involved (or evidence from before lookups were recorded): not there.
    return { status: 'gone', why: lookup?.reason ?? 'not found in the account' };
  };
}

export const p2PolicyStaleVpce = defineRule({
  id: 'P2.policy-stale-vpce',
  severity: 'high',
  title: 'The resource policy names a VPC endpoint that no longer exists',
  evaluate(input) {
    const api = evidenceOf(input, 'apigw.rest-api');
    if (!api?.policy || !isPrivateApi(input)) return [];
    const blocked = requireSources(input, this, ['ec2.vpc-endpoints'], 'a stale VPC endpoint id in the resource policy');
    if (blocked) return blocked;
    const facts = factsFor(input);
    const callers = callerEndpoints(input);
    const current = callers.map((e) => e.vpcEndpointId);
    const scope = { region: input.target.region, apiId: api.id, ...(api.accountId ? { accountId: api.accountId } : {}) };
    const policy = api.policy;
    const unknown = new Map<string, string>();
    const findings: Finding[] = policy.Statement.flatMap((statement: PolicyStatement, index) => {
      const ids = conditionValues(statement, 'aws:SourceVpce').filter((id) => !/[*?]/.test(id));
      const stale = ids.filter((id) => facts(id).status === 'gone');
      for (const id of ids) if (facts(id).status === 'unknown') unknown.set(id, facts(id).why);
      if (!stale.length) return [];
      const name = statement.Sid ?? `#${index + 1}`;
      const why = stale.map((id) => `${id} (${facts(id).why})`).join(', ');
      const quote = `${statement.Effect} ${name} aws:SourceVpce ${stale.join(', ')}`;
      const evidence = [{ source: 'apigw.rest-api', key: api.id, quote }];
      const fix = `Replace ${stale.join(', ')} with ${current.join(', ') || 'the current endpoint id'} in the resource policy of ${api.id} (or remove it), then create a deployment.`;
      if (statement.Effect === 'Deny') {
        // Which endpoints in use does this Deny refuse now? With the stale id gone, every endpoint
        // outside its list is refused; those inside it are not.
        const refused = callers.filter((e) => conditionsMatch(statement, { vpceId: e.vpcEndpointId, vpcId: e.vpcId }) === 'yes').map((e) => e.vpcEndpointId);
        if (refused.length || callers.length === 0) {
          return [
            finding(this, {
              severity: 'critical',
              detail: `Deny statement ${name} of ${api.id}'s resource policy names ${why}. ${
                refused.length ? `The endpoint(s) in use, ${refused.join(', ')}, are not in its list, so they are denied "with an explicit deny".` : 'No endpoint in use is in its list, so every call is denied "with an explicit deny".'
              }`,
              evidence,
              fix,
            }),
          ];
        }
        return [
          finding(this, {
            severity: 'low',
            detail: `Deny statement ${name} of ${api.id}'s resource policy still names ${why}; the endpoints in use (${current.join(', ')}) are in its list and are not denied. Harmless today, but clean it up.`,
            evidence,
            fix: `Remove ${stale.join(', ')} from statement ${name} of ${api.id}'s resource policy, then create a deployment.`,
          }),
        ];
      }
      const allowedElsewhere = callers.length > 0 && callers.every((e) => evaluateInvoke(policy, scope, { vpceId: e.vpcEndpointId, vpcId: e.vpcId }).allowed);
      return [
        finding(this, {
          severity: allowedElsewhere ? 'low' : 'high',
          detail: allowedElsewhere
            ? `Allow statement ${name} of ${api.id}'s resource policy names ${why}; the endpoints in use (${current.join(', ')}) are allowed anyway. Clean it up.`
            : `Allow statement ${name} of ${api.id}'s resource policy names ${why}; ${current.length ? `the endpoint(s) in use, ${current.join(', ')}, are not allowed by it.` : 'no endpoint in use is allowed by it.'}`,
          evidence,
          fix,
        }),
      ];
    });
    if (unknown.size) {
      const ids = [...unknown.keys()];
      findings.push(
        inconclusive(this, `that ${ids.join(', ')} no longer exist${ids.length === 1 ? 's' : ''}`, [
          { source: 'ec2.vpc-endpoints', why: [...unknown].map(([id, why]) => `${id}: ${why}`).join('; '), fix: 'add a read-only role for that account to the firebreak config (aws.accounts[].roleArn)' },
        ]),
      );
    }
    return findings;
  },
});
