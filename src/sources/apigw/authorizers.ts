import { GetAuthorizersCommand, type Authorizer } from '@aws-sdk/client-api-gateway';
import type { AuthorizerEvidence } from '../../core/evidence.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { defineSource } from '../types.js';
import { lambdaArnFromUri } from './lambda-uri.js';
import { recordAnswers } from '../record.js';
import { writeApigwAnswer } from './record.js';

function toEvidence(a: Authorizer): AuthorizerEvidence {
  const evidence: AuthorizerEvidence = { id: a.id ?? '', name: a.name ?? '' };
  if (a.type) evidence.type = a.type;
  if (a.authorizerUri) evidence.authorizerUri = a.authorizerUri;
  const lambdaArn = lambdaArnFromUri(a.authorizerUri);
  if (lambdaArn) evidence.lambdaArn = lambdaArn;
  if (a.identitySource) evidence.identitySource = a.identitySource;
  if (a.identityValidationExpression) evidence.identityValidationExpression = a.identityValidationExpression;
  if (a.authorizerResultTtlInSeconds !== undefined) evidence.authorizerResultTtlInSeconds = a.authorizerResultTtlInSeconds;
  if (a.providerARNs) evidence.providerARNs = a.providerARNs;
  return evidence;
}

const describeAuthorizers: Describer<'apigw.authorizers'> = {
  order: 120,
  lines: (authorizers, kit) =>
    authorizers.map(
      (authorizer) =>
        `authorizer ${authorizer.id} ${kit.pairs({
          name: authorizer.name,
          type: authorizer.type,
          lambda: authorizer.lambdaArn,
          uri: authorizer.lambdaArn ? undefined : authorizer.authorizerUri,
          identitySource: authorizer.identitySource,
          ttl: authorizer.authorizerResultTtlInSeconds,
          providers: authorizer.providerARNs,
        })}`,
    ),
};

export const authorizersSource = defineSource({
  id: 'apigw.authorizers',
  title: 'Authorizers',
  dependsOn: [],
  calls: { chain: 1 },
  after: ['apigw.rest-api'],
  async run(ctx) {
    const { restApiId } = ctx.target;
    const collected = await collectPages(async (position) => {
      const out = await ctx.aws.apigateway.send(new GetAuthorizersCommand({ restApiId, limit: 500, ...(position ? { position } : {}) }));
      return { items: out.items ?? [], ...(out.position ? { next: out.position } : {}) };
    }, ctx.limits);
    const evidence = collected.items.map(toEvidence);
    const truncated = collected.truncated ? { truncated: collected.truncated } : {};
    if (evidence.length === 0) {
      return { status: 'empty', evidence, count: 0, reason: `API ${restApiId} has no authorizers` };
    }
    const names = evidence.map((a) => `${a.name} (${a.type ?? 'unknown type'}${a.authorizerResultTtlInSeconds ? `, cached ${a.authorizerResultTtlInSeconds}s` : ''})`);
    return { status: 'ok', evidence, count: evidence.length, reason: names.join(', '), ...truncated };
  },
  describe: describeAuthorizers,
  record: recordAnswers(writeApigwAnswer),
});
