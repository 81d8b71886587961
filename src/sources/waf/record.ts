import type { CapturedCall, ScenarioWriter } from '../../core/recording.js';
import { text, type Json } from '../record.js';

/** GetWebACL's web ACL (with its ARN) into the scenario's `wafv2.webAcls`. */
export function writeWafAnswer(call: CapturedCall, w: ScenarioWriter): void {
  if (call.service !== 'wafv2' || call.operation !== 'GetWebACL' || !call.output) return;
  const acl = call.output.WebACL as Json | undefined;
  const Id = text(acl?.Id);
  if (acl && Id) w.put(call.accountId, ['wafv2', 'webAcls', { Id }], acl);
}
