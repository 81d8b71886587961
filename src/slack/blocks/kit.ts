import type { types } from '@slack/bolt';

/**
 * Small pure helpers every renderer uses. Slack's limits (3,000 chars a section text, 2,000 a
 * field, 75 a button label, 150 a header, 50 blocks a message) are enforced here, by truncating
 * with a visible ellipsis, so no renderer can produce a message Slack rejects.
 */
export type Block = types.KnownBlock;
export type ModalView = types.ModalView;

export interface SlackMessage {
  /** Plain-text fallback: notifications and screen readers. */
  text: string;
  blocks: Block[];
}

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3_000;
export const MAX_FIELD_TEXT = 2_000;
export const MAX_BUTTON_TEXT = 75;
export const MAX_HEADER_TEXT = 150;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Escapes the three characters mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, MAX_HEADER_TEXT), emoji: true } };
}

export function section(text: string, blockId?: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, MAX_SECTION_TEXT) }, ...(blockId ? { block_id: blockId } : {}) };
}

export function fields(items: string[]): Block {
  return { type: 'section', fields: items.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, MAX_FIELD_TEXT) })) };
}

export function context(...texts: string[]): Block {
  return { type: 'context', elements: texts.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: truncate(text, MAX_SECTION_TEXT) })) };
}

export function button(options: { text: string; actionId: string; value: string; style?: 'primary' | 'danger' }): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(options.text, MAX_BUTTON_TEXT), emoji: true },
    action_id: options.actionId,
    value: options.value,
    ...(options.style ? { style: options.style } : {}),
  };
}

/**
 * Packs lines into as few section blocks as the 3,000-char limit allows, at most `maxBlocks`;
 * lines that do not fit are counted in a closing "… and N more" line so nothing vanishes silently.
 */
export function packLines(lines: string[], maxBlocks: number, moreLabel: (n: number) => string): Block[] {
  const budget = MAX_SECTION_TEXT - 100;
  const texts: string[] = [];
  let current = '';
  let placed = 0;
  for (const raw of lines) {
    const line = truncate(raw, budget);
    if (current && current.length + 1 + line.length > budget) {
      if (texts.length + 1 >= maxBlocks) break;
      texts.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
    placed++;
  }
  if (current) texts.push(current);
  const left = lines.length - placed;
  if (left > 0) {
    const last = texts.length - 1;
    texts[last] = `${texts[last]}\n${moreLabel(left)}`;
  }
  return texts.map((text) => section(text));
}

/** Slack renders `<!date^…>` in the reader's own timezone, with a fallback for old clients. */
export function slackDate(date: Date, format = '{date_short_pretty} {time}'): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${date.toISOString()}>`;
}

export function mention(userId: string): string {
  return `<@${userId}>`;
}
