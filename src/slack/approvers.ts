import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';

/**
 * Who may send a bundle to a model: the person who asked, a configured approver, or a member of
 * the approver user group (read live, so group changes apply at once).
 */
export async function canApprove(user: string, requester: string, slack: Config['slack'], client: WebClient): Promise<boolean> {
  if (user === requester || slack.approvers.includes(user)) return true;
  if (!slack.approverGroup) return false;
  const members = await client.usergroups.users.list({ usergroup: slack.approverGroup });
  return (members.users ?? []).includes(user);
}
