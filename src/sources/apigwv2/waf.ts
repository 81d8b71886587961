import { defineSource } from '../types.js';

/** AWS WAF web ACLs attach to REST API stages only (DG http-api-vs-rest): HTTP and WebSocket APIs say so. */
export const httpWebAclSource = defineSource({
  id: 'waf.web-acl',
  title: 'WAF web ACL',
  dependsOn: [],
  calls: { chain: 0, why: 'HTTP and WebSocket APIs have no WAF association: no AWS call' },
  async run(ctx) {
    return {
      status: 'not_applicable',
      evidence: [],
      reason: `${ctx.target.apiType === 'WEBSOCKET' ? 'WebSocket' : 'HTTP'} APIs do not support AWS WAF web ACLs (put WAF on a CloudFront distribution or ALB in front instead)`,
    };
  },
});
