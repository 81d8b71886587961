import { redactText, type ModelSize } from '../../app/index.js';
import type { BundleChoices, BundleSummary } from '../../core/report.js';
import type { ActionView, Estimate } from '../blocks/actions.js';
import type { SlackServices } from '../services.js';

function priced(services: SlackServices, bundle: BundleSummary, size: ModelSize): Estimate {
  const estimate = services.app.estimate(bundle, size);
  return { model: estimate.model, region: estimate.region, tokens: estimate.inputTokens, costUsd: estimate.costUsd };
}

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
    estimate: priced(services, input.bundle, 'small'),
    modelEnabled: services.app.modelEnabled,
    // Redacted before the renderer shortens it, so a cut can never leave half a secret unmatched.
    ...(input.choices.context ? { context: redactText(input.choices.context) } : {}),
    ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}),
    ...(input.failure ? { failure: input.failure } : {}),
  };
  // The larger model is offered only after the small one answered and only if it is a different model.
  if (input.state === 'answered' && input.answeredWith === 'small' && services.config.models.large !== services.config.models.small) {
    view.larger = priced(services, input.bundle, 'large');
  }
  return view;
}
