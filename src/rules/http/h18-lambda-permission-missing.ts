import { finding, inconclusive, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';
import { accessRefs, contextValue, countRecords, INTEGRATION_ERROR } from './access.js';
import { lambdaIntegrations } from './integrations.js';

const PERMISSION_TEXT = /doesn't have permissions to call the integration|does not have permissions to call the integration|Invalid permissions on Lambda function/i;

/**
 * H18: API Gateway may not invoke the integration's function (no statement for the API's
 * execute-api source ARN, and no CredentialsArn role): 500 `{"message":"Internal Server Error"}`,
 * `$context.integrationErrorMessage` "The IAM role configured on the integration or API Gateway
 * doesn't have permissions to call the integration…" (KC api-gateway-http-lambda-integrations).
 */
export const h18LambdaPermissionMissing = defineRule({
  id: 'H18.lambda-permission-missing',
  severity: 'critical',
  title: 'API Gateway may not invoke the integration\u2019s Lambda function',
  evaluate(input) {
    const integrations = lambdaIntegrations(input);
    const denied = integrations.filter((i) => !i.integration.credentialsArn && i.fn?.invokePermission && !i.fn.invokePermission.allowsThisApi);
    const { count, matches } = countRecords(input, { what: 'Invokes refused for a missing permission (500)', family: 'decisive' }, (r) => r.status === 500 && PERMISSION_TEXT.test(contextValue(r, ...INTEGRATION_ERROR) ?? ''));
    const logged = count.passes ? matches : [];
    if (!denied.length && !logged.length) {
      if (!integrations.length) return [];
      const blocked = requireSources(input, this, ['lambda.functions'], 'a missing Lambda invoke permission');
      if (blocked) return blocked;
      return integrations
        .filter((i) => i.fn?.unreadable && i.fn.state !== 'NotFound')
        .map((i) => inconclusive(this, `a missing invoke permission on ${i.fn?.functionName}`, [{ source: 'lambda.functions', why: i.fn?.unreadable ?? 'not readable', fix: `give the firebreak role read access to ${i.fn?.functionName}` }]));
    }
    const names = [...new Set(denied.map((i) => i.fn?.functionName ?? '?'))];
    return [
      finding(this, {
        detail: [
          ...denied.map((i) => `${i.fn?.functionName} (routes ${i.routes.map((r) => r.routeKey).join(', ') || 'none'}): ${i.fn?.invokePermission?.reason ?? 'no statement allows apigateway.amazonaws.com for this API'}.`),
          logged.length ? count.text() : '',
          'Callers get 500 Internal Server Error.',
        ].filter(Boolean).join(' '),
        ...(logged.length ? { figures: count.figures } : {}),
        evidence: [
          ...denied.map((i) => ({ source: 'lambda.functions', key: i.fn?.functionName ?? '?', quote: `${i.fn?.functionName} invoke permission: ${i.fn?.invokePermission?.reason ?? 'none for this API'}` })),
          ...accessRefs(logged, 'failed to invoke the integration', INTEGRATION_ERROR),
        ],
        fix: `aws lambda add-permission --function-name ${names[0] ?? '<function>'} --statement-id apigw-${input.target.restApiId} --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn 'arn:aws:execute-api:${input.target.region}:<account>:${input.target.restApiId}/*/*'`,
      }),
    ];
  },
});
