import { isPrivateCidr } from '../../core/cidr.js';
import { evidenceOf, finding } from '../helpers.js';
import { asList, conditionKeys, conditionValues, VPC_CONDITION_KEYS } from '../../core/policy.js';
import { defineRule } from '../types.js';

/**
 * P4: aws:SourceVpc, aws:SourceVpce and aws:VpcSourceIp exist only for private APIs: on a public
 * API an Allow keyed on them never matches and a StringNotEquals Deny always does. Conversely
 * aws:SourceIp never sees RFC 1918 addresses on a private API.
 */
export const p4ConditionKeyWrongEndpointType = defineRule({
  id: 'P4.condition-key-wrong-endpoint-type',
  severity: 'high',
  title: 'The resource policy uses condition keys that cannot match this endpoint type',
  evaluate(input) {
    const api = evidenceOf(input, 'apigw.rest-api');
    if (!api?.policy) return [];
    const isPrivate = api.endpointTypes.includes('PRIVATE');
    return api.policy.Statement.flatMap((statement, index) => {
      const name = statement.Sid ?? `#${index + 1}`;
      if (!isPrivate) {
        const keys = conditionKeys(statement).filter((k) => VPC_CONDITION_KEYS.includes(k.toLowerCase()));
        if (!keys.length) return [];
        return [
          finding(this, {
            detail: `${api.id} is ${api.endpointTypes.join('/')}, but ${statement.Effect} statement ${name} keys on ${keys.join(', ')}, which only private APIs populate: ${statement.Effect === 'Allow' ? 'the Allow never matches' : 'a StringNotEquals Deny matches every call'}.`,
            evidence: [{ source: 'apigw.rest-api', key: api.id, quote: `${statement.Effect} ${name} on ${keys.join(', ')} with endpoint type ${api.endpointTypes.join('/')}` }],
            fix: `Rewrite the resource policy of ${api.id} with aws:SourceIp (or make the API PRIVATE), then create a deployment.`,
          }),
        ];
      }
      const privateRanges = conditionValues(statement, 'aws:SourceIp').filter(isPrivateCidr);
      if (!privateRanges.length) return [];
      return [
        finding(this, {
          severity: 'medium',
          detail: `Private API ${api.id}: ${statement.Effect} statement ${name} matches aws:SourceIp ${privateRanges.join(', ')}, but calls through a VPC endpoint carry private addresses only in aws:VpcSourceIp, so this condition never matches them.`,
          evidence: [{ source: 'apigw.rest-api', key: api.id, quote: `${statement.Effect} ${name} aws:SourceIp ${asList(privateRanges).join(', ')} on a PRIVATE API` }],
          fix: `Use aws:VpcSourceIp instead of aws:SourceIp in statement ${name} of ${api.id}'s policy, then create a deployment.`,
        }),
      ];
    });
  },
});
