import type { types } from '@slack/bolt';
import { CONTEXT_INPUT, VIEW } from './ids.js';
import { section, truncate, type Block, type ModalView } from './kit.js';

export interface ContextModalView {
  /** Carried back on submit: the investigation id and where its action message is. */
  privateMetadata: string;
  /** Section names of the current bundle, e.g. `findings`, `coverage`, `logs.execution`. */
  sections: string[];
  selected: string[];
  budgets: string[];
  budget: string;
  context?: string;
}

const MAX_CHECKBOX_OPTIONS = 10;

function option(value: string): types.Option {
  return { text: { type: 'plain_text', text: truncate(value, 75) }, value: truncate(value, 150) };
}

/**
 * Add context: free text, which bundle sections to send and the budget size. Checkboxes hold at most
 * 10 options, so sections are split across several checkbox groups when there are more.
 */
export function contextModal(view: ContextModalView): ModalView {
  const blocks: Block[] = [
    section('What you add is redacted like the rest, sent in its own section right after the findings, and changes the estimate.'),
    {
      type: 'input',
      block_id: CONTEXT_INPUT.text.block,
      optional: true,
      label: { type: 'plain_text', text: 'Context for the model' },
      element: {
        type: 'plain_text_input',
        action_id: CONTEXT_INPUT.text.action,
        multiline: true,
        max_length: 2_000,
        placeholder: { type: 'plain_text', text: 'e.g. started after the 10:05 deploy; only mobile clients fail' },
        ...(view.context ? { initial_value: view.context } : {}),
      },
    },
  ];
  const groups: string[][] = [];
  for (let i = 0; i < view.sections.length; i += MAX_CHECKBOX_OPTIONS) groups.push(view.sections.slice(i, i + MAX_CHECKBOX_OPTIONS));
  groups.slice(0, 80).forEach((group, i) => {
    const initial = group.filter((name) => view.selected.includes(name)).map(option);
    blocks.push({
      type: 'input',
      block_id: `${CONTEXT_INPUT.sections.block}_${i}`,
      optional: true,
      label: { type: 'plain_text', text: i === 0 ? 'Sections to include' : 'More sections' },
      element: {
        type: 'checkboxes',
        action_id: CONTEXT_INPUT.sections.action,
        options: group.map(option),
        ...(initial.length ? { initial_options: initial } : {}),
      },
    });
  });
  blocks.push({
    type: 'input',
    block_id: CONTEXT_INPUT.budget.block,
    label: { type: 'plain_text', text: 'Budget' },
    element: {
      type: 'radio_buttons',
      action_id: CONTEXT_INPUT.budget.action,
      options: view.budgets.map(option),
      ...(view.budgets.includes(view.budget) ? { initial_option: option(view.budget) } : {}),
    },
  });
  return {
    type: 'modal',
    callback_id: VIEW.context,
    private_metadata: view.privateMetadata,
    title: { type: 'plain_text', text: 'Add context' },
    submit: { type: 'plain_text', text: 'Update estimate' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

export interface ContextChoices {
  context: string;
  sections: string[];
  budget?: string;
}

type ViewState = Record<string, Record<string, { value?: string | null; selected_options?: { value: string }[] | null; selected_option?: { value: string } | null }>>;

/** Reads the submitted modal back into choices (the inverse of `contextModal`). */
export function readContextChoices(values: ViewState): ContextChoices {
  const text = values[CONTEXT_INPUT.text.block]?.[CONTEXT_INPUT.text.action]?.value ?? '';
  const sections: string[] = [];
  for (const [blockId, actions] of Object.entries(values)) {
    if (!blockId.startsWith(`${CONTEXT_INPUT.sections.block}_`)) continue;
    for (const selected of actions[CONTEXT_INPUT.sections.action]?.selected_options ?? []) sections.push(selected.value);
  }
  const budget = values[CONTEXT_INPUT.budget.block]?.[CONTEXT_INPUT.budget.action]?.selected_option?.value;
  return { context: text.trim(), sections, ...(budget ? { budget } : {}) };
}

/**
 * Opened at once on the click, because the trigger id expires 3 s after it; the real modal replaces
 * it (`views.update`) once the investigation has been read.
 */
export function loadingModal(): ModalView {
  return {
    type: 'modal',
    callback_id: `${VIEW.context}_loading`,
    title: { type: 'plain_text', text: 'Add context' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [section(':hourglass_flowing_sand: Loading the investigation…')],
  };
}

/** What the opened modal shows instead of the form when there is nothing to add context to. */
export function noticeModal(text: string): ModalView {
  return {
    type: 'modal',
    callback_id: `${VIEW.context}_notice`,
    title: { type: 'plain_text', text: 'Add context' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(text)],
  };
}

/** The block that carries the error when no section is ticked (Slack shows it under that block). */
export const FIRST_SECTIONS_BLOCK = `${CONTEXT_INPUT.sections.block}_0`;
