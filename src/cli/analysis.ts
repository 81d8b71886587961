import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AnalysisFailedError, incidentChartPng, modelDisplayName, QuotaExceededError, type AnalysisResult, type Estimate, type Firebreak } from '../app/index.js';
import type { BundleSummary, Investigation } from '../core/report.js';
import { reuseText } from '../core/reuse.js';
import { formatTokens, formatUsd } from '../core/units.js';
import { EXIT, type CliIo } from './io.js';
import { currentUser } from './user.js';

/** What the person decided on the command line about the analysis step. */
export interface AnalysisFlags {
  context?: string;
  yes?: boolean;
  large?: boolean;
  /** Skip the answer cache (exact and same-incident) and call the model. */
  fresh?: boolean;
  user?: string;
}

function bundleLine(b: BundleSummary): string {
  const ratio = b.rawTokens / Math.max(1, b.tokens);
  const cut = b.sections.filter((s) => s.truncated).map((s) => s.name);
  const redacted = Object.entries(b.redactions).map(([kind, n]) => `${n} ${kind}`);
  return [
    `Bundle: ~${b.tokens.toLocaleString('en-US')} tokens (${b.budget} budget) from ~${b.rawTokens.toLocaleString('en-US')} collected — ${ratio.toFixed(0)}× smaller`,
    cut.length ? `  trimmed to fit: ${cut.join(', ')}` : '',
    redacted.length ? `  redacted: ${redacted.join(', ')}` : '  redacted: nothing needed redacting',
  ]
    .filter(Boolean)
    .join('\n');
}

async function writeBundleFile(investigation: Investigation, bundle: BundleSummary, outDir: string): Promise<{ file: string; chart?: string }> {
  await mkdir(outDir, { recursive: true });
  const base = `firebreak-bundle-${investigation.report.target.restApiId}-${bundle.sha256.slice(0, 8)}`;
  const file = resolve(join(outDir, `${base}.txt`));
  await writeFile(file, bundle.text);
  // The picture of the incident next to it: requests, 4xx, 5xx and p99 over the window, the onset marked.
  const png = await incidentChartPng(investigation.report).catch(() => undefined);
  if (!png) return { file };
  const chart = resolve(join(outDir, `${base}-traffic.png`));
  await writeFile(chart, png);
  return { file, chart };
}

/** The priced approval line: the same figures the Slack button shows. */
export function estimateLine(estimate: Estimate): string {
  return `Analysis: ${estimate.model} (${estimate.region}), ~${formatTokens(estimate.inputTokens)} tokens in + up to ${formatTokens(estimate.maxTokens)} out, at most ${formatUsd(estimate.costUsd)}`;
}

/** The bundle's sections and their sizes: what the model would read. */
function sectionsLine(bundle: BundleSummary): string {
  const sent = bundle.sections.filter((section) => !section.leftOut);
  return sent.map((section) => `${section.name} ~${formatTokens(section.tokens)}`).join(', ') || '(empty bundle)';
}

/** "quota left: 200k of 200k tokens today (this analysis reserves up to 3.8k)". */
async function quotaLine(app: Firebreak, user: string, estimate: Estimate): Promise<string> {
  const quota = await app.usage(user);
  const reserve = `this analysis reserves up to ${formatTokens(estimate.reservedTokens)}`;
  if (quota.limit === null) return `quota: no daily limit for ${user} (${reserve})`;
  return `quota left for ${user}: ${formatTokens(quota.remaining ?? 0)} of ${formatTokens(quota.limit)} tokens today, resets ${quota.resetsAt} (${reserve})`;
}

/** `freshEstimate`: the price of analysing anew, offered when the answer was reused. */
export function renderAnswer(result: AnalysisResult, freshEstimate?: Estimate): string {
  const { answer } = result;
  const lines = [
    ...(result.reused
      ? [
          `Reused answer: ${reuseText(result.reused)}. 0 tokens, $0 (it cost ${formatUsd(result.reused.savedUsd)}).`,
          `For a fresh analysis${freshEstimate ? ` (~${formatUsd(freshEstimate.costUsd)})` : ''}, run again with --fresh.`,
          '',
        ]
      : []),
    `Root cause (${answer.rootCause.confidence} confidence): ${answer.rootCause.statement}`,
    answer.summary,
    ...(answer.evidence.length ? ['Evidence:', ...answer.evidence.map((e) => `  - ${e}`)] : []),
    ...(answer.missingData.length ? ['Missing data:', ...answer.missingData.map((e) => `  - ${e}`)] : []),
    ...(answer.nextSteps.length ? ['Next steps:', ...answer.nextSteps.map((e, i) => `  ${i + 1}. ${e}`)] : []),
  ];
  if (result.truncated) lines.push('(the answer hit its token limit and may be cut short)');
  const tokens = result.usage.inputTokens + result.usage.outputTokens + result.usage.cacheReadTokens + result.usage.cacheWriteTokens;
  const quota = result.quota.limit === null ? 'no daily limit' : `${result.quota.remaining?.toLocaleString('en-US')} of ${result.quota.limit.toLocaleString('en-US')} tokens left today`;
  lines.push(
    result.cacheHit
      ? `— ${modelDisplayName(result.model)} · ${result.cacheKind === 'fingerprint' ? 'same-incident answer' : 'cached answer'}, 0 tokens, $0 · ${quota}`
      : `— ${modelDisplayName(result.model)}${result.escalated ? ' (escalated)' : ''} · ${tokens.toLocaleString('en-US')} tokens · ${formatUsd(result.costUsd)} · ${quota}`,
  );
  return lines.join('\n');
}

/**
 * After the table and findings: show what would be sent and its price, then (with a person's
 * yes) analyse it within their quota; without Bedrock, hand them the bundle file instead.
 */
export async function offerAnalysis(app: Firebreak, investigation: Investigation, flags: AnalysisFlags, io: CliIo): Promise<number> {
  const size = flags.large ? 'large' : 'small';
  let bundle = investigation.report.bundle!;
  io.out('');
  io.out(bundleLine(bundle));
  const decisive = investigation.report.findings.some((f) => !f.inconclusive && (f.severity === 'critical' || f.severity === 'high'));
  if (decisive) io.out('The rules already name a likely cause above: a model is optional.');

  if (!app.modelEnabled) {
    // The approval step as it would be, priced, so the product's main idea is visible without Bedrock.
    const estimate = await app.countedEstimate(bundle, size);
    io.out('');
    io.out('Approval (what the Analyze button in Slack shows; nothing is sent without a yes):');
    io.out(`  ${estimateLine(estimate)}`);
    io.out(`  ${await quotaLine(app, flags.user ?? currentUser(), estimate)}`);
    io.out(`  would send: the instructions and the bundle (${sectionsLine(bundle)})`);
    const written = await writeBundleFile(investigation, bundle, io.config.bundle.outDir);
    io.out(`  the redacted bundle, exactly as it would be sent: ${written.file}`);
    if (written.chart) io.out(`  the traffic chart beside it: ${written.chart}`);
    io.out('');
    io.out('No model is configured, so nothing was sent. One setting turns Bedrock on: FIREBREAK_BEDROCK_ENABLED=true');
    io.out(`(with AWS credentials that may call bedrock:InvokeModel in ${estimate.region}).`);
    return EXIT.ok;
  }

  let estimate = await app.countedEstimate(bundle, size);
  io.out(estimateLine(estimate));
  if (!flags.yes) {
    if (!io.ask) {
      io.out('Not sent. Run again with --yes to approve the analysis (and --context "…" to add what you know).');
      return EXIT.ok;
    }
    const context = flags.context ?? (await io.ask('Add context for the model (Enter to skip): ')).trim();
    if (context && context !== flags.context) {
      bundle = await app.bundleFor(investigation, { budget: bundle.budget, context });
      // The same measure as before the context, so the figure can only grow with it.
      estimate = await app.countedEstimate(bundle, size);
      io.out(`With your context: ${estimateLine(estimate)}`);
    }
    const answer = (await io.ask(`Send it to ${estimate.model}? [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      io.out('Not sent.');
      return EXIT.ok;
    }
  }

  try {
    const result = await app.analyze({
      investigationId: bundle.sha256.slice(0, 16),
      approvalId: randomUUID(),
      user: flags.user ?? currentUser(),
      // The context is already inside the bundle (redacted, in its own section): not sent twice.
      bundle,
      size,
      ...(flags.fresh ? { fresh: true } : {}),
      onLedgerError: (step, err) => io.err(`firebreak: warning: could not record ${step}: ${(err as Error).message}`),
    });
    io.out('');
    io.out(renderAnswer(result, estimate));
    return EXIT.ok;
  } catch (err) {
    if (err instanceof QuotaExceededError) {
      io.err(`firebreak: over your daily quota: ${err.used.toLocaleString('en-US')} of ${err.limit.toLocaleString('en-US')} tokens used, this needs ${err.requested.toLocaleString('en-US')}; it resets at ${err.resetsAt}. Nothing was sent or charged.`);
      return EXIT.failed;
    }
    if (err instanceof AnalysisFailedError) {
      io.err(`firebreak: the analysis failed: ${err.message}`);
      return EXIT.failed;
    }
    throw err;
  }
}
