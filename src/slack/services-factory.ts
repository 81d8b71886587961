import { pino, type Logger } from 'pino';
import { buildBundle } from '../bundle/index.js';
import type { Config } from '../config.js';
import { investigate, openEnvironment, type Environment } from '../engine.js';
import { createLedger, openLedgerStore } from '../ledger/ledger.js';
import { analyze, estimateAnalysis } from '../model/analyze.js';
import { createBedrockModelClient, type ModelClient } from '../model/bedrock.js';
import { shortModelName } from '../model/prices.js';
import { EvidenceCache, type ModelSize, type SlackServices } from './services.js';
import { BundleRevisions } from './state/bundle-revisions.js';
import { OnceMarkers } from './state/markers.js';

export interface SlackServicesOptions {
  /** FakeBedrock in tests and the demo; Bedrock when `models.enabled`. */
  modelClient?: ModelClient;
  logger?: Logger;
  /** The clock for quotas, expiry and summaries; the investigation window uses the environment's. */
  now?: () => Date;
  /** Latency added to every sandbox AWS call (benchmarks). */
  latencyMs?: number;
}

/** Wires the real modules: engine, bundle, ledger (DynamoDB or embedded dynalite), model. */
export async function createSlackServices(config: Config, options: SlackServicesOptions = {}): Promise<SlackServices> {
  const logger = options.logger ?? pino({ level: config.logLevel, name: 'firebreak-slack' });
  const now = options.now ?? (() => new Date());
  const opened = await openLedgerStore({ ...config.ledger, region: config.aws.region });
  const ledger = createLedger(opened.store, { quota: config.quota, investigationTtlHours: config.ledger.investigationTtlHours, now });
  const modelClient = options.modelClient ?? (config.models.enabled ? createBedrockModelClient(config.models.region ? { region: config.models.region } : {}) : undefined);
  let environment: Promise<Environment> | undefined;
  const modelId = (size: ModelSize) => (size === 'large' ? config.models.large : config.models.small);

  const services: SlackServices = {
    config,
    logger,
    now,
    environment() {
      environment ??= openEnvironment(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }, config);
      return environment;
    },
    async investigate(target, window, onProgress) {
      const env = await services.environment();
      return investigate(target, window, env, {
        onProgress,
        concurrency: config.runner.concurrency,
        sourceTimeoutMs: config.runner.sourceTimeoutMs,
        deadlineMs: config.runner.deadlineMs,
        maxItems: config.runner.maxItems,
      });
    },
    buildBundle(investigation, choices) {
      const budget = (choices.budget ?? config.bundle.budget) as 'small' | 'medium' | 'large';
      const bundle = buildBundle(investigation, {
        budget,
        budgets: config.bundle.budgets,
        ...(choices.context ? { context: choices.context } : {}),
        ...(choices.sections ? { sections: choices.sections } : {}),
        maskAccountIds: config.bundle.maskAccountIds,
        maskIps: config.bundle.maskIps,
      });
      return { ...bundle, budget };
    },
    modelEnabled: modelClient !== undefined,
    estimate(bundle, size) {
      const id = modelId(size);
      const estimate = estimateAnalysis(bundle, id, { maxTokens: config.models.maxTokens });
      return { model: shortModelName(id), tokens: estimate.inputTokens, costUsd: estimate.costUsd };
    },
    async analyze(request) {
      if (!modelClient) throw new Error('no model is configured (set FIREBREAK_BEDROCK_ENABLED=true)');
      return analyze({
        investigationId: request.investigationId,
        approvalId: request.approvalId,
        user: request.user,
        bundle: request.bundle,
        model: request.size,
        client: modelClient,
        ledger,
        routing: config.models,
        maxTokens: config.models.maxTokens,
        temperature: config.models.temperature,
        now,
      });
    },
    investigations: ledger.investigations,
    revisions: new BundleRevisions(ledger.store),
    quota: ledger.quota,
    spend: ledger.spend,
    markers: new OnceMarkers(ledger.store, now),
    evidence: new EvidenceCache(),
    close: () => opened.close(),
  };
  return services;
}
