import { SHORTCUT_INPUT, VIEW } from './ids.js';
import { context, section, type Block, type ModalView } from './kit.js';

export interface ShortcutModalView {
  target?: string;
  stage?: string;
  region?: string;
  since: string;
  until?: string;
  /** What the message said and what the reads confirmed, for the person to check against. */
  found: string;
  /** Where the investigation is posted: the message's channel, in the message's thread. */
  channel: string;
  threadTs?: string;
}

/** Where the confirmed investigation goes, carried by the modal from the shortcut to its submission. */
export interface ShortcutOrigin {
  channel: string;
  threadTs?: string;
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
      ...(initial ? { initial_value: initial.slice(0, 3_000) } : {}),
      ...(options.placeholder ? { placeholder: { type: 'plain_text', text: options.placeholder } } : {}),
    },
  } as Block;
}

function origin(view: Pick<ShortcutModalView, 'channel' | 'threadTs'>): string {
  const meta: ShortcutOrigin = { channel: view.channel, ...(view.threadTs ? { threadTs: view.threadTs } : {}) };
  return JSON.stringify(meta);
}

/** The same modal throughout (one callback, one origin), first loading, then the form. */
function frame(view: Pick<ShortcutModalView, 'channel' | 'threadTs'>, blocks: Block[], submit?: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.troubleshootThis,
    private_metadata: origin(view),
    title: { type: 'plain_text', text: 'Troubleshoot this' },
    ...(submit ? { submit: { type: 'plain_text', text: submit } } : {}),
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** Opened at once (the trigger lasts 3 s) while the message is read and its candidates checked. */
export function shortcutLoadingModal(view: Pick<ShortcutModalView, 'channel' | 'threadTs'>): ModalView {
  return frame(view, [section(':hourglass_flowing_sand: Reading the message and checking the API it names (read-only)…')]);
}

/** "Troubleshoot this": what was read from the message, to confirm or correct before anything runs. */
export function shortcutModal(view: ShortcutModalView): ModalView {
  return frame(
    view,
    [
      section(view.found),
      input(SHORTCUT_INPUT.target, 'API', view.target, { placeholder: 'id, invoke URL, custom domain, name or console link' }),
      input(SHORTCUT_INPUT.stage, 'Stage', view.stage, { optional: true, placeholder: 'every stage when empty' }),
      input(SHORTCUT_INPUT.since, 'Window length', view.since, { placeholder: '30m, 2h, 3d' }),
      input(SHORTCUT_INPUT.until, 'Window end', view.until, { optional: true, placeholder: 'now, or 2026-11-23T10:00:00Z' }),
      input(SHORTCUT_INPUT.region, 'Region', view.region, { optional: true, placeholder: 'the default region when empty' }),
      context('Zero tokens: the rules run first; a model is asked only when someone approves its price. The results go in the thread of the message.'),
    ],
    'Investigate',
  );
}
