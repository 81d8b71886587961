import { defineSource } from '../types.js';

/** AWS WAF web ACLs attach to REST API stages only (DG http-api-vs-rest). */
export const httpWebAclSource = defineSource({
  id: 'waf.web-acl',
  title: 'WAF web ACL',
  dependsOn: [],
  calls: { chain: 0, why: 'HTTP APIs have no WAF association: no AWS call' },
  async run() {
    return { status: 'not_applicable', evidence: [], reason: 'HTTP APIs do not support AWS WAF web ACLs (put WAF on a CloudFront distribution or ALB in front instead)' };
  },
});
