import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { eachWithId, itemsOf, text } from '../record.js';

/**
 * API Gateway (REST) answers into the scenario's `apigateway` section: each answer lands where the
 * sandbox answers the same call from (docs/scenarios.md), field for field.
 */
export function writeApigwAnswer(call: CapturedCall, w: ScenarioWriter): void {
  if (call.service !== 'apigateway' || !call.output) return;
  const out = call.output;
  const account = call.accountId;
  const apiId = text(call.input.restApiId);
  const api = (id: string) => ['apigateway', 'restApis', { id }] as const;
  switch (call.operation) {
    case 'GetRestApi':
    case 'GetRestApis':
      eachWithId(call.operation === 'GetRestApi' ? [out] : itemsOf(out, 'items'), 'id', (id, item) => w.put(account, api(id), item));
      return;
    case 'GetAccount':
      w.put(account, ['apigateway', 'account'], out);
      return;
    case 'GetStages':
    case 'GetStage':
      if (!apiId) return;
      eachWithId(call.operation === 'GetStage' ? [out] : itemsOf(out, 'item'), 'stageName', (stageName, item) => w.put(account, [...api(apiId), 'stages', { stageName }], item));
      return;
    case 'GetDeployment': {
      const id = text(out.id);
      if (apiId && id) w.put(account, [...api(apiId), 'deployments', { id }], out);
      return;
    }
    case 'GetResources':
      if (!apiId) return;
      eachWithId(itemsOf(out, 'items'), 'id', (id, item) => w.put(account, [...api(apiId), 'resources', { id }], item));
      return;
    case 'GetAuthorizers':
      if (!apiId) return;
      eachWithId(itemsOf(out, 'items'), 'id', (id, item) => w.put(account, [...api(apiId), 'authorizers', { id }], item));
      return;
    case 'GetGatewayResponses':
      if (!apiId) return;
      eachWithId(itemsOf(out, 'items'), 'responseType', (responseType, item) => w.put(account, [...api(apiId), 'gatewayResponses', { responseType }], item));
      return;
    case 'GetDomainNames':
      eachWithId(itemsOf(out, 'items'), 'domainName', (domainName, item) => w.put(account, ['apigateway', 'domainNames', { domainName }], item));
      return;
    case 'GetBasePathMappings': {
      const domainName = text(call.input.domainName);
      if (!domainName) return;
      for (const mapping of itemsOf(out, 'items')) {
        w.put(account, ['apigateway', 'domainNames', { domainName }, 'basePathMappings', { basePath: text(mapping.basePath) ?? '(none)' }], mapping);
      }
      return;
    }
    case 'GetDeployments':
      if (!apiId) return;
      eachWithId(itemsOf(out, 'items'), 'id', (id, item) => w.put(account, [...api(apiId), 'deployments', { id }], item));
      return;
    case 'GetUsagePlanKeys': {
      const usagePlanId = text(call.input.usagePlanId);
      if (!usagePlanId) return;
      w.put(account, ['apigateway', 'usagePlans', { id: usagePlanId }], {});
      for (const key of itemsOf(out, 'items')) {
        const id = text(key.id);
        // A key's value is a secret: only its last 4 characters (what execution logs print) are kept.
        const value = text(key.value);
        if (id) w.put(account, ['apigateway', 'usagePlans', { id: usagePlanId }, 'keys', { id }], { ...key, ...(value ? { value: `${'*'.repeat(Math.max(4, value.length - 4))}${value.slice(-4)}` } : {}) });
      }
      return;
    }
    case 'GetVpcLink':
      // v1 links (to a network load balancer), as WebSocket and REST private integrations use them.
      eachWithId([out], 'id', (id, item) => w.put(account, ['apigateway', 'vpcLinks', { id }], item));
      return;
    case 'GetUsagePlans':
      eachWithId(itemsOf(out, 'items'), 'id', (id, item) => w.put(account, ['apigateway', 'usagePlans', { id }], item));
      return;
  }
}
