import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/finding.js';
import { investigate, type Environment } from '../../../src/engine.js';
import { HTTP_RULES, RULES, rulesFor } from '../../../src/rules/index.js';
import { createSandboxEnvironment } from '../../../src/sandbox/environment.js';
import { parseScenario } from '../../../src/sandbox/load.js';
import { account, API_ID, httpApi, httpScenario } from '../../sources/apigwv2/fixture.js';

type Obj = ReturnType<typeof httpScenario>;

/** Runs the whole investigation on the healthy HTTP API scenario after `change`, and returns its findings. */
async function findings(change: (s: Obj) => void, stage?: string): Promise<Finding[]> {
  const sandbox = createSandboxEnvironment(parseScenario(httpScenario(change), 'test'));
  const env: Environment = { factory: sandbox.factory, dns: sandbox.dns, now: () => sandbox.now, origin: 'test', region: 'us-east-1' };
  const until = sandbox.now;
  const { report } = await investigate({ kind: 'api-gw', restApiId: API_ID, region: 'us-east-1', ...(stage ? { stage } : {}) }, { since: new Date(until.getTime() - 7200_000), until }, env);
  return report.findings;
}

const rule = (list: Finding[], id: string) => list.filter((f) => f.rule === id);
const confirmed = (list: Finding[], id: string) => rule(list, id).filter((f) => !f.inconclusive);
const traffic = (stage: string, requests: number, routes: Obj[], outcomes: Obj[], seed = 5): Obj => ({ stage, requests, seed, routes, outcomes });

describe('HTTP API rules', () => {
  it('run only for HTTP APIs, REST rules only for REST APIs', () => {
    expect(rulesFor('HTTP')).toBe(HTTP_RULES);
    expect(rulesFor('REST')).toBe(RULES);
    const ids = HTTP_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^H(B|\d+)\.[a-z0-9-]+$/);
  });

  it('are silent above info on the healthy HTTP API', async () => {
    expect((await findings(() => undefined)).filter((f) => f.severity !== 'info' && f.severity !== 'low')).toEqual([]);
  });
});

describe('H1.no-matching-route', () => {
  it('fires on 404s without a route key and lists the API\u2019s routes', async () => {
    const list = await findings((s) => s.httpTraffic.push(traffic('$default', 40, [{ method: 'GET', path: '/api/orders' }], [{ weight: 1, status: 404, context: { routeKey: '-' } }])));
    const [f] = confirmed(list, 'H1.no-matching-route');
    expect(f?.detail).toContain('/api/orders');
    expect(f?.detail).toContain('GET /orders/{id}');
  });

  it('ignores a backend\u2019s own 404s (they have a route and an integration status)', async () => {
    const list = await findings((s) => s.httpTraffic.push(traffic('$default', 40, [{ method: 'GET', path: '/orders/o-404', routeKey: 'GET /orders/{id}' }], [{ weight: 1, status: 404, context: { 'integration.status': 404 } }])));
    expect(rule(list, 'H1.no-matching-route')).toEqual([]);
  });

  it('names a target stage that does not exist', async () => {
    const [f] = confirmed(await findings(() => undefined, 'prod'), 'H1.no-matching-route');
    expect(f?.detail).toContain('existing stages: $default');
  });

  it('cannot rule out missing routes when the routes cannot be read', async () => {
    const [f] = rule(await findings((s) => (s.faults = [{ operation: 'apigatewayv2:GetRoutes', error: 'AccessDeniedException' }])), 'H1.no-matching-route');
    expect(f?.inconclusive).toBe(true);
    expect(f?.severity).toBe('low');
  });
});

describe('H3.changes-not-deployed', () => {
  const manualStage = (s: Obj) => {
    Object.assign(httpApi(s).stages[0], { AutoDeploy: false });
    delete httpApi(s).stages[0].LastDeploymentStatusMessage;
  };
  it('fires on a route change after the live deployment when auto-deploy is off', async () => {
    const list = await findings((s) => {
      manualStage(s);
      account(s).cloudtrail.events.push({ EventName: 'UpdateRoute', EventTime: '2024-04-30T08:00:00Z', CloudTrailEvent: { eventSource: 'apigateway.amazonaws.com', requestParameters: { apiId: API_ID, routeId: 'abc', authorizationType: 'NONE' } } });
    });
    expect(confirmed(list, 'H3.changes-not-deployed')[0]?.detail).toContain('UpdateRoute');
  });

  it('fires when the automatic deployment failed', async () => {
    const list = await findings((s) => (httpApi(s).stages[0].LastDeploymentStatusMessage = 'Deployment failed: integration int009 does not exist'));
    expect(confirmed(list, 'H3.changes-not-deployed')[0]?.detail).toContain('int009');
  });

  it('cannot rule out undeployed changes when CloudTrail is refused', async () => {
    const list = await findings((s) => {
      manualStage(s);
      s.faults = [{ operation: 'cloudtrail:LookupEvents', error: 'AccessDeniedException' }];
    });
    expect(rule(list, 'H3.changes-not-deployed')[0]?.inconclusive).toBe(true);
    expect(confirmed(list, 'HB.cloudtrail-refused')).toHaveLength(1);
  });
});

describe('H4.default-endpoint-disabled', () => {
  it('fires when no domain maps the API, and is low (not info) when one does but the logs cannot tell who used the default URL', async () => {
    expect(confirmed(await findings((s) => {
      httpApi(s).DisableExecuteApiEndpoint = true;
      account(s).apigatewayv2.domainNames = [];
    }), 'H4.default-endpoint-disabled')[0]?.severity).toBe('critical');
    const [f] = confirmed(await findings((s) => (httpApi(s).DisableExecuteApiEndpoint = true)), 'H4.default-endpoint-disabled');
    expect(f?.severity).toBe('low');
    expect(f?.detail).toContain('lacks $context.domainName');
  });

  /** The default URL disabled at 11:00 (UpdateApi), `onDefault` of `total` requests used it 10:00–11:00; only the custom domain after. */
  const disabledWhileUsed = (onDefault: number, total: number) => (s: Obj) => {
    httpApi(s).DisableExecuteApiEndpoint = true;
    const stage = httpApi(s).stages[0];
    stage.AccessLogSettings.Format = stage.AccessLogSettings.Format.replace(/}$/, ',"domainName":"$context.domainName"}');
    account(s).cloudtrail.events.push({ EventName: 'UpdateApi', EventTime: '2024-05-01T11:00:00Z', Username: 'platform-admin', CloudTrailEvent: { requestParameters: { apiId: API_ID, disableExecuteApiEndpoint: true } } });
    const route = [{ method: 'GET', path: '/orders', routeKey: 'GET /orders' }];
    const window = { start: '2024-05-01T10:00:00Z', end: '2024-05-01T11:00:00Z' };
    s.httpTraffic = [
      { ...traffic('$default', total - onDefault, route, [{ weight: 1, status: 200, context: { domainName: 'orders.shop.example.com' } }], 11), ...window },
      ...(onDefault ? [{ ...traffic('$default', onDefault, route, [{ weight: 1, status: 200 }], 12), ...window }] : []),
      { ...traffic('$default', 100, route, [{ weight: 1, status: 200, context: { domainName: 'orders.shop.example.com' } }], 13), start: '2024-05-01T11:00:00Z' },
    ];
  };

  it('is high when a third of the traffic still used the default URL before it was disabled, with the figure', async () => {
    const [f] = confirmed(await findings(disabledWhileUsed(100, 300)), 'H4.default-endpoint-disabled');
    expect(f).toMatchObject({ severity: 'high', title: 'The default execute-api endpoint was disabled while clients still used it' });
    expect(f?.detail).toContain('100 of 300 requests (33.3%) between 10:00 and 11:00 UTC');
    expect(f?.detail).toContain('by platform-admin (CloudTrail UpdateApi)');
    expect(f?.figures?.[0]).toMatchObject({ numerator: 100, denominator: 300, share: 1 / 3, exact: true, from: '2024-05-01T10:00:00.000Z', until: '2024-05-01T11:00:00.000Z' });
  });

  it('is medium at a few percent, low below the floor, info when nobody used it', async () => {
    expect(confirmed(await findings(disabledWhileUsed(15, 300)), 'H4.default-endpoint-disabled')[0]?.severity).toBe('medium');
    expect(confirmed(await findings(disabledWhileUsed(3, 300)), 'H4.default-endpoint-disabled')[0]?.severity).toBe('low');
    expect(confirmed(await findings(disabledWhileUsed(0, 300)), 'H4.default-endpoint-disabled')[0]?.severity).toBe('info');
  });

  it('cannot rule it out when the domains cannot be read', async () => {
    const list = await findings((s) => {
      httpApi(s).DisableExecuteApiEndpoint = true;
      s.faults = [{ operation: 'apigatewayv2:GetDomainNames', error: 'AccessDeniedException' }];
    });
    expect(rule(list, 'H4.default-endpoint-disabled')[0]?.inconclusive).toBe(true);
  });
});

describe('H6 and H8: custom domains', () => {
  it('H6 fires on a mapping to a stage the API does not have', async () => {
    const list = await findings((s) => account(s).apigatewayv2.domainNames[0].apiMappings.push({ ApiId: API_ID, Stage: 'v1', ApiMappingKey: 'v1' }));
    expect(confirmed(list, 'H6.api-mapping-wrong')[0]?.detail).toContain('stage v1');
  });

  it('H8 fires when DNS points at another domain\u2019s target and names it', async () => {
    const list = await findings((s) => {
      account(s).apigatewayv2.domainNames.push({ DomainName: 'old.example.com', DomainNameConfigurations: [{ ApiGatewayDomainName: 'd-old1.execute-api.us-east-1.amazonaws.com' }], apiMappings: [{ ApiId: 'r3st0ld001', Stage: 'prod' }] });
      s.dns.records['orders.shop.example.com'] = { cname: ['d-old1.execute-api.us-east-1.amazonaws.com'] };
    });
    const [f] = confirmed(list, 'H8.dns-points-elsewhere');
    expect(f?.detail).toContain('old.example.com');
    expect(f?.detail).toContain('r3st0ld001');
  });

  it('H8 cannot judge a domain whose target does not resolve either: inconclusive, never "does not resolve"', async () => {
    const list = await findings((s) => {
      s.dns.records = {};
    });
    expect(confirmed(list, 'H8.dns-points-elsewhere')).toEqual([]);
    expect(rule(list, 'H8.dns-points-elsewhere')[0]).toMatchObject({ severity: 'low', inconclusive: true });
  });
});

describe('authorizers', () => {
  const lambdaAuthorizer = (s: Obj, extra: Obj = {}) => {
    httpApi(s).authorizers.push({ AuthorizerId: 'lam1', Name: 'gate', AuthorizerType: 'REQUEST', IdentitySource: ['$request.header.Authorization'], AuthorizerUri: 'arn:aws:lambda:us-east-1:111111111111:function:gate', AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, ...extra });
    httpApi(s).routes[0] = { ...httpApi(s).routes[0], AuthorizationType: 'CUSTOM', AuthorizerId: 'lam1' };
    account(s).lambda.functions.push({ FunctionName: 'gate', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:111111111111:${API_ID}/authorizers/lam1` } } }] } });
  };

  it('H10 fires on an empty audience and on 401s of JWT routes, naming the failed check', async () => {
    const list = await findings((s) => {
      s.httpTraffic.push(traffic('$default', 50, [{ method: 'POST', path: '/orders', routeKey: 'POST /orders' }], [{ weight: 1, status: 401, context: { 'authorizer.error': 'the token has expired' } }]));
    });
    expect(confirmed(list, 'H10.jwt-rejected')[0]?.detail).toContain('has expired (exp)');
    const config = await findings((s) => (httpApi(s).authorizers[0].JwtConfiguration.Audience = []));
    expect(confirmed(config, 'H10.jwt-rejected')[0]?.detail).toContain('Audience list is empty');
  });

  it('H13 fires when the Lambda authorizer denies a large share, H12 on 401s, H14 on 500s', async () => {
    const route = [{ method: 'GET', path: '/orders', routeKey: 'GET /orders' }];
    const denies = await findings((s) => {
      lambdaAuthorizer(s, { AuthorizerResultTtlInSeconds: 300 });
      s.httpTraffic.push(traffic('$default', 200, route, [{ weight: 1, status: 403, context: { 'authorizer.error': 'Forbidden', 'error.responseType': 'ACCESS_DENIED' } }]));
    });
    expect(confirmed(denies, 'H13.lambda-authorizer-denies')[0]?.detail).toContain('cached 300 s');
    const missing = await findings((s) => {
      lambdaAuthorizer(s);
      s.httpTraffic.push(traffic('$default', 60, route, [{ weight: 1, status: 401 }]));
    });
    expect(confirmed(missing, 'H12.authorizer-identity-missing')[0]?.detail).toContain('$request.header.Authorization');
    const broken = await findings((s) => {
      lambdaAuthorizer(s, { EnableSimpleResponses: false });
      s.httpTraffic.push(traffic('$default', 60, route, [{ weight: 1, status: 500, context: { 'authorizer.error': 'Unexpected token' } }]));
    });
    expect(confirmed(broken, 'H14.lambda-authorizer-invalid-response')[0]?.detail).toContain('IAM policy response');
  });

  it('H14 fires when the authorizer function lacks an invoke permission for its authorizer ARN', async () => {
    const list = await findings((s) => {
      lambdaAuthorizer(s);
      account(s).lambda.functions.at(-1).policy.Statement[0].Condition.ArnLike['AWS:SourceArn'] = `arn:aws:execute-api:us-east-1:111111111111:${API_ID}/*/GET/orders`;
    });
    expect(confirmed(list, 'H14.authorizer-not-invokable')[0]?.fix).toContain(`${API_ID}/authorizers/lam1`);
  });

  it('a refused authorizer list leaves the integration functions checked: H18 still fires, H14 cannot rule out', async () => {
    const list = await findings((s) => {
      lambdaAuthorizer(s);
      s.faults = [{ operation: 'apigatewayv2:GetAuthorizers', error: 'AccessDeniedException' }];
      // orders-read allows another API only.
      account(s).lambda.functions[0].policy.Statement[0].Condition.ArnLike['AWS:SourceArn'] = 'arn:aws:execute-api:us-east-1:111111111111:zzzzzzzzzz/*/*';
    });
    expect(confirmed(list, 'H18.lambda-permission-missing')[0]?.detail).toContain('orders-read');
    expect(rule(list, 'H14.authorizer-not-invokable')[0]).toMatchObject({ inconclusive: true, severity: 'low' });
  });
});

describe('CORS', () => {
  it('H16 fires for an authorized ANY route catching preflight, not once an open OPTIONS route exists', async () => {
    const anyRoute = (s: Obj) => (httpApi(s).routes = [{ RouteKey: 'ANY /{proxy+}', AuthorizationType: 'JWT', AuthorizerId: 'jwt001', Target: 'integrations/int001' }]);
    expect(confirmed(await findings(anyRoute), 'H16.cors-preflight-authorized')[0]?.severity).toBe('medium');
    const fixed = await findings((s) => {
      anyRoute(s);
      httpApi(s).routes.push({ RouteKey: 'OPTIONS /{proxy+}', AuthorizationType: 'NONE' });
    });
    expect(rule(fixed, 'H16.cors-preflight-authorized')).toEqual([]);
  });

  it('H17 fires when a route method or the authorization header is not allowed', async () => {
    const list = await findings((s) => {
      httpApi(s).CorsConfiguration.AllowMethods = ['GET', 'POST'];
      httpApi(s).CorsConfiguration.AllowHeaders = ['content-type'];
      httpApi(s).routes.push({ RouteKey: 'DELETE /orders/{id}', Target: 'integrations/int002' });
    });
    const [f] = confirmed(list, 'H17.cors-config-mismatch');
    expect(f?.detail).toContain('DELETE');
    expect(f?.detail).toContain('authorization');
  });
});

describe('integrations', () => {
  it('H18 fires on a policy for another source ARN; an integration role makes it moot', async () => {
    const noPermission = (s: Obj) => (account(s).lambda.functions[0].policy.Statement = []);
    expect(confirmed(await findings(noPermission), 'H18.lambda-permission-missing')).toHaveLength(1);
    expect(rule(await findings((s) => {
      noPermission(s);
      httpApi(s).integrations[0].CredentialsArn = 'arn:aws:iam::111111111111:role/apigw-invoke';
    }), 'H18.lambda-permission-missing')).toEqual([]);
  });

  it('H19 fires when a 1.0 integration\u2019s function reads 2.0 fields', async () => {
    const list = await findings((s) => {
      httpApi(s).integrations[0].PayloadFormatVersion = '1.0';
      account(s).logs.groups.push({ logGroupName: '/aws/lambda/orders-read', events: [0, 1, 2].map((i) => ({ timestamp: Date.parse('2024-05-01T11:00:00Z') + i * 1000, message: `2024-05-01T11:00:0${i}Z\tabc\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'method')","stack":["at handler (/var/task/index.js:3:40) event.requestContext.http.method"]}` })) });
    });
    expect(confirmed(list, 'H19.payload-format-mismatch')[0]?.fix).toContain('--payload-format-version 2.0');
  });

  it('H19 fires after a payload-format switch followed by 5xx, even when the errors name no field', async () => {
    const list = await findings((s) => {
      account(s).cloudtrail.events.push({ EventName: 'UpdateIntegration', EventTime: '2024-05-01T10:30:00Z', CloudTrailEvent: { eventSource: 'apigateway.amazonaws.com', requestParameters: { apiId: API_ID, integrationId: 'int001', payloadFormatVersion: '2.0' } } });
      s.httpTraffic.push(traffic('$default', 60, [{ method: 'GET', path: '/orders', routeKey: 'GET /orders' }], [{ weight: 1, status: 500, context: { 'error.message': 'Internal Server Error' } }], 9));
      s.httpTraffic[s.httpTraffic.length - 1].start = '2024-05-01T10:31:00Z';
    });
    expect(confirmed(list, 'H19.payload-format-mismatch')[0]?.detail).toContain('since the integration was switched to 2.0');
  });

  it('H21 counts 503s as timeouts on a route whose function outlasts its integration', async () => {
    const list = await findings((s) => {
      account(s).lambda.functions[0].Timeout = 60;
      s.httpTraffic.push(traffic('$default', 30, [{ method: 'GET', path: '/orders', routeKey: 'GET /orders' }], [{ weight: 1, status: 503 }]));
    });
    expect(confirmed(list, 'H21.integration-timeout')[0]?.detail).toContain('orders-read may run 60 s');
  });

  it('H4 does not count a mapped domain whose DNS points elsewhere', async () => {
    const list = await findings((s) => {
      httpApi(s).DisableExecuteApiEndpoint = true;
      s.dns.records['orders.shop.example.com'] = { cname: ['d-other.execute-api.us-east-1.amazonaws.com'] };
    });
    expect(confirmed(list, 'H4.default-endpoint-disabled')[0]?.severity).toBe('critical');
    expect(confirmed(list, 'H8.dns-points-elsewhere')).toHaveLength(1);
  });

  it('H21 fires on 503s at the integration timeout', async () => {
    const list = await findings((s) => s.httpTraffic.push(traffic('$default', 30, [{ method: 'GET', path: '/orders', routeKey: 'GET /orders' }], [{ weight: 1, status: 503, context: { 'integration.latency': 10000 } }])));
    expect(confirmed(list, 'H21.integration-timeout')).toHaveLength(1);
  });

  it('H24 fires on a zero route throttle and on a large share of 429s', async () => {
    expect(confirmed(await findings((s) => (httpApi(s).stages[0].RouteSettings = { 'POST /orders': { ThrottlingBurstLimit: 0, ThrottlingRateLimit: 0 } })), 'H24.throttled')[0]?.detail).toContain('POST /orders');
    const list = await findings((s) => s.httpTraffic.push(traffic('$default', 80, [{ method: 'GET', path: '/orders', routeKey: 'GET /orders' }], [{ weight: 1, status: 429 }])));
    expect(confirmed(list, 'H24.throttled')[0]?.severity).toBe('high');
  });
});

describe('private integrations', () => {
  const privateRoute = (s: Obj, egress?: unknown[]) => {
    httpApi(s).integrations.push({ IntegrationId: 'int9', IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/alb/1/2', ConnectionType: 'VPC_LINK', ConnectionId: 'vl1' });
    httpApi(s).routes.push({ RouteKey: 'GET /inventory', Target: 'integrations/int9' });
    account(s).apigatewayv2.vpcLinks = [{ VpcLinkId: 'vl1', SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] }];
    account(s).ec2 = { securityGroups: [{ GroupId: 'sg-1', ...(egress ? { IpPermissionsEgress: egress } : {}) }] };
  };

  it('H23 fires when the link’s groups let no TCP out', async () => {
    expect(confirmed(await findings((s) => privateRoute(s, [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.2/32' }] }])), 'H23.vpc-link-sg-blocks')).toHaveLength(1);
  });

  it('H23 cannot rule out the targets refusing the link when its routes fail and the link looks fine', async () => {
    const list = await findings((s) => {
      privateRoute(s);
      s.httpTraffic.push(traffic('$default', 40, [{ method: 'GET', path: '/inventory', routeKey: 'GET /inventory' }], [{ weight: 1, status: 503 }]));
    });
    const [f] = rule(list, 'H23.vpc-link-sg-blocks');
    expect(f?.inconclusive).toBe(true);
    expect(f?.fix).toContain('sg-1');
    expect(list.filter((x) => x.severity !== 'low' && x.severity !== 'info')).toEqual([]);
  });
});

describe('blind spots', () => {
  it('say when access logging is off or the format lacks the error fields', async () => {
    expect(confirmed(await findings((s) => delete httpApi(s).stages[0].AccessLogSettings), 'HB.access-logs-off')).toHaveLength(1);
    expect(confirmed(await findings((s) => (httpApi(s).stages[0].AccessLogSettings.Format = 'HTTP_CLF')), 'HB.access-log-not-diagnostic')[0]?.detail).toContain('$context.integrationErrorMessage');
  });
});
