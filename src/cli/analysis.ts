import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import type { Investigation } from '../core/report.js';
import { QuotaExceededError } from '../ledger/errors.js';
import { AnalysisFailedError, analyze, estimateAnalysis, type AnalysisResult } from '../model/analyze.js';
import { createBedrockModelClient, type ModelClient } from '../model/bedrock.js';
import type { ModelRouting } from '../model/router.js';
import { attachBundle } from './bundle-step.js';
import type { TroubleshootFlags } from './commands/troubleshoot.js';
import { EXIT, type CliIo } from './io.js';
import { openCliLedger } from './ledger-session.js';
import { currentUser } from './user.js';

export function routingOf(config: Config): ModelRouting {
  const { small, large, lite, autoEscalate } = config.models;
  return { small, large, autoEscalate, ...(lite ? { lite } : {}) };
}

function usd(amount: number): string {
  return amount < 0.01 ? `$${amount.toFixed(4)}` : `$${amount.toFixed(2)}`;
}

function bundleLine(investigation: Investigation): string {
  const b = investigation.report.bundle;
  if (!b) return '';
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

async function writeBundleFile(investigation: Investigation, config: Config): Promise<string> {
  const bundle = investigation.report.bundle!;
  await mkdir(config.bundle.outDir, { recursive: true });
  const file = resolve(join(config.bundle.outDir, `firebreak-bundle-${investigation.report.target.restApiId}-${bundle.sha256.slice(0, 8)}.txt`));
  await writeFile(file, bundle.text);
  return file;
}

export function renderAnswer(result: AnalysisResult): string {
  const { answer } = result;
  const lines = [
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
      ? `— ${result.model} · cached answer, 0 tokens, $0 · ${quota}`
      : `— ${result.model}${result.escalated ? ' (escalated)' : ''} · ${tokens.toLocaleString('en-US')} tokens · ${usd(result.costUsd)} · ${quota}`,
  );
  return lines.join('\n');
}

/**
 * After the table and findings: show what would be sent and its price, then (with a person's
 * yes) analyse it within their quota; without Bedrock, hand them the bundle file instead.
 */
export async function offerAnalysis(investigation: Investigation, flags: TroubleshootFlags, io: CliIo, modelClient?: ModelClient): Promise<number> {
  const config = io.config;
  const tier = flags.large ? 'large' : 'small';
  const routing = routingOf(config);
  let current = investigation;
  const estimateOf = (inv: Investigation) =>
    estimateAnalysis(inv.report.bundle!, tier, { routing, maxTokens: config.models.maxTokens });

  io.out('');
  io.out(bundleLine(current));
  const decisive = current.report.findings.some((f) => !f.inconclusive && (f.severity === 'critical' || f.severity === 'high'));
  if (decisive) io.out('The rules already name a likely cause above: a model is optional.');

  const client = modelClient ?? (config.models.enabled ? createBedrockModelClient({ region: config.models.region ?? config.aws.region }) : undefined);
  if (!client) {
    const file = await writeBundleFile(current, config);
    io.out(`Bedrock is not configured (FIREBREAK_BEDROCK_ENABLED=true to use it), so nothing was sent. The redacted bundle is in ${file}.`);
    return EXIT.ok;
  }

  let estimate = estimateOf(current);
  io.out(`Analysis: ${estimate.model}, ~${estimate.inputTokens.toLocaleString('en-US')} tokens in + up to ${estimate.maxTokens} out, at most ${usd(estimate.costUsd)}`);
  if (!flags.yes) {
    if (!io.ask) {
      io.out('Not sent. Run again with --yes to approve the analysis (and --context "…" to add what you know).');
      return EXIT.ok;
    }
    const context = flags.context ?? (await io.ask('Add context for the model (Enter to skip): ')).trim();
    if (context) {
      current = attachBundle(investigation, { ...(current.report.bundle ? { budget: current.report.bundle.budget } : {}), context }, config);
      flags = { ...flags, context };
      estimate = estimateOf(current);
      io.out(`With your context: ~${current.report.bundle!.tokens.toLocaleString('en-US')} tokens, at most ${usd(estimate.costUsd)}`);
    }
    const answer = (await io.ask(`Send it to ${estimate.model}? [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      io.out('Not sent.');
      return EXIT.ok;
    }
  }

  const user = flags.user ?? currentUser();
  const session = await openCliLedger(config);
  try {
    const result = await analyze({
      investigationId: current.report.bundle!.sha256.slice(0, 16),
      approvalId: randomUUID(),
      user,
      // The context is already inside the bundle (redacted, in its own section): not sent twice.
      bundle: current.report.bundle!,
      model: tier,
      ledger: session.ledger,
      client,
      routing,
      maxTokens: config.models.maxTokens,
      temperature: config.models.temperature,
      onLedgerError: (step, err) => io.err(`firebreak: warning: could not record ${step}: ${(err as Error).message}`),
    });
    io.out('');
    io.out(renderAnswer(result));
    return EXIT.ok;
  } catch (err) {
    if (err instanceof QuotaExceededError) {
      io.err(`firebreak: over your daily quota: ${err.used.toLocaleString('en-US')} of ${err.limit.toLocaleString('en-US')} tokens used, this needs ${err.requested.toLocaleString('en-US')}; it resets at ${err.resetsAt}. Nothing was sent or charged.`);
      return EXIT.failed;
    }
    if (err instanceof AnalysisFailedError) {
      io.err(`firebreak: the analysis failed and was not charged (${err.refundedTokens} tokens refunded): ${err.message}`);
      return EXIT.failed;
    }
    throw err;
  } finally {
    await session.close();
  }
}
