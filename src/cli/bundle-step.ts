import { buildBundle } from '../bundle/index.js';
import type { Config } from '../config.js';
import type { Investigation } from '../core/report.js';

export interface BundleChoices {
  budget?: string;
  context?: string;
  sections?: string[];
}

/** Budget names map to token counts from configuration; a number passes through. */
export function budgetTokens(budget: string | undefined, config: Config): number {
  const name = (budget ?? config.bundle.budget) as keyof Config['bundle']['budgets'];
  return config.bundle.budgets[name] ?? config.bundle.budgets.medium;
}

export function attachBundle(investigation: Investigation, choices: BundleChoices, config: Config): Investigation {
  const bundle = buildBundle(investigation, {
    budget: budgetTokens(choices.budget, config),
    ...(choices.context ? { context: choices.context } : {}),
    ...(choices.sections ? { sections: choices.sections } : {}),
    maskAccountIds: config.bundle.maskAccountIds,
    maskIps: config.bundle.maskIps,
  });
  return { ...investigation, report: { ...investigation.report, bundle: { ...bundle, budget: choices.budget ?? config.bundle.budget } } };
}
