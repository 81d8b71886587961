import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { itemsOf, text } from '../record.js';

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
      for (const item of call.operation === 'GetRestApi' ? [out] : itemsOf(out, 'items')) {
        const id = text(item.id);
        if (id) w.put(account, api(id), item);
      }
      return;
    case 'GetAccount':
      w.put(account, ['apigateway', 'account'], out);
      return;
    case 'GetStages':
    case 'GetStage':
      if (!apiId) return;
      for (const stage of call.operation === 'GetStage' ? [out] : itemsOf(out, 'item')) {
        const stageName = text(stage.stageName);
        if (stageName) w.put(account, [...api(apiId), 'stages', { stageName }], stage);
      }
      return;
    case 'GetDeployment': {
      const id = text(out.id);
      if (apiId && id) w.put(account, [...api(apiId), 'deployments', { id }], out);
      return;
    }
    case 'GetResources':
      if (!apiId) return;
      for (const resource of itemsOf(out, 'items')) {
        const id = text(resource.id);
        if (id) w.put(account, [...api(apiId), 'resources', { id }], resource);
      }
      return;
    case 'GetAuthorizers':
      if (!apiId) return;
      for (const authorizer of itemsOf(out, 'items')) {
        const id = text(authorizer.id);
        if (id) w.put(account, [...api(apiId), 'authorizers', { id }], authorizer);
      }
      return;
    case 'GetGatewayResponses':
      if (!apiId) return;
      for (const response of itemsOf(out, 'items')) {
        const responseType = text(response.responseType);
        if (responseType) w.put(account, [...api(apiId), 'gatewayResponses', { responseType }], response);
      }
      return;
    case 'GetDomainNames':
      for (const domain of itemsOf(out, 'items')) {
        const domainName = text(domain.domainName);
        if (domainName) w.put(account, ['apigateway', 'domainNames', { domainName }], domain);
      }
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
      for (const deployment of itemsOf(out, 'items')) {
        const id = text(deployment.id);
        if (id) w.put(account, [...api(apiId), 'deployments', { id }], deployment);
      }
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
    case 'GetUsagePlans':
      for (const plan of itemsOf(out, 'items')) {
        const id = text(plan.id);
        if (id) w.put(account, ['apigateway', 'usagePlans', { id }], plan);
      }
      return;
  }
}
