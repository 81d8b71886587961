import { finding } from '../helpers.js';
import { defineRule } from '../types.js';
import { accessRefs, AUTHORIZER_ERROR, contextValue, countRecords, topValues } from './access.js';
import { describeAuthorizer, expectedResponse, lambdaAuthorizers, PERMISSION_TEXT } from './lambda-authorizers.js';

/**
 * H14: the Lambda authorizer fails: it throws, times out (10 s), or returns a response API
 * Gateway cannot read for its payload version and simple-response setting: 500
 * `{"message":"Internal Server Error"}` with `$context.authorizer.error` set
 * (DG http-api-lambda-authorizer). Permission failures are H14.authorizer-not-invokable.
 */
export const h14LambdaAuthorizerInvalidResponse = defineRule({
  id: 'H14.lambda-authorizer-invalid-response',
  severity: 'high',
  title: 'The Lambda authorizer fails or returns a response in the wrong format',
  evaluate(input) {
    return lambdaAuthorizers(input).flatMap(({ authorizer, routes }) => {
      const findings = [];
      if (authorizer.enableSimpleResponses && authorizer.authorizerPayloadFormatVersion !== '2.0') {
        findings.push(
          finding(this, {
            detail: `Lambda authorizer ${authorizer.name} has simple responses on with payload format ${authorizer.authorizerPayloadFormatVersion ?? '(unset)'}: simple responses exist only for payload 2.0.`,
            evidence: [{ source: 'apigwv2.authorizers', key: authorizer.authorizerId, quote: describeAuthorizer(authorizer) }],
            fix: `Set AuthorizerPayloadFormatVersion to 2.0 (aws apigatewayv2 update-authorizer --api-id ${input.target.restApiId} --authorizer-id ${authorizer.authorizerId} --authorizer-payload-format-version 2.0), or turn simple responses off and return an IAM policy.`,
          }),
        );
      }
      const keys = new Set(routes.map((r) => r.routeKey));
      const { count, matches: failed } = countRecords(
        input,
        { what: `500 from Lambda authorizer ${authorizer.name}`, family: 'server' },
        (r) => r.status === 500 && keys.has(contextValue(r, 'routeKey') ?? '') && contextValue(r, ...AUTHORIZER_ERROR) !== undefined && !PERMISSION_TEXT.test(contextValue(r, ...AUTHORIZER_ERROR) ?? ''),
      );
      if (count.passes) {
        const texts = topValues(failed.flatMap((m) => m.records), AUTHORIZER_ERROR);
        findings.push(
          finding(this, {
            severity: count.severity(this.severity),
            figures: count.figures,
            detail: `${count.text()}${texts.length ? ` authorizer.error: ${texts.map((t) => `"${t.value}"`).join(', ')}.` : ''} With payload ${authorizer.authorizerPayloadFormatVersion ?? '?'} and simple responses ${authorizer.enableSimpleResponses ? 'on' : 'off'}, API Gateway expects ${expectedResponse(authorizer)}; a function that throws, times out (10 s) or answers in the other format gives 500.`,
            evidence: [...accessRefs(failed, 'failed in the authorizer', AUTHORIZER_ERROR), { source: 'apigwv2.authorizers', key: authorizer.authorizerId, quote: describeAuthorizer(authorizer) }],
            fix: `Make ${authorizer.name} return ${expectedResponse(authorizer)} (or change the authorizer's payload version / simple-response setting to match the code), and check its logs for errors.`,
          }),
        );
      }
      return findings;
    });
  },
});
