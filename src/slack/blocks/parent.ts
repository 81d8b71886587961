import type { Target } from '../../core/target.js';
import { describeTarget } from '../../core/target.js';
import { context, escapeMrkdwn, mention, section, slackDate, type SlackMessage } from './kit.js';

export interface ParentView {
  target: Target;
  window: { since: Date; until: Date };
  requester: string;
  /** `aws` or `sandbox:<name>`: a sandbox run must never look like production. */
  origin: string;
  investigationId: string;
}

/** The message in the channel: what is being looked at, for which window, and who asked. */
export function parentMessage(view: ParentView): SlackMessage {
  const what = describeTarget(view.target);
  const sandbox = view.origin.startsWith('sandbox:') ? ` · :test_tube: ${escapeMrkdwn(view.origin)}` : '';
  return {
    text: `Troubleshooting ${what} for ${mention(view.requester)}`,
    blocks: [
      section(`:mag: *Troubleshooting ${escapeMrkdwn(what)}*\nWindow: ${slackDate(view.window.since)} → ${slackDate(view.window.until)}`),
      context(`Asked by ${mention(view.requester)} · investigation \`${view.investigationId}\`${sandbox} · details in the thread`),
    ],
  };
}
