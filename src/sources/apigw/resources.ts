import { GetResourcesCommand, type Resource } from '@aws-sdk/client-api-gateway';
import type { IntegrationEvidence, MethodEvidence } from '../../core/evidence.js';
import { collectPages } from '../paginate.js';
import type { Describer } from '../../core/describe.js';
import { defineSource } from '../types.js';
import { lambdaArnFromUri } from './lambda-uri.js';
import { recordAnswers } from '../record.js';
import { writeApigwAnswer } from './record.js';

// GetResources' maximum page size; the default (25) would multiply calls on large APIs.
const PAGE_LIMIT = 500;

function methodsOf(resource: Resource): MethodEvidence[] {
  return Object.entries(resource.resourceMethods ?? {}).map(([verb, method]) => {
    const evidence: MethodEvidence = {
      resourceId: resource.id ?? '',
      path: resource.path ?? '',
      httpMethod: method.httpMethod ?? verb,
      apiKeyRequired: method.apiKeyRequired ?? false,
    };
    if (method.authorizationType) evidence.authorizationType = method.authorizationType;
    if (method.authorizerId) evidence.authorizerId = method.authorizerId;
    const i = method.methodIntegration;
    if (i) {
      const integration: IntegrationEvidence = {};
      if (i.type) integration.type = i.type;
      if (i.uri) integration.uri = i.uri;
      if (i.credentials) integration.credentials = i.credentials;
      if (i.timeoutInMillis !== undefined) integration.timeoutInMillis = i.timeoutInMillis;
      if (i.connectionType) integration.connectionType = i.connectionType;
      const lambdaArn = lambdaArnFromUri(i.uri);
      if (lambdaArn) integration.lambdaArn = lambdaArn;
      evidence.integration = integration;
    }
    return evidence;
  });
}

const describeMethods: Describer<'apigw.resources'> = {
  order: 110,
  lines: (methods, kit) =>
    methods.map((method) => {
      const integration = method.integration;
      return `method ${method.httpMethod} ${method.path} ${kit.pairs({
        resourceId: method.resourceId,
        auth: method.authorizationType,
        authorizer: method.authorizerId,
        apiKeyRequired: method.apiKeyRequired,
        integration: integration?.type,
        uri: integration?.lambdaArn ? undefined : integration?.uri,
        lambda: integration?.lambdaArn,
        integrationRole: integration?.credentials,
        timeoutMs: integration?.timeoutInMillis,
        connection: integration?.connectionType,
      })}`;
    }),
};

export const resourcesSource = defineSource({
  id: 'apigw.resources',
  title: 'Resources and methods',
  dependsOn: [],
  calls: { chain: 1 },
  after: ['apigw.rest-api'],
  async run(ctx) {
    const { restApiId } = ctx.target;
    const collected = await collectPages(async (position) => {
      const out = await ctx.aws.apigateway.send(
        new GetResourcesCommand({ restApiId, embed: ['methods'], limit: PAGE_LIMIT, ...(position ? { position } : {}) }),
      );
      return { items: out.items ?? [], ...(out.position ? { next: out.position } : {}) };
    }, ctx.limits);
    const evidence = collected.items.flatMap(methodsOf);
    const truncated = collected.truncated ? `; read ${collected.truncated.kept} of ${collected.truncated.total}+ resources` : '';
    if (evidence.length === 0) {
      return {
        status: 'empty',
        evidence,
        count: 0,
        reason: `${collected.items.length} resource(s) and no methods${truncated}`,
        ...(collected.truncated ? { truncated: collected.truncated } : {}),
      };
    }
    const lambdas = new Set(evidence.flatMap((m) => (m.integration?.lambdaArn ? [m.integration.lambdaArn] : []))).size;
    return {
      status: 'ok',
      evidence,
      count: evidence.length,
      reason: `${evidence.length} method(s) on ${collected.items.length} resource(s), ${lambdas} Lambda function(s) integrated${truncated}`,
      ...(collected.truncated ? { truncated: collected.truncated } : {}),
    };
  },
  describe: describeMethods,
  record: recordAnswers(writeApigwAnswer),
});
