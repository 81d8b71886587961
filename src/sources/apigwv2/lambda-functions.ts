import { ACCOUNT_PLACEHOLDER, describeLambdaFunctions, readLambdaFunctions } from '../lambda/functions.js';
import { httpLambdaUsages } from '../lambda/usages.js';
import { defineSource, type Source } from '../types.js';
import { recordAnswers } from '../record.js';
import { writeLambdaAnswer } from '../lambda/record.js';

/**
 * The Lambda functions behind a v2 API's routes and authorizers, read like the REST ones;
 * `usagesOf` knows the kind's source ARNs.
 */
export function v2LambdaFunctionsSource(usagesOf: typeof httpLambdaUsages): Source<'lambda.functions'> {
  return defineSource<'lambda.functions'>({
    id: 'lambda.functions',
    title: 'Lambda functions',
    dependsOn: ['apigwv2.routes'],
    // Authorizers only add functions: a failed list leaves the integration functions read.
    after: ['apigwv2.authorizers'],
    calls: { chain: 2, why: 'GetCallerIdentity first only when the API’s account is not known yet (it scopes the permission check)', needs: 1 },
    async run(ctx) {
      const routes = ctx.evidence['apigwv2.routes'];
      const usages = usagesOf(routes?.routes ?? [], routes?.integrations ?? [], ctx.evidence['apigwv2.authorizers'] ?? [], {
        region: ctx.target.region,
        accountId: ACCOUNT_PLACEHOLDER,
        restApiId: ctx.target.restApiId,
        ...(ctx.target.stage ? { stage: ctx.target.stage } : {}),
      });
      return readLambdaFunctions(ctx, usages, 'apigwv2.authorizers');
    },
    describe: describeLambdaFunctions,
    record: recordAnswers(writeLambdaAnswer),
  });
}

export const httpLambdaFunctionsSource = v2LambdaFunctionsSource(httpLambdaUsages);
