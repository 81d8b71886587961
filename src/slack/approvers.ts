import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { isAlarmRequester } from '../core/alarm.js';

/**
 * Who may send a bundle to a model: the person who asked, a configured approver, or a member of
 * the approver user group (read live, so group changes apply at once); for an investigation an
 * alarm started, anyone in its channel when `alarms.approval` is `channel` (the default).
 */
export async function canApprove(user: string, requester: string, slack: Config['slack'], client: WebClient, alarmApproval: Config['alarms']['approval'] = 'approvers'): Promise<boolean> {
  if (user === requester || slack.approvers.includes(user)) return true;
  // Nobody asked for an alarm's investigation: whoever is in its channel may (charged to them).
  if (isAlarmRequester(requester) && alarmApproval === 'channel') return true;
  if (!slack.approverGroup) return false;
  const members = await client.usergroups.users.list({ usergroup: slack.approverGroup });
  return (members.users ?? []).includes(user);
}
