import { evidenceOf, finding, requireSources } from '../helpers.js';
import { defineRule } from '../types.js';
import { accessRefs, AUTHORIZER_ERROR, contextValue, countRecords, httpRoutes } from './access.js';
import { lambdaAuthorizers, PERMISSION_TEXT } from './lambda-authorizers.js';

/**
 * H14: API Gateway may not invoke the Lambda authorizer: no function policy statement for
 * `arn:aws:execute-api:<region>:<account>:<api-id>/authorizers/<authorizer-id>` and no
 * AuthorizerCredentialsArn role; every protected route answers 500 and `$context.authorizer.error`
 * says "The IAM role configured on the authorizer or API Gateway doesn't have permissions to call
 * the authorizer" (KC api-gateway-http-lambda-integrations).
 */
export const h14AuthorizerNotInvokable = defineRule({
  id: 'H14.authorizer-not-invokable',
  severity: 'critical',
  title: 'API Gateway may not invoke the Lambda authorizer',
  evaluate(input) {
    // Without the authorizer list neither the authorizers nor their functions are known.
    if (httpRoutes(input).some((r) => r.authorizationType === 'CUSTOM')) {
      const blocked = requireSources(input, this, ['apigwv2.authorizers'], 'a Lambda authorizer that API Gateway may not invoke');
      if (blocked) return blocked;
    }
    const functions = (evidenceOf(input, 'lambda.functions') ?? []).filter((f) => f.usedBy.includes('authorizer'));
    return lambdaAuthorizers(input).flatMap(({ authorizer, routes }) => {
      const fn = functions.find((f) => authorizer.lambdaArn && (f.functionArn === authorizer.lambdaArn || authorizer.lambdaArn.startsWith(`${f.functionArn}:`)));
      const denied = !authorizer.authorizerCredentialsArn && fn?.invokePermission && !fn.invokePermission.allowsThisApi ? fn : undefined;
      const keys = new Set(routes.map((r) => r.routeKey));
      const { count, matches } = countRecords(input, { what: 'Requests whose authorizer could not be invoked (500)', family: 'decisive' }, (r) => keys.has(contextValue(r, 'routeKey') ?? '') && PERMISSION_TEXT.test(contextValue(r, ...AUTHORIZER_ERROR) ?? ''));
      const logged = count.passes ? matches : [];
      if (!denied && !logged.length) return [];
      const sourceArn = `arn:aws:execute-api:${input.target.region}:<account>:${input.target.restApiId}/authorizers/${authorizer.authorizerId}`;
      return [
        finding(this, {
          detail: [
            denied ? `${denied.functionName}: ${denied.invokePermission?.reason ?? 'no statement allows apigateway.amazonaws.com'}.` : '',
            logged.length ? count.text() : '',
            `Every route behind authorizer ${authorizer.name} (${routes.map((r) => r.routeKey).join(', ') || 'none'}) answers 500 Internal Server Error.`,
          ].filter(Boolean).join(' '),
          ...(logged.length ? { figures: count.figures } : {}),
          evidence: [
            ...(denied ? [{ source: 'lambda.functions', key: denied.functionName, quote: `${denied.functionName} invoke permission: ${denied.invokePermission?.reason ?? 'none for this API'}` }] : []),
            ...accessRefs(logged, 'failed to invoke the authorizer', AUTHORIZER_ERROR),
          ],
          fix: `aws lambda add-permission --function-name ${denied?.functionName ?? '<authorizer function>'} --statement-id apigw-authorizer-${authorizer.authorizerId} --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn '${sourceArn}' (or give the authorizer an invoke role in AuthorizerCredentialsArn).`,
        }),
      ];
    });
  },
});
