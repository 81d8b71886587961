/** Action, view and block ids: the contract between the renderers and the listeners. */
export const ACTION = {
  addContext: 'firebreak_add_context',
  analyze: 'firebreak_analyze',
  analyzeLarge: 'firebreak_analyze_large',
  /** After an answer reused for the same incident: analyse anew, past the cache. */
  analyzeFresh: 'firebreak_analyze_fresh',
  analyzeLargeFresh: 'firebreak_analyze_large_fresh',
  download: 'firebreak_download',
  /** Under the problems-first coverage message: every row, to the clicker. */
  coverageTable: 'firebreak_coverage_table',
  /** Under an answer: 👍 right, 👎 wrong (then a modal for the real cause). */
  feedbackRight: 'firebreak_feedback_right',
  feedbackWrong: 'firebreak_feedback_wrong',
} as const;

export const VIEW = {
  context: 'firebreak_context',
  feedback: 'firebreak_feedback',
  troubleshootThis: 'firebreak_troubleshoot_this_modal',
} as const;

/** The message shortcut (manifest `features.shortcuts`). */
export const SHORTCUT = { troubleshootThis: 'firebreak_troubleshoot_this' } as const;

/** The inputs of the "Troubleshoot this" confirmation modal. */
export const SHORTCUT_INPUT = {
  target: { block: 'shortcut_target', action: 'value' },
  stage: { block: 'shortcut_stage', action: 'value' },
  since: { block: 'shortcut_since', action: 'value' },
  until: { block: 'shortcut_until', action: 'value' },
  region: { block: 'shortcut_region', action: 'value' },
} as const;

/** The real-cause note of the feedback modal. */
export const FEEDBACK_INPUT = { block: 'feedback_real_cause', action: 'value' } as const;

/** Input blocks of the add-context modal (block id → action id). */
export const CONTEXT_INPUT = {
  text: { block: 'context_text', action: 'value' },
  sections: { block: 'context_sections', action: 'value' },
  budget: { block: 'context_budget', action: 'value' },
} as const;
