import { GetAuthorizersCommand, type Authorizer } from '@aws-sdk/client-apigatewayv2';
import type { HttpAuthorizerEvidence } from '../../core/evidence.js';
import { plural } from '../cross-account.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { defineSource } from '../types.js';
import { lambdaArnOfIntegrationUri } from './routes.js';
import { recordAnswers } from '../record.js';
import { writeApigwv2Answer } from './record.js';

function toEvidence(a: Authorizer): HttpAuthorizerEvidence {
  const e: HttpAuthorizerEvidence = {
    authorizerId: a.AuthorizerId ?? '',
    name: a.Name ?? '',
    identitySource: a.IdentitySource ?? [],
    jwtAudience: a.JwtConfiguration?.Audience ?? [],
  };
  if (a.AuthorizerType) e.authorizerType = a.AuthorizerType;
  if (a.JwtConfiguration?.Issuer) e.jwtIssuer = a.JwtConfiguration.Issuer;
  if (a.AuthorizerUri) e.authorizerUri = a.AuthorizerUri;
  const lambdaArn = lambdaArnOfIntegrationUri(a.AuthorizerUri);
  if (lambdaArn) e.lambdaArn = lambdaArn;
  if (a.AuthorizerPayloadFormatVersion) e.authorizerPayloadFormatVersion = a.AuthorizerPayloadFormatVersion;
  if (a.EnableSimpleResponses !== undefined) e.enableSimpleResponses = a.EnableSimpleResponses;
  if (a.AuthorizerResultTtlInSeconds !== undefined) e.authorizerResultTtlInSeconds = a.AuthorizerResultTtlInSeconds;
  if (a.AuthorizerCredentialsArn) e.authorizerCredentialsArn = a.AuthorizerCredentialsArn;
  return e;
}

function describe(a: HttpAuthorizerEvidence, websocket: boolean): string {
  if (a.authorizerType === 'JWT') return `${a.name} (JWT, issuer ${a.jwtIssuer ?? '?'}, audience ${a.jwtAudience.join(', ') || '(none)'})`;
  // WebSocket authorizers run once, on $connect: no payload versions, simple responses or cache (HTTP only).
  if (websocket) return `${a.name} (Lambda REQUEST on $connect, identity ${a.identitySource.join(', ') || '(none)'})`;
  const format = a.authorizerPayloadFormatVersion ? `payload ${a.authorizerPayloadFormatVersion}` : 'payload ?';
  return `${a.name} (Lambda, ${format}${a.enableSimpleResponses ? ', simple responses' : ''}, cache ${a.authorizerResultTtlInSeconds ?? 0} s, identity ${a.identitySource.join(', ') || '(none)'})`;
}

/** JWT and Lambda (REQUEST) authorizers of the HTTP API. */
const describeHttpAuthorizers: Describer<'apigwv2.authorizers'> = {
  order: 28,
  lines: (authorizers, kit) =>
    authorizers.map(
      (a) =>
        `authorizer ${a.authorizerId} ${kit.pairs({
          name: JSON.stringify(a.name),
          type: a.authorizerType,
          identitySource: a.identitySource,
          issuer: a.jwtIssuer,
          audience: a.jwtAudience.length ? a.jwtAudience : undefined,
          uri: a.authorizerUri,
          payloadFormatVersion: a.authorizerPayloadFormatVersion,
          simpleResponses: a.enableSimpleResponses,
          ttl: a.authorizerResultTtlInSeconds,
          credentials: a.authorizerCredentialsArn,
        })}`,
    ),
};

/** JWT and Lambda (REQUEST) authorizers of the HTTP API; the $connect authorizers of a WebSocket API. */
export const httpAuthorizersSource = defineSource({
  id: 'apigwv2.authorizers',
  title: 'Authorizers',
  dependsOn: [],
  calls: { chain: 1 },
  after: ['apigwv2.api'],
  async run(ctx) {
    const ApiId = ctx.target.restApiId;
    const read = await collectPages(async (token) => {
      const out = await ctx.aws.apigatewayv2.send(new GetAuthorizersCommand({ ApiId, ...(token ? { NextToken: token } : {}) }));
      return { items: out.Items ?? [], ...(out.NextToken ? { next: out.NextToken } : {}) };
    }, ctx.limits);
    const evidence = read.items.map(toEvidence);
    if (evidence.length === 0) return { status: 'empty', evidence, count: 0, reason: 'no authorizers' };
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${plural(evidence.length, 'authorizer')}: ${evidence.map((a) => describe(a, ctx.target.apiType === 'WEBSOCKET')).join('; ')}`,
      ...(read.truncated ? { truncated: read.truncated } : {}),
    };
  },
  describe: describeHttpAuthorizers,
  record: recordAnswers(writeApigwv2Answer),
});
