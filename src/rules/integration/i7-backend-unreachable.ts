import { evidenceOf } from '../helpers.js';
import { defineLogCauseRule } from './log-cause-rule.js';

/**
 * I7: API Gateway cannot reach the backend (VPC link target unhealthy, NLB without listeners, DNS
 * or TLS failure on an HTTP integration): 504 "Network error communicating with endpoint".
 */
export const i7BackendUnreachable = defineLogCauseRule({
  id: 'I7.backend-unreachable',
  severity: 'high',
  title: 'API Gateway cannot reach the integration backend',
  what: 'Network errors reaching the backend (504)',
  signatures: ['network-error'],
  sources: ['logs.execution', 'logs.access'],
  cannotRuleOut: 'an unreachable backend (no execution or access logs)',
  explain: (_counts, input) => {
    const backends = (evidenceOf(input, 'apigw.resources') ?? []).filter((m) => m.integration && !m.integration.lambdaArn && m.integration.type !== 'MOCK');
    const vpcLink = backends.filter((m) => m.integration?.connectionType === 'VPC_LINK');
    return {
      detail: `Callers get 504 "Network error communicating with endpoint".${backends.length ? ` Backends: ${backends.slice(0, 4).map((m) => `${m.httpMethod} ${m.path} → ${m.integration?.uri ?? '?'}${m.integration?.connectionType === 'VPC_LINK' ? ' (VPC link)' : ''}`).join('; ')}.` : ''}`,
      evidence: backends.slice(0, 3).map((m) => ({ source: 'apigw.resources', key: `${m.httpMethod} ${m.path}`, quote: `${m.integration?.type} ${m.integration?.uri ?? ''}${m.integration?.connectionType ? ` ${m.integration.connectionType}` : ''}` })),
      fix: vpcLink.length
        ? 'Check the VPC link status and the NLB target group health (targets healthy, listener on the integration port, security groups admitting the NLB).'
        : 'Check that the integration endpoint resolves and accepts TLS connections from the internet (certificate chain valid, port open).',
    };
  },
});
