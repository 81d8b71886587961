/**
 * Block Kit limits (docs.slack.dev/reference/block-kit; @slack/types). Slack rejects a message
 * that breaks one with `invalid_blocks`, in production only: this check makes tests fail first.
 */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3_000,
  sectionFields: 10,
  fieldText: 2_000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  actionId: 255,
  blockId: 255,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3_000,
  plainTextInputLabel: 2_000,
  optionText: 75,
  optionValue: 150,
  checkboxOptions: 10,
  topLevelText: 40_000,
} as const;

type Json = Record<string, unknown>;

function textOf(value: unknown): string {
  if (value && typeof value === 'object' && 'text' in value) return String((value as Json).text ?? '');
  return '';
}

function check(problems: string[], condition: boolean, message: string): void {
  if (!condition) problems.push(message);
}

function checkElement(problems: string[], element: Json, where: string): void {
  const type = element.type;
  if (typeof element.action_id === 'string') check(problems, element.action_id.length <= LIMITS.actionId, `${where}: action_id over ${LIMITS.actionId}`);
  if (type === 'button') {
    check(problems, textOf(element.text).length <= LIMITS.buttonText, `${where}: button text ${textOf(element.text).length} > ${LIMITS.buttonText}`);
    if (typeof element.value === 'string') check(problems, element.value.length <= LIMITS.buttonValue, `${where}: button value ${element.value.length} > ${LIMITS.buttonValue}`);
  }
  for (const key of ['options', 'initial_options'] as const) {
    const options = element[key];
    if (!Array.isArray(options)) continue;
    if (type === 'checkboxes' || type === 'radio_buttons') check(problems, options.length <= LIMITS.checkboxOptions, `${where}: ${options.length} options > ${LIMITS.checkboxOptions}`);
    for (const option of options as Json[]) {
      check(problems, textOf(option.text).length <= LIMITS.optionText, `${where}: option text over ${LIMITS.optionText}`);
      check(problems, String(option.value ?? '').length <= LIMITS.optionValue, `${where}: option value over ${LIMITS.optionValue}`);
    }
  }
}

function checkBlock(problems: string[], block: Json, where: string, blockIds: Set<string>): void {
  if (typeof block.block_id === 'string') {
    check(problems, block.block_id.length <= LIMITS.blockId, `${where}: block_id over ${LIMITS.blockId}`);
    check(problems, !blockIds.has(block.block_id), `${where}: duplicate block_id ${block.block_id}`);
    blockIds.add(block.block_id);
  }
  switch (block.type) {
    case 'section': {
      const text = textOf(block.text);
      const fields = Array.isArray(block.fields) ? (block.fields as Json[]) : [];
      check(problems, text.length > 0 || fields.length > 0, `${where}: section needs text or fields`);
      check(problems, text.length <= LIMITS.sectionText, `${where}: section text ${text.length} > ${LIMITS.sectionText}`);
      check(problems, fields.length <= LIMITS.sectionFields, `${where}: ${fields.length} fields > ${LIMITS.sectionFields}`);
      fields.forEach((field, i) => check(problems, textOf(field).length <= LIMITS.fieldText, `${where}.fields[${i}]: ${textOf(field).length} > ${LIMITS.fieldText}`));
      if (block.accessory) checkElement(problems, block.accessory as Json, `${where}.accessory`);
      break;
    }
    case 'header':
      check(problems, textOf(block.text).length <= LIMITS.headerText, `${where}: header text over ${LIMITS.headerText}`);
      break;
    case 'context': {
      const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
      check(problems, elements.length <= LIMITS.contextElements, `${where}: ${elements.length} context elements > ${LIMITS.contextElements}`);
      elements.forEach((e, i) => check(problems, textOf(e).length <= LIMITS.sectionText, `${where}.elements[${i}]: text over ${LIMITS.sectionText}`));
      break;
    }
    case 'actions': {
      const elements = Array.isArray(block.elements) ? (block.elements as Json[]) : [];
      check(problems, elements.length <= LIMITS.actionsElements, `${where}: ${elements.length} actions > ${LIMITS.actionsElements}`);
      const actionIds = new Set<string>();
      elements.forEach((e, i) => {
        checkElement(problems, e, `${where}.elements[${i}]`);
        if (typeof e.action_id === 'string') {
          check(problems, !actionIds.has(e.action_id), `${where}: duplicate action_id ${e.action_id}`);
          actionIds.add(e.action_id);
        }
      });
      break;
    }
    case 'input': {
      check(problems, textOf(block.label).length <= LIMITS.plainTextInputLabel, `${where}: input label over ${LIMITS.plainTextInputLabel}`);
      if (block.element) checkElement(problems, block.element as Json, `${where}.element`);
      break;
    }
    default:
      break;
  }
}

/** Returns every limit a message or view breaks (empty when it is fine). */
export function blockKitProblems(payload: Json, kind: 'message' | 'modal'): string[] {
  const problems: string[] = [];
  const blocks = Array.isArray(payload.blocks) ? (payload.blocks as Json[]) : [];
  const max = kind === 'modal' ? LIMITS.modalBlocks : LIMITS.messageBlocks;
  check(problems, blocks.length <= max, `${blocks.length} blocks > ${max}`);
  if (typeof payload.text === 'string') check(problems, payload.text.length <= LIMITS.topLevelText, `top-level text over ${LIMITS.topLevelText}`);
  if (kind === 'modal') {
    check(problems, textOf(payload.title).length <= LIMITS.modalTitle, `modal title over ${LIMITS.modalTitle}`);
    for (const key of ['submit', 'close'] as const) if (payload[key]) check(problems, textOf(payload[key]).length <= LIMITS.modalButton, `modal ${key} over ${LIMITS.modalButton}`);
    if (typeof payload.private_metadata === 'string') check(problems, payload.private_metadata.length <= LIMITS.privateMetadata, `private_metadata over ${LIMITS.privateMetadata}`);
  }
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => checkBlock(problems, block, `blocks[${i}]`, blockIds));
  return problems;
}

/** Throws with every problem listed: a message (chat.*) or a view (views.*). */
export function assertWithinBlockKitLimits(payload: object, kind: 'message' | 'modal' = 'type' in payload && (payload as Json).type === 'modal' ? 'modal' : 'message'): void {
  const problems = blockKitProblems(payload as Json, kind);
  if (problems.length > 0) throw new Error(`Block Kit limits broken (${kind}):\n  ${problems.join('\n  ')}`);
}
