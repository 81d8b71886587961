import type { BundleSummary } from '../../core/report.js';
import type { ActionView } from '../blocks/actions.js';
import type { SlackServices } from '../services.js';
import type { BundleChoices } from '../state/bundle-revisions.js';

/** The action message's data from what is stored: one place, so every update renders alike. */
export function actionView(
  services: SlackServices,
  input: { id: string; bundle: BundleSummary; choices: BundleChoices; state: ActionView['state']; approvedBy?: string; answeredWith?: 'small' | 'large'; failure?: string },
): ActionView {
  const redactions = Object.values(input.bundle.redactions).reduce((sum, n) => sum + n, 0);
  const view: ActionView = {
    investigationId: input.id,
    state: input.state,
    bundle: { tokens: input.bundle.tokens, rawTokens: input.bundle.rawTokens, budget: input.bundle.budget || input.choices.budget || 'medium', sections: input.bundle.sections.length, redactions },
    estimate: services.estimate(input.bundle, 'small'),
    modelEnabled: services.modelEnabled,
    ...(input.choices.context ? { context: input.choices.context } : {}),
    ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}),
    ...(input.failure ? { failure: input.failure } : {}),
  };
  // The larger model is offered only after the small one answered and only if it is a different model.
  if (input.state === 'answered' && input.answeredWith === 'small' && services.config.models.large !== services.config.models.small) {
    view.larger = services.estimate(input.bundle, 'large');
  }
  return view;
}
