import { redactText, type ModelSize } from '../../app/index.js';
import type { BundleChoices, BundleSummary, Report } from '../../core/report.js';
import { verdictOf } from '../../core/verdict.js';
import { formatTokens } from '../../core/units.js';
import type { ActionView, Estimate } from '../blocks/actions.js';
import type { SlackServices } from '../services.js';

/** Counted estimates of recent bundles (by sha256 and size): a re-render does not ask Bedrock again. */
const COUNTED = new Map<string, Estimate>();
const COUNTED_KEEP = 100;

/** The verdict's kind from a stored report, for the Analyze button's emphasis; undefined for a partial report. */
export function verdictKind(report: Pick<Report, 'coverage' | 'findings' | 'target' | 'traffic' | 'given'> | undefined): ActionView['verdict'] {
  if (!report?.coverage || !report.findings || !report.target) return undefined;
  return verdictOf(report).kind;
}

/**
 * The one token figure: Bedrock's own count (CountTokens, free) when a client is configured, the
 * offline estimate otherwise, exactly as the CLI and the quota reservation use it.
 */
async function priced(services: SlackServices, bundle: BundleSummary, size: ModelSize): Promise<Estimate> {
  const key = `${bundle.sha256}:${size}`;
  const known = COUNTED.get(key);
  if (known) return known;
  const estimate = await services.app.countedEstimate(bundle, size).catch(() => services.app.estimate(bundle, size));
  const priced: Estimate = {
    model: estimate.model,
    region: estimate.region,
    tokens: estimate.inputTokens,
    maxOutputTokens: estimate.maxTokens,
    costUsd: estimate.costUsd,
    counted: estimate.counted ?? 'offline',
  };
  COUNTED.set(key, priced);
  if (COUNTED.size > COUNTED_KEEP) COUNTED.delete(COUNTED.keys().next().value as string);
  return priced;
}

/** The action message's data from what is stored: one place, so every update renders alike. */
export async function actionView(
  services: SlackServices,
  input: {
    id: string;
    bundle: BundleSummary;
    choices: BundleChoices;
    state: ActionView['state'];
    approvedBy?: string;
    answeredWith?: 'small' | 'large';
    failure?: string;
    verdict?: ActionView['verdict'];
  },
): Promise<ActionView> {
  const redactions = Object.values(input.bundle.redactions).reduce((sum, n) => sum + n, 0);
  const view: ActionView = {
    investigationId: input.id,
    state: input.state,
    bundle: { tokens: input.bundle.tokens, rawTokens: input.bundle.rawTokens, budget: input.bundle.budget || input.choices.budget || 'medium', sections: input.bundle.sections.length, redactions },
    estimate: await priced(services, input.bundle, 'small'),
    modelEnabled: services.app.modelEnabled,
    // Redacted before the renderer shortens it, so a cut can never leave half a secret unmatched.
    ...(input.choices.context ? { context: redactText(input.choices.context) } : {}),
    ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}),
    ...(input.failure ? { failure: input.failure } : {}),
    ...(input.verdict ? { verdict: input.verdict } : {}),
  };
  // The larger model is offered only after the small one answered and only if it is a different model.
  if (input.state === 'answered' && input.answeredWith === 'small' && services.config.models.large !== services.config.models.small) {
    view.larger = await priced(services, input.bundle, 'large');
  }
  return view;
}

/** The same token figure as the button, as text ("2.9k"), for what goes with the bundle file. */
export async function tokensToSend(services: SlackServices, bundle: BundleSummary): Promise<string> {
  return formatTokens((await priced(services, bundle, 'small')).tokens);
}
