import { SHORTCUT_INPUT, VIEW } from './ids.js';
import { context, section, type Block, type ModalView } from './kit.js';

export interface ShortcutModalView {
  target?: string;
  stage?: string;
  since: string;
  until?: string;
  /** What the message said, for the person to check against. */
  found: string;
  /** The channel the message is in: where the investigation is posted. */
  channel: string;
}

function input(block: { block: string; action: string }, label: string, initial: string | undefined, options: { optional?: boolean; placeholder?: string } = {}): Block {
  return {
    type: 'input',
    block_id: block.block,
    ...(options.optional ? { optional: true } : {}),
    label: { type: 'plain_text', text: label },
    element: {
      type: 'plain_text_input',
      action_id: block.action,
      ...(initial ? { initial_value: initial } : {}),
      ...(options.placeholder ? { placeholder: { type: 'plain_text', text: options.placeholder } } : {}),
    },
  } as Block;
}

/** "Troubleshoot this": what was read from the message, to confirm or correct before anything runs. */
export function shortcutModal(view: ShortcutModalView): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.troubleshootThis,
    private_metadata: JSON.stringify({ channel: view.channel }),
    title: { type: 'plain_text', text: 'Troubleshoot this' },
    submit: { type: 'plain_text', text: 'Investigate' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(view.found),
      input(SHORTCUT_INPUT.target, 'API', view.target, { placeholder: 'id, invoke URL, custom domain, name or console link' }),
      input(SHORTCUT_INPUT.stage, 'Stage', view.stage, { optional: true, placeholder: 'every stage when empty' }),
      input(SHORTCUT_INPUT.since, 'Window length', view.since, { placeholder: '30m, 2h, 3d' }),
      input(SHORTCUT_INPUT.until, 'Window end', view.until, { optional: true, placeholder: 'now, or 2026-11-23T10:00:00Z' }),
      context('Zero tokens: the rules run first; a model is asked only when someone approves its price.'),
    ],
  };
}
