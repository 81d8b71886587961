import type { Finding } from '../../core/finding.js';
import { describeArn, executeApiPrefix, resourceMatch } from '../../core/arn-match.js';
import { lambdaInvokeDecision } from '../../core/policy.js';
import { clip, evidenceOf, finding, requireAnySource } from '../helpers.js';
import { defineRule, type Rule, type RuleInput } from '../types.js';
import { connectAuthorization, connectCause, type Cause } from './causes.js';
import type { Family } from '../counting/index.js';
import { countFinding, countRefs, tallyEvents, weigh, type Tallied } from './counts.js';

/**
 * The handshake: `$connect` runs the authorization (REQUEST authorizer, AWS_IAM or an API key)
 * and the `$connect` integration; any refusal leaves the client with a bare HTTP status on the
 * upgrade request (catalogue §1.1, §2.1). Authorization happens once per connection.
 */

const LOGS = ['logs.access', 'logs.execution'] as const;

/** Failed handshakes of one cause, per stage. */
function connectTallies(input: RuleInput, cause: Cause): Tallied {
  return tallyEvents(input, { eventType: 'CONNECT', match: (e) => (e.routeKey === undefined || e.routeKey === '$connect') && connectCause(e) === cause });
}

/** The common shape of a handshake rule: blind without logs, else counted against the connection attempts. */
function handshakeRule(rule: Rule, input: RuleInput, cause: Cause, what: string, family: Family, make: Parameters<typeof countFinding>[3]): Finding[] {
  const blocked = requireAnySource(input, rule, [...LOGS], `handshakes refused at $connect (${rule.id.split('.')[0]})`);
  if (blocked) return blocked;
  return countFinding(rule, input, weigh(input, what, family, connectTallies(input, cause)), make);
}

/** W1: the authorizer's identity source is missing (401 without calling the authorizer), or the API key is. */
export const w1IdentitySourceMissing = defineRule({
  id: 'W1.identity-source-missing',
  severity: 'high',
  title: 'Connections refused at $connect: the authorizer identity source (or API key) is missing',
  evaluate(input) {
    const { authorizer, route } = connectAuthorization(input);
    if (!authorizer && !route?.apiKeyRequired) return [];
    return handshakeRule(this, input, 'W1', 'Handshakes refused with 401 (credentials missing)', 'client', (c) => {
      const sources = authorizer?.identitySource ?? [];
      const headers = sources.filter((s) => s.startsWith('route.request.header.'));
      const browser = headers.length
        ? ` Browsers cannot set headers on the WebSocket upgrade request, so ${headers.join(', ')} never arrives from a web client (send it in the query string instead).`
        : '';
      return {
        detail: `${c.count.text()} ${authorizer ? `Authorizer ${authorizer.name} needs every identity source (${sources.join(', ') || 'none'}) on the connection request; when one is missing or empty API Gateway answers 401 without calling the function.` : 'The $connect route requires an API key, which the connection request does not carry.'}${browser}`,
        evidence: [...countRefs(c), { source: 'apigwv2.authorizers', ...(authorizer ? { key: authorizer.authorizerId } : {}), quote: authorizer ? `${authorizer.name} IdentitySource: ${sources.join(', ') || '(none)'}` : '$connect ApiKeyRequired: true' }],
        fix: authorizer
          ? `Make clients send ${sources.join(' and ')} on the wss:// request${headers.length ? ` (from browsers: route.request.querystring.<name>, then update the authorizer: aws apigatewayv2 update-authorizer --api-id ${input.target.restApiId} --authorizer-id ${authorizer.authorizerId} --identity-source 'route.request.querystring.token' and deploy)` : ''}.`
          : 'Send the API key on the connection request (header x-api-key), or stop requiring it on $connect.',
      };
    });
  },
});

/**
 * The Deny policies and the Allows that miss `…/<stage>/$connect` among those the authorizer
 * returned (INFO execution lines): `…/<stage>/*\/*` has one segment too many for a WebSocket
 * route ARN (aws-powertools/powertools-lambda-python#5800).
 */
function authorizerPolicies(input: RuleInput): { denied: number; wrongResource: string[] } {
  let denied = 0;
  const wrongResource = new Set<string>();
  for (const log of evidenceOf(input, 'logs.execution') ?? []) {
    const connectArn = `${executeApiPrefix(input.target.region, evidenceOf(input, 'apigwv2.api')?.accountId, input.target.restApiId)}/${log.stage}/$connect`;
    for (const line of log.lines) {
      if (!line.message.includes('Authorizer result body')) continue;
      for (const m of line.message.matchAll(/"Effect"\s*:\s*"(Allow|Deny)"\s*,\s*"Resource"\s*:\s*"([^"]+)"/g)) {
        if (m[1] === 'Deny') denied += 1;
        else if (m[2] && !resourceMatch(m[2], connectArn)) wrongResource.add(m[2]);
      }
    }
  }
  return { denied, wrongResource: [...wrongResource] };
}

/** W2: the authorizer answered Deny, or a policy whose Resource misses `…/<stage>/$connect`: 403. */
export const w2AuthorizerDenies = defineRule({
  id: 'W2.authorizer-denies',
  severity: 'high',
  title: 'The $connect authorizer denies connections (403)',
  evaluate(input) {
    const { authorizer } = connectAuthorization(input);
    if (!authorizer) return [];
    return handshakeRule(this, input, 'W2', 'Handshakes denied with 403 by the authorizer', 'deny', (c) => {
      const policies = authorizerPolicies(input);
      const shape = policies.wrongResource.length
        ? ` The policies it returns allow ${policies.wrongResource.slice(0, 2).join(', ')}, which does not cover the $connect route ARN (arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/$connect): API Gateway treats that as a deny.`
        : policies.denied
          ? ` The execution log shows ${policies.denied} policy with Effect Deny.`
          : '';
      return {
        detail: `${c.count.text()} Authorizer ${authorizer.name} decides once per connection, on $connect.${shape}`,
        evidence: [...countRefs(c), { source: 'apigwv2.authorizers', key: authorizer.authorizerId, quote: `${authorizer.name} on $connect, identity ${authorizer.identitySource.join(', ') || '(none)'}` }],
        fix: `Check why ${authorizer.name} denies (its log, by $context.authorizer.requestId); an Allow must name the method ARN it was given (event.methodArn, ending in /$connect) or …/<stage>/*.`,
      };
    });
  },
});

/** W3: the authorizer cannot run: no permission for `…/authorizers/<id>`, missing function, or it throws. */
export const w3AuthorizerFails = defineRule({
  id: 'W3.authorizer-fails',
  severity: 'critical',
  title: 'The $connect authorizer cannot run: every connection fails',
  evaluate(input) {
    const { authorizer } = connectAuthorization(input);
    if (!authorizer?.lambdaArn) return [];
    const fn = (evidenceOf(input, 'lambda.functions') ?? []).find((f) => authorizer.lambdaArn === f.functionArn || authorizer.lambdaArn?.startsWith(`${f.functionArn}:`));
    const account = evidenceOf(input, 'apigwv2.api')?.accountId ?? fn?.accountId;
    const sourceArn = `${executeApiPrefix(input.target.region, account, input.target.restApiId)}/authorizers/${authorizer.authorizerId}`;
    const missing = fn?.state === 'NotFound';
    const refused = !authorizer.authorizerCredentialsArn && fn?.invokePermission && (!fn.invokePermission.policy || lambdaInvokeDecision(fn.invokePermission.policy, sourceArn, account).match === 'no');
    if (missing || refused) {
      return [
        finding(this, {
          detail: missing
            ? `Authorizer ${authorizer.name} names function ${fn?.functionName}, which does not exist: every $connect fails with 500 and no client can connect.`
            : `No statement in ${fn?.functionName}'s resource policy lets apigateway.amazonaws.com invoke it for ${describeArn(sourceArn)} (and the authorizer has no credentials role): every $connect fails with 500 and no client can connect.`,
          evidence: [{ source: 'lambda.functions', key: fn?.functionName ?? authorizer.lambdaArn, quote: missing ? `${fn?.functionName}: not found` : `${fn?.functionName} invoke permission: ${fn?.invokePermission?.reason ?? 'none for this authorizer'}` }],
          fix: missing
            ? `Point the authorizer at an existing function (aws apigatewayv2 update-authorizer --api-id ${input.target.restApiId} --authorizer-id ${authorizer.authorizerId} --authorizer-uri …) and deploy.`
            : `aws lambda add-permission --function-name ${fn?.functionName} --statement-id apigw-authorizer-${authorizer.authorizerId} --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn '${describeArn(sourceArn)}'`,
        }),
      ];
    }
    const functionErrors = (evidenceOf(input, 'logs.lambda') ?? []).filter((l) => l.functionName === fn?.functionName && l.errors + l.timeouts > 0);
    return handshakeRule(this, input, 'W3', 'Handshakes failed with 500: authorizer error', 'server', (c) => ({
      detail: `${c.count.text()} Authorizer ${authorizer.name} fails (throws, times out or returns a malformed policy), so API Gateway refuses the connection with 500.${functionErrors.length ? ` Its log shows ${functionErrors.map((l) => `${l.errors + l.timeouts} failed invocation(s)`).join(', ')}.` : ''}`,
      evidence: [...countRefs(c), ...functionErrors.flatMap((l) => (l.lines[0] ? [{ source: 'logs.lambda', key: l.functionName, quote: clip(l.lines[0].message) }] : []))],
      fix: `Fix ${fn?.functionName ?? 'the authorizer function'} (its log in /aws/lambda/${fn?.functionName ?? '<function>'}); it must return {"principalId", "policyDocument"} allowing the $connect method ARN.`,
    }));
  },
});

/** W4: the $connect integration refuses (non-2xx) or throws: the upgrade fails with its status or 500. */
export const w4ConnectIntegrationFails = defineRule({
  id: 'W4.connect-integration-fails',
  severity: 'high',
  title: 'The $connect integration refuses or fails the handshake',
  evaluate(input) {
    const { route } = connectAuthorization(input);
    if (!route?.integrationId) return [];
    const fnLog = (evidenceOf(input, 'logs.lambda') ?? []).find((l) => {
      const integration = evidenceOf(input, 'apigwv2.routes')?.integrations.find((i) => i.integrationId === route.integrationId);
      return integration?.lambdaArn?.endsWith(`:function:${l.functionName}`);
    });
    return handshakeRule(this, input, 'W4', 'Handshakes refused by the $connect integration', 'server', (c) => ({
      detail: `${c.count.text()} The $connect integration answered a non-2xx status or failed, so API Gateway refused the upgrade; the client sees only the HTTP status.${fnLog && fnLog.errors ? ` ${fnLog.functionName}'s log shows ${fnLog.errors} error(s).` : ''}`,
      evidence: [...countRefs(c), ...(fnLog?.lines[0] ? [{ source: 'logs.lambda', key: fnLog.functionName, quote: clip(fnLog.lines[0].message) }] : [])],
      fix: 'Make the $connect function return statusCode 200 for connections it accepts (and echo one offered Sec-WebSocket-Protocol when clients send one); never call PostToConnection from $connect: the connection is not open yet (KC 410-gone-api-gateway).',
    }));
  },
});

/** W5: AWS_IAM on $connect refuses callers without execute-api:Invoke on `…/<stage>/$connect` (or unsigned). */
export const w5IamConnectDenied = defineRule({
  id: 'W5.iam-connect-denied',
  severity: 'high',
  title: 'IAM authorization on $connect refuses callers (403)',
  evaluate(input) {
    const { route } = connectAuthorization(input);
    if (route?.authorizationType !== 'AWS_IAM') return [];
    return handshakeRule(this, input, 'W5', 'Handshakes denied by IAM (execute-api:Invoke)', 'client', (c) => ({
      detail: `${c.count.text()} $connect uses AWS_IAM: callers must sign the wss:// request with SigV4 and be allowed execute-api:Invoke on arn:aws:execute-api:${input.target.region}:<account>:${input.target.restApiId}/<stage>/$connect. Denials on other routes do not affect connected clients: authorization happens once, at $connect.`,
      evidence: countRefs(c),
      fix: `Grant the callers execute-api:Invoke on arn:aws:execute-api:${input.target.region}:<account>:${input.target.restApiId}/*/$connect (identity policy) and sign the connection request.`,
    }));
  },
});
