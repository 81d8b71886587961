import { GetApiCommand, type Cors, type GetApiCommandOutput } from '@aws-sdk/client-apigatewayv2';
import { recordCall } from '../../aws/call-context.js';
import { errorKindOf } from '../../aws/errors.js';
import type { HttpApiEvidence, HttpCorsEvidence } from '../../core/evidence.js';
import type { Describer } from '../../core/describe.js';
import { prefetchKey } from '../api-type.js';
import { recordAnswers } from '../record.js';
import { defineSource, type SourceContext, type SourceOutcome } from '../types.js';
import { writeApigwv2Answer } from './record.js';

function corsOf(cors: Cors | undefined): HttpCorsEvidence | undefined {
  if (!cors) return undefined;
  const evidence: HttpCorsEvidence = {
    allowOrigins: cors.AllowOrigins ?? [],
    allowMethods: cors.AllowMethods ?? [],
    allowHeaders: cors.AllowHeaders ?? [],
    exposeHeaders: cors.ExposeHeaders ?? [],
  };
  if (cors.AllowCredentials !== undefined) evidence.allowCredentials = cors.AllowCredentials;
  if (cors.MaxAge !== undefined) evidence.maxAge = cors.MaxAge;
  return evidence;
}

const KIND_LABEL = { HTTP: 'HTTP API', WEBSOCKET: 'WebSocket API' } as const;

/** GetApi, read the same for both kinds of v2 API; the reason says what matters for each. */
async function readV2Api(ctx: SourceContext, kind: keyof typeof KIND_LABEL): Promise<SourceOutcome<'apigwv2.api'>> {
  const { restApiId: apiId, region } = ctx.target;
  const label = KIND_LABEL[kind];
  let api;
  try {
    // The kind probe read it already when it found a v2 API.
    const prefetched = ctx.prefetched<GetApiCommandOutput>(prefetchKey('GetApi', apiId));
    if (prefetched) recordCall('apigatewayv2:GetApi');
    api = await (prefetched ?? ctx.aws.apigatewayv2.send(new GetApiCommand({ ApiId: apiId })));
  } catch (err) {
    if (errorKindOf(err) !== 'not_found') throw err;
    const message = `${label} ${apiId} not found in account ${ctx.aws.accountId ?? '(the credentials’ own)'} region ${region}`;
    return { status: 'error', reason: message, error: { kind: 'not_found', message }, hint: 'check the API id (aws apigatewayv2 get-apis), --region and --account' };
  }
  const evidence: HttpApiEvidence = {
    apiId: api.ApiId ?? apiId,
    name: api.Name ?? '',
    protocolType: api.ProtocolType ?? kind,
    disableExecuteApiEndpoint: api.DisableExecuteApiEndpoint ?? false,
  };
  if (ctx.aws.accountId) evidence.accountId = ctx.aws.accountId;
  if (api.ApiEndpoint) evidence.apiEndpoint = api.ApiEndpoint;
  if (api.CreatedDate) evidence.createdDate = new Date(api.CreatedDate).toISOString();
  if (api.RouteSelectionExpression) evidence.routeSelectionExpression = api.RouteSelectionExpression;
  const parts = [`${label} ${evidence.name || evidence.apiId}`];
  if (kind === 'WEBSOCKET') {
    if (api.ApiKeySelectionExpression) evidence.apiKeySelectionExpression = api.ApiKeySelectionExpression;
    parts.push(`routes selected by ${evidence.routeSelectionExpression ?? '(no route selection expression)'}`);
  } else {
    const cors = corsOf(api.CorsConfiguration);
    if (cors) evidence.cors = cors;
    parts.push(cors ? `CORS allows origins ${cors.allowOrigins.join(', ') || '(none)'}` : 'no CORS configuration');
  }
  if (evidence.disableExecuteApiEndpoint) parts.push('default execute-api endpoint disabled');
  return { status: 'ok', evidence, count: 1, reason: parts.join(', ') };
}

/**
 * The v2 API (default endpoint; CORS for HTTP, route and API key selection for WebSocket): its
 * lines follow where a REST API's would be. One describer for both kinds (a source id is
 * described by the first source that has it), so it reads the kind from the evidence.
 */
const describeV2Api: Describer<'apigwv2.api'> = {
  order: 20,
  lines: (api, kit) => {
    const websocket = api.protocolType === 'WEBSOCKET';
    const cors = api.cors;
    return [
      `${websocket ? 'websocket' : 'http'} api ${kit.pairs({
        id: api.apiId,
        name: JSON.stringify(api.name),
        account: api.accountId,
        protocol: api.protocolType,
        endpoint: api.apiEndpoint,
        disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
        routeSelection: websocket ? api.routeSelectionExpression : undefined,
        apiKeySelectionExpression: websocket ? api.apiKeySelectionExpression : undefined,
      })}`,
      // WebSocket APIs have no CORS: a browser's WebSocket handshake is not a CORS request.
      ...(websocket
        ? []
        : [
            cors
              ? `http api cors ${kit.pairs({ allowOrigins: cors.allowOrigins, allowMethods: cors.allowMethods, allowHeaders: cors.allowHeaders, exposeHeaders: cors.exposeHeaders, allowCredentials: cors.allowCredentials, maxAge: cors.maxAge })}`
              : 'http api cors: none (the integration must answer OPTIONS and send CORS headers itself)',
          ]),
    ];
  },
};

/** The HTTP API itself (API Gateway v2 GetApi): protocol, default endpoint, CORS. */
export const httpApiSource = defineSource({
  id: 'apigwv2.api',
  title: 'HTTP API',
  dependsOn: [],
  calls: { chain: 1 },
  readsTarget: true,
  run: (ctx) => readV2Api(ctx, 'HTTP'),
  describe: describeV2Api,
  record: recordAnswers(writeApigwv2Answer),
});

/** The WebSocket API itself (GetApi): route selection expression, API key selection, default endpoint. */
export const websocketApiSource = defineSource({
  id: 'apigwv2.api',
  title: 'WebSocket API',
  dependsOn: [],
  readsTarget: true,
  calls: { chain: 1 },
  run: (ctx) => readV2Api(ctx, 'WEBSOCKET'),
  describe: describeV2Api,
  record: recordAnswers(writeApigwv2Answer),
});
