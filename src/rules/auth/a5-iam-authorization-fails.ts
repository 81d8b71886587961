import { evidenceOf } from '../helpers.js';
import { defineLogCauseRule } from '../integration/log-cause-rule.js';

/**
 * A5: AWS_IAM authorization refuses callers: bad or expired signatures, invalid or expired
 * credentials, or the caller's own IAM policy denies execute-api:Invoke (403 KC). An unsigned
 * request gets "Missing Authentication Token", which R1 reports with a note on AWS_IAM methods.
 */
export const a5IamAuthorizationFails = defineLogCauseRule({
  id: 'A5.iam-authorization-fails',
  severity: 'high',
  title: 'IAM authorization refuses the callers',
  what: 'IAM authorization refusals (403)',
  family: 'client',
  signatures: ['bad-signature', 'identity-policy-deny'],
  sources: ['logs.execution', 'logs.access'],
  cannotRuleOut: 'IAM signature or policy refusals (no execution or access logs)',
  explain: (counts, input) => {
    const iam = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.authorizationType === 'AWS_IAM');
    const signature = counts.some((c) => c.signature === 'bad-signature');
    return {
      detail: `${signature ? 'SigV4 signatures or credentials are rejected (expired signature, clock skew, invalid or expired security token). ' : ''}${counts.some((c) => c.signature === 'identity-policy-deny') ? 'The callers\' own IAM policies deny execute-api:Invoke. ' : ''}${iam.length ? `${iam.length} method(s) use AWS_IAM: ${iam.slice(0, 4).map((m) => `${m.httpMethod} ${m.path}`).join(', ')}.` : ''}`,
      fix: signature
        ? 'Sign requests with SigV4 for service execute-api in the API\'s region with fresh credentials and a synchronised clock (NTP).'
        : 'Allow execute-api:Invoke on the API\'s ARN in the callers\' IAM policies (and remove the Deny).',
    };
  },
});
