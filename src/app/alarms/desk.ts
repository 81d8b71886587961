import { createHash, randomUUID } from 'node:crypto';
import type { AwsClients } from '../../aws/clients.js';
import { redactDeep, redactText } from '../../bundle/egress.js';
import type { Config } from '../../config.js';
import { alarmKey, alarmRequester, thresholdText, type AlarmChange, type AlarmState, type AlarmTrigger } from '../../core/alarm.js';
import { eventBridgeEventFor } from '../../core/alarm-event.js';
import { describeRoute, mappingFor, routeCouldMatch, routeFor } from '../../core/alarm-routing.js';
import { troubleshootRequestSchema, type TroubleshootRequest } from '../../core/input.js';
import { TargetResolutionError } from '../../core/outcome.js';
import type { Environment } from '../../engine.js';
import { AlarmEpisodes, type AlarmEpisode, type EpisodeRequest, type StormNotice } from '../../ledger/alarm-episodes.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { AlarmApi } from './resolve.js';

/**
 * The alarm path up to the investigation: a notification in, one decision per state change out.
 * An ALARM opens an episode (one investigation), unless it belongs to the alarm's current one
 * (a duplicate delivery or a re-fire within the quiet period), the API cannot be found, no route
 * takes it, or the API's storm cap for the hour is spent. An OK closes the episode. Every
 * decision is a conditional write in the ledger, so concurrent workers agree; the front end then
 * posts (Slack) or prints (CLI) what the decision says, running the same `plan → troubleshoot →
 * keep` as a typed request.
 */
export interface PlanLike {
  target: { restApiId: string };
}

export type AlarmOutcome<P extends PlanLike = PlanLike> =
  /** Nothing to post: said in the log (and by the CLI). */
  | { kind: 'ignored'; alarmName: string; state: AlarmState; reason: string }
  /**
   * Investigate (or, for a redelivered event, finish investigating): the job's lease (`jobKey`)
   * makes sure one attempt posts it.
   */
  | { kind: 'investigate'; episode: AlarmEpisode; trigger: AlarmTrigger; plan: P; requester: string; jobKey: string }
  | { kind: 'refire' | 'recovered'; episode: AlarmEpisode; trigger: AlarmTrigger }
  /** The API's hourly cap is spent: listed in the channel's notice (`first`: this caller posts it). */
  | { kind: 'capped'; alarmName: string; episode: AlarmEpisode; notice: StormNotice; first: boolean; cap: number };

export interface AlarmDesk<P extends PlanLike = PlanLike> {
  /** Parses an EventBridge event, an SNS notification or a DescribeAlarms answer and decides for each change. */
  receive(input: unknown): Promise<{ ok: true; outcomes: AlarmOutcome<P>[] } | { ok: false; error: string }>;
  /** The parent message of an episode's investigation, once posted (a retry then updates it). */
  attachParent(episode: AlarmEpisode, parentTs: string): Promise<void>;
  /** The episode as it stands now (a re-fire or the recovery may have landed meanwhile). */
  episode(alarmKey: string): Promise<AlarmEpisode | undefined>;
  triggerOf(episode: AlarmEpisode): AlarmTrigger;
  notice(notice: Pick<StormNotice, 'apiKey' | 'hour' | 'channel'>): Promise<StormNotice>;
  noticePosted(notice: StormNotice, ts: string): Promise<void>;
  /**
   * The EventBridge event CloudWatch would send for an alarm of the world (a scenario's, or a real
   * account's), read with DescribeAlarms: `state` at `at`, or, by default, at the alarm's own last
   * transition, moved past what this alarm's episode has already seen (so firing twice is a re-fire).
   */
  fireEvent(alarmName: string, state: 'ALARM' | 'OK', at?: Date): Promise<Record<string, unknown>>;
}

export interface AlarmDeskDeps<P extends PlanLike> {
  config: Config;
  ledger: () => Promise<Ledger>;
  environment: () => Promise<Environment>;
  plan: (request: TroubleshootRequest) => Promise<P>;
}

/**
 * The reads that find an alarm's API load the API Gateway, WAF and CloudWatch clients: only when an
 * alarm arrives, so the Slack front (which builds the app, never alarms) stays small at its cold start.
 */
const reads = () => Promise.all([import('./resolve.js'), import('./describe.js')]).then(([resolve, describe]) => ({ ...resolve, ...describe }));

/** An episode is younger than the investigation it started: after that, a new ALARM starts anew. */
const maxAgeMs = (config: Config) => config.ledger.investigationTtlHours * 3_600_000;
/** How far the sandbox clock moves between fired events, so they read as a later firing and recovery. */
const REFIRE_STEP_MS = 5 * 60_000;
const RECOVERY_STEP_MS = 15 * 60_000;

function newInvestigationId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}

/** The leased job that posts an episode's investigation: one attempt at a time, once. */
function jobKeyOf(episodeId: string): string {
  return `alarm-${createHash('sha256').update(episodeId).digest('hex').slice(0, 24)}`;
}

/** The window ends at the transition, or now when the event's clock runs ahead of ours (a window in the future has nothing logged yet). */
function toRequest(request: EpisodeRequest, now: Date): TroubleshootRequest {
  const { until, ...rest } = request;
  return troubleshootRequestSchema.parse({ ...rest, until: new Date(Math.min(Date.parse(until), now.getTime())) });
}

export function createAlarmDesk<P extends PlanLike>(deps: AlarmDeskDeps<P>): AlarmDesk<P> {
  const { config } = deps;
  const settings = config.alarms;
  const quietMs = settings.quietMinutes * 60_000;
  const ignored = (change: AlarmChange, reason: string): AlarmOutcome<P> => ({ kind: 'ignored', alarmName: redactText(change.alarmName), state: change.state, reason: redactText(reason) });

  // What the alarm says (its name and ARN, threshold, how it was found) reaches the channel, the
  // terminal and the stored investigation: it passes the egress boundary like any other text.
  const triggerOf = (episode: AlarmEpisode): AlarmTrigger =>
    redactDeep({
      alarmName: episode.alarmName,
      ...(episode.alarmArn ? { alarmArn: episode.alarmArn } : {}),
      ...(episode.threshold ? { threshold: episode.threshold } : {}),
      since: episode.startedAt,
      firings: episode.firings,
      lastFiredAt: episode.lastFiredAt,
      ...(episode.recoveredAt ? { recoveredAt: episode.recoveredAt } : {}),
      via: episode.via,
      ...(episode.route ? { route: episode.route } : {}),
    });

  /** The alarm's account and Region in this world: its own when readable, else why not. */
  async function clientsFor(account: string | undefined, region: string | undefined): Promise<{ aws: AwsClients; account?: string; region: string } | { error: string }> {
    const env = await deps.environment();
    const home = env.factory.homeAccountId;
    const accountId = account ? (env.factory.resolveAccount(account) ?? account) : undefined;
    const foreign = accountId && accountId !== home ? accountId : undefined;
    if (foreign && !env.factory.canRead(foreign)) return { error: `the alarm is in account ${foreign}, which has no read role under aws.accounts` };
    const where = region ?? env.region;
    return { aws: env.factory.forAccount(foreign, where), ...(foreign ? { account: foreign } : {}), region: where };
  }

  async function investigate(episode: AlarmEpisode): Promise<AlarmOutcome<P>> {
    const env = await deps.environment();
    const plan = await deps.plan(toRequest(episode.request, env.now()));
    return { kind: 'investigate', episode, trigger: triggerOf(episode), plan, requester: alarmRequester(episode.alarmName), jobKey: jobKeyOf(episode.episodeId) };
  }

  async function noteOnInvestigation(ledger: Ledger, episode: AlarmEpisode): Promise<AlarmTrigger> {
    const trigger = triggerOf(episode);
    // Not kept yet (still investigating): the job reads the episode when it posts the verdict.
    await ledger.investigations.setTrigger(episode.investigationId, trigger);
    return trigger;
  }

  /** An ALARM within the alarm's current episode: the same event again, or a re-fire. */
  async function within(ledger: Ledger, current: AlarmEpisode, change: AlarmChange): Promise<AlarmOutcome<P>> {
    const fired = await ledger.alarmEpisodes.refire(current, change.at);
    const episode = fired.episode;
    if (fired.outcome === 'refire') {
      if (episode.status === 'skipped') return ignored(change, `fired again, but the storm cap skipped this episode of ${change.alarmName}`);
      return { kind: 'refire', episode, trigger: await noteOnInvestigation(ledger, episode) };
    }
    // The opening event delivered again: its job may have crashed before posting; the lease decides.
    if (episode.startedAt === change.at.toISOString() && episode.status === 'investigating') return investigate(episode);
    return ignored(change, `already seen: ${change.alarmName} went to ALARM at ${change.at.toISOString()} within episode ${episode.startedAt}`);
  }

  async function recover(ledger: Ledger, change: AlarmChange): Promise<AlarmOutcome<P>> {
    const result = await ledger.alarmEpisodes.recover(alarmKey(change), change.at, quietMs);
    if (result.outcome === 'none') return ignored(change, `no investigation of ${change.alarmName} to close`);
    if (result.outcome !== 'recovered') return ignored(change, result.outcome === 'duplicate' ? 'already recovered' : 'an OK older than the latest ALARM');
    if (result.episode.status === 'skipped') return ignored(change, `recovered; its episode was not investigated (storm cap)`);
    return { kind: 'recovered', episode: result.episode, trigger: await noteOnInvestigation(ledger, result.episode) };
  }

  /** The alarm's tags, read in its own account when its event carries none and a route goes by tag. */
  async function withTags(change: AlarmChange): Promise<AlarmChange> {
    if (Object.keys(change.tags).length > 0 || !change.alarmArn || !settings.routes.some((r) => r.tag)) return change;
    const own = await clientsFor(change.account, change.region);
    if ('error' in own) return change;
    try {
      return { ...change, tags: await (await reads()).alarmTags(own.aws, change.alarmArn) };
    } catch {
      // Tags unreadable (permission, a deleted alarm): routes by name or API still apply.
      return change;
    }
  }

  async function openEpisode(ledger: Ledger, change: AlarmChange): Promise<AlarmOutcome<P>> {
    const mapping = mappingFor(change, settings.mappings);
    const where = await clientsFor(mapping?.account ?? change.account, mapping?.region ?? change.region);
    if ('error' in where) return ignored(change, where.error);
    const tagged = await withTags(change);
    const { apiById, resolveAlarmApi } = await reads();
    if (!routeCouldMatch(tagged, settings.routes)) return ignored(change, `unrouted: no entry of alarms.routes takes alarm ${change.alarmName}`);
    let api: AlarmApi;
    let via: string;
    if (mapping) {
      const found = await apiById(where.aws, mapping.api);
      if (!found) return ignored(change, `alarms.mappings sends ${change.alarmName} to ${mapping.api}, which is no API in ${where.region}`);
      api = { ...found, ...(mapping.stage ? { stage: mapping.stage } : {}) };
      via = 'mapping in configuration';
    } else {
      const resolved = await resolveAlarmApi(tagged, where.aws, settings.routes);
      if (resolved.status === 'unknown') return ignored(change, `unknown API: ${resolved.reason}`);
      ({ api, via } = resolved);
    }
    const route = routeFor(tagged, api, settings.routes);
    if (!route) return ignored(change, `unrouted: no entry of alarms.routes takes alarm ${change.alarmName} on API ${api.id}${api.name ? ` (${api.name})` : ''}`);
    const request: EpisodeRequest = {
      restApiId: api.id,
      ...(api.stage ? { stage: api.stage } : {}),
      region: where.region,
      ...(where.account ? { account: where.account } : {}),
      sinceMs: settings.since,
      until: change.at.toISOString(),
    };
    const threshold = thresholdText(change);
    const opened = await ledger.alarmEpisodes.open(
      {
        alarmKey: alarmKey(change),
        alarmName: redactText(change.alarmName),
        ...(change.alarmArn ? { alarmArn: change.alarmArn } : {}),
        investigationId: newInvestigationId(),
        channel: route.channel,
        apiKey: `${where.account ?? 'home'}:${where.region}:${api.id}`,
        ...(threshold ? { threshold: redactText(threshold) } : {}),
        via: redactText(via),
        route: describeRoute(route),
        request,
      },
      change.at,
      { quietMs, maxAgeMs: maxAgeMs(config) },
    );
    if (opened.outcome !== 'opened') return within(ledger, opened.episode, change);
    const episode = opened.episode;
    if (!(await ledger.alarmStormCap.take(episode.apiKey, change.at, episode.episodeId, settings.maxPerApiPerHour))) {
      await ledger.alarmEpisodes.markSkipped(episode);
      const { notice, first } = await ledger.alarmStormCap.skip(episode.apiKey, change.at, episode.channel, `${episode.alarmName} ${change.at.toISOString().slice(11, 16)}`);
      return { kind: 'capped', alarmName: episode.alarmName, episode: { ...episode, status: 'skipped' }, notice, first, cap: settings.maxPerApiPerHour };
    }
    return investigate(episode);
  }

  async function decide(ledger: Ledger, change: AlarmChange): Promise<AlarmOutcome<P>> {
    if (change.state === 'INSUFFICIENT_DATA') return ignored(change, 'INSUFFICIENT_DATA is neither a new alarm nor a recovery');
    if (change.state === 'OK') return recover(ledger, change);
    const current = await ledger.alarmEpisodes.get(alarmKey(change));
    if (current && AlarmEpisodes.belongsTo(current, change.at, quietMs, maxAgeMs(config))) return within(ledger, current, change);
    return openEpisode(ledger, change);
  }

  return {
    async receive(input) {
      const { parseAlarmNotification } = await import('../../core/alarm-parse.js');
      const parsed = parseAlarmNotification(input);
      if (!parsed.ok) return { ok: false, error: redactText(parsed.error) };
      const ledger = await deps.ledger();
      const outcomes: AlarmOutcome<P>[] = [];
      for (const change of parsed.value) outcomes.push(await decide(ledger, change));
      return { ok: true, outcomes };
    },
    attachParent: async (episode, parentTs) => (await deps.ledger()).alarmEpisodes.attachParent(episode, parentTs),
    episode: async (key) => (await deps.ledger()).alarmEpisodes.get(key),
    triggerOf,
    notice: async (notice) => (await deps.ledger()).alarmStormCap.notice(notice.apiKey, notice.hour, notice.channel),
    noticePosted: async (notice, ts) => (await deps.ledger()).alarmStormCap.noticePosted(notice, ts),
    async fireEvent(alarmName, state, at) {
      const env = await deps.environment();
      const aws = env.factory.forAccount(undefined, env.region);
      const { alarmTags, describeAlarm } = await reads();
      const alarm = await describeAlarm(aws, alarmName);
      if (!alarm) throw new TargetResolutionError(`no alarm named "${alarmName}" in ${env.region} (${env.origin}); DescribeAlarms found none`);
      const home = env.factory.homeAccountId ?? '000000000000';
      const key = alarm.AlarmArn ?? `arn:aws:cloudwatch:${env.region}:${home}:alarm:${alarmName}`;
      const episode = at ? undefined : await (await deps.ledger()).alarmEpisodes.get(key);
      const own = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp ?? env.now();
      let when = at ?? own;
      if (!at && episode) {
        const latest = Math.max(Date.parse(episode.lastFiredAt), episode.recoveredAt ? Date.parse(episode.recoveredAt) : 0);
        when = new Date(latest + (state === 'ALARM' ? REFIRE_STEP_MS : RECOVERY_STEP_MS));
      } else if (!at && state === 'OK') when = new Date(own.getTime() + RECOVERY_STEP_MS);
      let tags: Record<string, string> = {};
      if (alarm.AlarmArn) tags = await alarmTags(aws, alarm.AlarmArn).catch(() => ({}));
      return eventBridgeEventFor(alarm, { state, at: when, account: home, region: env.region, tags });
    },
  };
}
