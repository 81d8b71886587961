import { SEVERITY_RANK, type Finding } from '../../core/finding.js';
import { evidenceOf, finding, requireAnySource, requireSources } from '../helpers.js';
import { limits, zeroThrottleFinding } from '../http/h24-throttled.js';
import { defineRule } from '../types.js';
import { causeOf } from './causes.js';
import { fromLines } from '../counting/index.js';
import { countFinding, countRefs, merged, scopeKey, tallyEvents, weigh, type Tallied, type WsCount } from './counts.js';
import { stageEvents, wsRoutes, wsStages, type WsEvent } from './events.js';

/** Connection limits (DG apigateway-execution-service-websocket-limits-table): not raisable. */
const IDLE_MS = 10 * 60_000;
const MAX_DURATION_MS = 2 * 3600_000;
/** How close to the limit a close must be to be the limit's doing (log timestamps lag a little). */
const SLACK_MS = 5_000;

/** How long a disconnected connection had been quiet: since its last message in the log, else since it opened. */
function lifetimes(events: readonly WsEvent[]): Map<WsEvent, { duration: number; idle: number }> {
  const lastMessage = new Map<string, number>();
  for (const e of events) if (e.eventType === 'MESSAGE' && e.connectionId) lastMessage.set(e.connectionId, Math.max(lastMessage.get(e.connectionId) ?? 0, e.timestamp));
  const out = new Map<WsEvent, { duration: number; idle: number }>();
  for (const e of events) {
    if (e.eventType !== 'DISCONNECT' || e.connectedAt === undefined) continue;
    const last = Math.max(e.connectedAt, (e.connectionId && lastMessage.get(e.connectionId)) || 0);
    out.set(e, { duration: e.timestamp - e.connectedAt, idle: e.timestamp - last });
  }
  return out;
}

const within = (value: number | undefined, low: number, high: number) => value !== undefined && value >= low && value <= high;

/**
 * W20: connections closed by the 10-minute idle timeout or the 2-hour cap. API Gateway does not
 * count protocol pings as activity (andyrichardson/subscriptionless#3, reported): a client must
 * send messages to stay connected, and reconnect before two hours.
 */
export const w20ConnectionLifetime = defineRule({
  id: 'W20.connection-lifetime',
  severity: 'medium',
  title: 'Connections are closed by the idle timeout (10 min) or the 2-hour limit',
  evaluate(input) {
    const blocked = requireSources(input, this, ['logs.access'], 'connections closed by the idle or 2-hour limits');
    if (blocked) return blocked;
    const life = new Map<WsEvent, { duration: number; idle: number }>();
    for (const stage of stageEvents(input)) for (const [event, l] of lifetimes(stage.events)) life.set(event, l);
    // Two causes with one fix: each counted on its own against the disconnects, named together.
    const idle = weigh(input, 'Disconnects after 10 minutes idle', 'lifetime', tallyEvents(input, { eventType: 'DISCONNECT', match: (e) => within(life.get(e)?.idle, IDLE_MS, IDLE_MS + SLACK_MS) }));
    const capped = weigh(input, 'Disconnects at the 2-hour limit', 'lifetime', tallyEvents(input, { eventType: 'DISCONNECT', match: (e) => within(life.get(e)?.duration, MAX_DURATION_MS - SLACK_MS, Infinity) }));
    const passing = [idle, capped].filter((c) => c.count.passes);
    if (!passing.length) return [...idle.count.note(this), ...capped.count.note(this)];
    const severities = passing.map((c) => c.count.severity(this.severity));
    return [
      {
        ...finding(this, {
          severity: severities.reduce((a, b) => (SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b)),
          detail: `${passing.map((c) => c.count.text()).join(' ')} API Gateway closes a WebSocket connection after 10 minutes without a message and after 2 hours in any case (neither is raisable); protocol pings do not count as activity. The backend then gets GoneException for those connections.`,
          evidence: passing.flatMap(countRefs),
          fix: 'Have clients send an application-level heartbeat message (e.g. {"action":"ping"}) every few minutes and reconnect before 2 hours; handle the close by reconnecting.',
        }),
        figures: passing.flatMap((c) => c.count.figures),
      },
    ];
  },
});

const CLOSE_CODE = /Close reason: \[(1009|1003)\b/;

/**
 * W21: a message over 128 KB or a frame over 32 KB closes the connection with 1009, a binary frame
 * with 1003 (DG-2023 websocket limits). Read from the close reason of the disconnect lines of
 * the execution log (the form of an API Gateway emulator's log; AWS does not document it).
 */
export const w21MessageTooLarge = defineRule({
  id: 'W21.message-too-large',
  severity: 'medium',
  title: 'Connections are closed for an oversized message (1009) or a binary frame (1003)',
  evaluate(input) {
    const logs = (evidenceOf(input, 'logs.execution') ?? []).filter((l) => !input.target.stage || l.stage === input.target.stage);
    const tallied: Tallied = { tallies: [], examples: new Map() };
    const allDisconnects = tallyEvents(input, { eventType: 'DISCONNECT', match: () => true });
    for (const log of logs) {
      const disconnects = log.lines.filter((l) => /disconnected from API/.test(l.message));
      const closed = disconnects.filter((l) => CLOSE_CODE.test(l.message));
      if (!closed.length) continue;
      const scope = { kind: 'stage' as const, name: log.stage };
      // The close lines are error lines, all read; the healthy disconnects only when the read was whole.
      const counted = log.period ? allDisconnects.tallies.find((t) => t.scope.kind === 'stage' && t.scope.name === log.stage)?.failures : undefined;
      tallied.tallies.push(fromLines(input, scope, closed.map((l) => l.timestamp), counted ?? disconnects.map((l) => l.timestamp), { whole: !log.period, unit: 'events', source: 'logs.execution' }));
      tallied.examples.set(scopeKey(scope), closed.slice(0, 1).map((l) => l.message));
    }
    return countFinding(this, input, weigh(input, 'Connections closed with 1009 (message too big) or 1003 (binary frame)', 'server', tallied), (c) => ({
        detail: `${c.count.text()} API Gateway accepts messages up to 128 KB in frames of at most 32 KB and no binary frames: a larger message closes the connection with 1009, a binary frame with 1003.`,
        evidence: countRefs(c),
        fix: 'Split large messages into frames of at most 32 KB (and messages of at most 128 KB), or send a reference to fetch; send text frames (base64 for binary data).',
      }));
  },
});

/**
 * W22: throttling refuses connections (429 at the handshake) or messages: stage or route limits
 * (a 0 written by IaC refuses everything, terraform-aws-modules/terraform-aws-apigateway-v2#8),
 * the 500 new connections per second of the account and Region, or its 10,000 rps shared with
 * every API and the callback API.
 */
export const w22Throttled = defineRule({
  id: 'W22.throttled',
  severity: 'high',
  title: 'Throttling refuses connections or messages (429)',
  evaluate(input) {
    const findings: Finding[] = [];
    const zeroStages = new Set<string>();
    for (const stage of wsStages(input)) {
      const zero = zeroThrottleFinding(this, input, stage, 'every connection or message');
      if (zero) {
        findings.push(zero);
        zeroStages.add(stage.stageName);
      }
    }
    const blocked = requireAnySource(input, this, ['logs.access', 'logs.execution'], 'throttled connections or messages');
    if (blocked) return [...findings, ...blocked];
    const routes = wsRoutes(input);
    const both = merged(
      tallyEvents(input, { eventType: 'CONNECT', match: (e) => causeOf(e, routes) === 'W22' }),
      tallyEvents(input, { eventType: 'MESSAGE', byRoute: true, match: (e) => causeOf(e, routes) === 'W22' }),
    );
    const tallied: Tallied = { ...both, tallies: both.tallies.filter((t) => !zeroStages.has(t.scope.stage ?? t.scope.name)) };
    const settings = wsStages(input).map((s) => {
      const routeLimits = Object.entries(s.routeSettings).filter(([, r]) => r.throttlingRateLimit !== undefined || r.throttlingBurstLimit !== undefined);
      return `${s.stageName}: default ${limits(s.defaultRouteSettings)}${routeLimits.length ? `; ${routeLimits.map(([k, r]) => `${k}: ${limits(r)}`).join('; ')}` : ''}`;
    });
    const account = evidenceOf(input, 'apigw.account')?.throttleSettings;
    findings.push(
      ...countFinding(this, input, weigh(input, 'Throttled handshakes and messages (429)', 'throttle', tallied), (c: WsCount) => ({
          detail: `${c.count.text()} Limits: ${settings.join('; ')}${account ? `; account ${account.rateLimit ?? '?'} rps, burst ${account.burstLimit ?? '?'} (shared by every API and the @connections callbacks)` : ''}; new connections are also limited to 500 per second per account and Region. Excessive 429s may not all be logged.`,
          evidence: [...countRefs(c), ...settings.map((s) => ({ source: 'apigwv2.stages', quote: s }))],
          fix: `Raise the stage or route limits (aws apigatewayv2 update-stage --api-id ${input.target.restApiId} --stage-name <stage> --default-route-settings ThrottlingRateLimit=<rps>,ThrottlingBurstLimit=<burst>, or --route-settings for a route key), spread reconnects with jitter, or ask for a higher connection-rate quota.`,
        })),
    );
    return findings;
  },
});
