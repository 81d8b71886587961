import type { LambdaLogEvidence, MetricScope } from '../../core/evidence.js';
import type { EvidenceRef, Finding, Severity } from '../../core/finding.js';
import { Count, countFailures, fromEvents, fromFunctionLog, type EventSpec, type Family, type Tally } from '../counting/index.js';
import { clip, finding } from '../helpers.js';
import type { Rule, RuleInput } from '../types.js';
import { routeBackends } from './backends.js';
import { isMessageRoute, stageEvents, wsRoutes, type EventType } from './events.js';

/**
 * How the W rules use the one counting model (src/rules/counting/): they say what they count
 * (WebSocket events of a cause per stage or route, or failures in a function's log), and the
 * model weighs them against the scope's connections, messages or invocations, decides the
 * threshold (THRESHOLDS), severity and figures. This module only keeps the example texts of
 * what was counted, for the findings' evidence.
 */
export interface Tallied {
  tallies: Tally[];
  /** Example texts per scope (`scopeKey`). */
  examples: Map<string, string[]>;
}

export const scopeKey = (scope: MetricScope) => `${scope.kind}\u0000${scope.stage ?? ''}\u0000${scope.name}`;

/** The route keys whose functions serve an event type (or one route): their invocations stand in for an ERROR-level log's traffic. */
function functionsOf(input: RuleInput, eventType: EventType, route: string | undefined): string[] {
  const keys = route !== undefined ? [route] : eventType === 'CONNECT' ? ['$connect'] : eventType === 'DISCONNECT' ? ['$disconnect'] : wsRoutes(input).map((r) => r.routeKey).filter(isMessageRoute);
  return routeBackends(input).flatMap((b) => (keys.includes(b.route.routeKey) && b.log ? [b.log.functionName] : []));
}

/** Events of one type matching `match`, per stage or per route. */
export function tallyEvents(input: RuleInput, spec: Omit<EventSpec, 'functionsOf'>): Tallied {
  const stages = stageEvents(input);
  const tallies = fromEvents(input, stages, { ...spec, functionsOf: (route) => functionsOf(input, spec.eventType, route) });
  const examples = new Map<string, string[]>();
  for (const stage of stages) {
    for (const e of stage.events) {
      if (e.eventType !== spec.eventType || !e.texts.length || !spec.match(e)) continue;
      const key = scopeKey(spec.byRoute ? { kind: 'route', name: e.routeKey ?? '-', stage: stage.stage } : { kind: 'stage', name: stage.stage });
      const list = examples.get(key) ?? [];
      for (const text of e.texts) if (list.length < 2 && !list.includes(text)) list.push(text);
      examples.set(key, list);
    }
  }
  return { tallies, examples };
}

/** Failures of a kind in one function's log, against its invocations. */
export function tallyFunction(input: RuleInput, log: LambdaLogEvidence, count: number, seen: { times?: number[]; last?: number; examples: string[] }): Tallied {
  const tally = fromFunctionLog(input, log.functionName, count, seen, log.invocationsExact ?? false);
  return { tallies: [tally], examples: new Map([[scopeKey(tally.scope), seen.examples.slice(0, 2)]]) };
}

export function merged(...parts: readonly Tallied[]): Tallied {
  return { tallies: parts.flatMap((p) => p.tallies), examples: new Map(parts.flatMap((p) => [...p.examples])) };
}

/** A count of the model with its examples. */
export interface WsCount {
  count: Count;
  examples: Map<string, string[]>;
}

export function weigh(input: RuleInput, what: string, family: Family, tallied: Tallied): WsCount {
  return { count: countFailures(input, { what, family, tallies: tallied.tallies }), examples: tallied.examples };
}

/** Evidence for the scopes that passed (or all, below the threshold), each with its figure's words and an example. */
export function countRefs(c: WsCount): EvidenceRef[] {
  const scopes = c.count.passing.length ? c.count.passing : c.count.scopes;
  return scopes.slice(0, 4).map((s) => {
    const example = c.examples.get(scopeKey(s.scope))?.[0];
    return { source: s.source ?? 'logs.access', key: s.scope.stage ?? s.scope.name, quote: clip(`${c.count.spec.what}: ${Count.phrase(s)}${example ? `: ${example}` : ''}`) };
  });
}

/** What a count rule writes; severity and figures come from the count. */
export interface FindingParts {
  title?: string;
  detail: string;
  evidence: EvidenceRef[];
  fix: string;
  /** Overrides the proportional severity (e.g. a decisive configuration fact). */
  severity?: Severity;
}

/**
 * The finding a count rule emits: none when nothing was seen; the model's low "seen N times" note
 * below its threshold; otherwise the rule's finding (built by `make`, whose detail opens with the
 * count's words) with the model's severity and figures.
 */
export function countFinding(rule: Rule, input: RuleInput, c: WsCount, make: (c: WsCount) => FindingParts): Finding[] {
  if (!c.count.scopes.length) return [];
  if (!c.count.passes) return c.count.note(rule);
  const parts = make(c);
  return [{ ...finding(rule, { ...parts, severity: parts.severity ?? c.count.severity(rule.severity) }), figures: c.count.figures }];
}
