import { pino } from 'pino';
import { vi } from 'vitest';
import type { Firebreak } from '../../src/app/index.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { BundleSummary } from '../../src/core/report.js';
import type { SlackServices } from '../../src/slack/services.js';

/**
 * Slack's starter-template style: listener callbacks called directly with fake `ack`, `client`,
 * `respond` and a fake application whose every method is a vi.fn. No HTTP server, no DynamoDB.
 */
export const BUNDLE: BundleSummary = { tokens: 1_200, rawTokens: 40_000, sections: [], redactions: {}, sha256: 'b'.repeat(64), budget: 'medium', text: '## findings\n(none)' };

type StoredLike = { id: string; requester: string; state: 'pending' | 'approved' | 'answered' | 'failed'; ref: { channel?: string; threadTs?: string } };

export function fakeApp(overrides: Partial<Firebreak> = {}, stored: StoredLike = { id: 'inv1', requester: 'U0ALICE', state: 'pending', ref: { channel: 'C1', threadTs: '1.0' } }): Firebreak {
  const app = {
    config: loadConfig({}),
    modelEnabled: true,
    optionalSections: ['configuration', 'execution-logs'],
    now: () => new Date('2026-11-23T10:00:00Z'),
    world: vi.fn(async () => ({ origin: 'sandbox:test', region: 'us-east-1' })),
    plan: vi.fn(),
    troubleshoot: vi.fn(),
    keep: vi.fn(async () => undefined),
    lookup: vi.fn(async () => ({ status: 'found' as const, investigation: { ...stored, report: {}, bundleOptions: {}, createdAt: '', expiresAt: '' } })),
    currentBundle: vi.fn(async () => ({ bundle: BUNDLE, choices: { budget: 'medium' }, revision: 0 })),
    reviseBundle: vi.fn(),
    bundleFor: vi.fn(async () => BUNDLE),
    estimate: vi.fn((_b: unknown, size: 'small' | 'large') => ({ size, modelId: 'm', model: size === 'small' ? 'Claude Haiku 4.5' : 'Claude Sonnet 4.5', region: 'us-east-1', inputTokens: 1_900, maxTokens: 1_500, reservedTokens: 3_400, costUsd: 0.0096 })),
    countedEstimate: vi.fn(async (_b: unknown, size: 'small' | 'large') => ({ size, modelId: 'm', model: size === 'small' ? 'Claude Haiku 4.5' : 'Claude Sonnet 4.5', region: 'us-east-1', inputTokens: 1_900, maxTokens: 1_500, reservedTokens: 3_400, costUsd: 0.0096, counted: 'offline' as const })),
    proposeTarget: vi.fn(async () => ({ confirmed: false, rejected: [] })),
    approve: vi.fn(async () => true),
    release: vi.fn(async () => true),
    markAnswered: vi.fn(async () => true),
    analyze: vi.fn(),
    usage: vi.fn(async () => ({ used: 1_000, limit: 200_000, remaining: 199_000, resetsAt: '2026-11-24T00:00:00.000Z' })),
    history: vi.fn(async () => []),
    weeklySummary: vi.fn(),
    claimJob: vi.fn(async () => true),
    settleJob: vi.fn(async () => undefined),
    claimOnce: vi.fn(async () => true),
    releaseOnce: vi.fn(async () => undefined),
    ledgerLocation: vi.fn(async () => 'fake'),
    close: vi.fn(async () => undefined),
    ...overrides,
  };
  return app as unknown as Firebreak;
}

export function fakeServices(app: Firebreak = fakeApp(), settings: Record<string, unknown> = {}): SlackServices {
  const config: Config = loadConfig({}, { 'slack.approvers': ['U0APPROVER'], ...settings });
  return { app, config, logger: pino({ level: 'silent' }), now: () => new Date('2026-11-23T10:00:00Z') };
}

/** A WebClient whose every method the listeners use records its calls. */
export function fakeClient() {
  return {
    chat: { postEphemeral: vi.fn(async () => ({ ok: true })), postMessage: vi.fn(async () => ({ ok: true, ts: '2.0' })), update: vi.fn(async () => ({ ok: true })) },
    views: { open: vi.fn(async () => ({ ok: true, view: { id: 'V1' } })), update: vi.fn(async () => ({ ok: true })), publish: vi.fn(async () => ({ ok: true })) },
    usergroups: { users: { list: vi.fn(async () => ({ ok: true, users: [] as string[] })) } },
  };
}

export function buttonBody(user: string, value = 'inv1') {
  return {
    type: 'block_actions',
    user: { id: user },
    channel: { id: 'C1' },
    container: { channel_id: 'C1', message_ts: '3.0' },
    message: { ts: '3.0', thread_ts: '1.0' },
    trigger_id: 'trigger-1',
    actions: [{ type: 'button', action_id: 'x', value }],
  };
}
