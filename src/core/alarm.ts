/**
 * A CloudWatch alarm's state change, whichever way it arrived (EventBridge event, SNS
 * notification, DescribeAlarms answer), and the words every front end uses for an investigation
 * an alarm started. The three shapes name the same things differently (dimensions as a map, as
 * `[{name,value}]`, as `[{Name,Value}]`; the Region as a code or a display name): `alarm-parse.ts`
 * turns each into this one shape.
 */
export const ALARM_STATES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** One metric (or expression) an alarm watches. */
export interface AlarmMetric {
  namespace?: string;
  name?: string;
  /** Dimension name → value, whatever notation the alarm came in. */
  dimensions: Record<string, string>;
  stat?: string;
  /** Seconds. */
  period?: number;
  /** Math alarms: the query id, its expression and whether it is the series the alarm compares. */
  id?: string;
  expression?: string;
  label?: string;
  returnData?: boolean;
}

export interface AlarmChange {
  /** The shape it came in. */
  shape: 'eventbridge' | 'sns' | 'describe-alarms';
  /** EventBridge event id or SNS MessageId: what a redelivery repeats. */
  deliveryId?: string;
  alarmName: string;
  /** `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`, when the shape carries it. */
  alarmArn?: string;
  /** 12-digit account id. */
  account?: string;
  /** Region code (SNS names the Region by display name: it is taken from the ARN instead). */
  region?: string;
  state: AlarmState;
  previousState?: AlarmState;
  /** When the state changed: the episode's clock and the end of the investigation window. */
  at: Date;
  reason?: string;
  description?: string;
  metrics: AlarmMetric[];
  threshold?: number;
  /** CloudWatch's ComparisonOperator, e.g. GreaterThanThreshold. */
  comparison?: string;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  /** Tags propagated with the alarm (EventBridge `alarmTags`, SNS `AlarmTags`, a scenario's `Tags`). */
  tags: Record<string, string>;
  /** Composite alarms: the rule and the child alarms (ARNs or names) that triggered it. */
  composite?: { rule?: string; triggering: string[] };
}

/** Names an alarm rule refers to: `ALARM(name)`, `OK("name with spaces")`, `INSUFFICIENT_DATA(arn)`. */
export function ruleChildren(rule: string): string[] {
  const names: string[] = [];
  const pattern = /\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*(?:"([^"]*)"|([^()\s"]+))\s*\)/g;
  for (let match = pattern.exec(rule); match; match = pattern.exec(rule)) {
    const ref = (match[1] ?? match[2] ?? '').trim();
    names.push(ref.includes(':alarm:') ? ref.slice(ref.indexOf(':alarm:') + ':alarm:'.length) : ref);
  }
  return names;
}

/** How an investigation an alarm started is remembered with it and shown in its parent message. */
export interface AlarmTrigger {
  alarmName: string;
  alarmArn?: string;
  /** "5XXError Sum > 5 (3 of 5 × 1 min)": what the alarm compares, in one line. */
  threshold?: string;
  /** ISO instant the episode began (the ALARM transition that opened it). */
  since: string;
  /** ALARM transitions in this episode (1 for the first). */
  firings: number;
  /** ISO instant of the latest ALARM transition. */
  lastFiredAt: string;
  /** ISO instant it went back to OK, while it stays there. */
  recoveredAt?: string;
  /** How the API was found: "dimension ApiId", "function orders-read", "mapping in configuration". */
  via: string;
  /** Which routing-table entry chose the channel. */
  route?: string;
}

/** Investigations started by an alarm are requested by `alarm:<name>`: never a Slack user id. */
export const ALARM_REQUESTER_PREFIX = 'alarm:';
/** The history partition every alarm-started investigation is listed in too (App Home). */
export const ALARM_HISTORY_KEY = '@alarms';

export function alarmRequester(alarmName: string): string {
  return `${ALARM_REQUESTER_PREFIX}${alarmName}`;
}

export function isAlarmRequester(requester: string): boolean {
  return requester.startsWith(ALARM_REQUESTER_PREFIX);
}

const ARN = /^arn:aws[\w-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/;

/** Region, account and name from an alarm ARN; undefined for anything else (SNS test payloads say `REGION`). */
export function parseAlarmArn(arn: string | undefined): { region: string; account: string; name: string } | undefined {
  const match = arn ? ARN.exec(arn) : null;
  if (!match) return undefined;
  return { region: match[1] as string, account: match[2] as string, name: match[3] as string };
}

export function alarmArnOf(region: string, account: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;
}

/** The alarm's identity for deduplication: its ARN, else region/account/name as far as known. */
export function alarmKey(change: Pick<AlarmChange, 'alarmArn' | 'region' | 'account' | 'alarmName'>): string {
  return change.alarmArn ?? alarmArnOf(change.region ?? 'unknown', change.account ?? 'unknown', change.alarmName);
}

const OPERATORS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside the band',
  LessThanLowerThreshold: 'below the band',
  GreaterThanUpperThreshold: 'above the band',
};

/** The series the alarm compares: the one metric, or the math alarm's `returnData` query. */
export function watchedMetric(change: Pick<AlarmChange, 'metrics'>): AlarmMetric | undefined {
  return change.metrics.find((m) => m.returnData === true) ?? change.metrics.find((m) => m.name) ?? change.metrics[0];
}

function number(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function periodText(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** "5XXError Sum > 5 (3 of 5 × 1 min)"; as much as the shape says, undefined when it says nothing. */
export function thresholdText(change: Pick<AlarmChange, 'metrics' | 'threshold' | 'comparison' | 'evaluationPeriods' | 'datapointsToAlarm'>): string | undefined {
  const metric = watchedMetric(change);
  const what = metric ? (metric.name ?? metric.label ?? metric.expression ?? metric.id) : undefined;
  const op = change.comparison ? (OPERATORS[change.comparison] ?? change.comparison) : undefined;
  const left = [what, metric?.stat].filter(Boolean).join(' ');
  const compare = change.threshold !== undefined ? `${op ?? 'vs'} ${number(change.threshold)}` : op;
  const head = [left, compare].filter(Boolean).join(' ');
  if (!head) return undefined;
  const periods = change.evaluationPeriods;
  const window = periods ? ` (${change.datapointsToAlarm ?? periods} of ${periods}${metric?.period ? ` × ${periodText(metric.period)}` : ''})` : metric?.period ? ` (${periodText(metric.period)})` : '';
  return `${head}${window}`;
}

function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
}

/** How a front end writes times and code: Slack's `<!date^…>` and backticks, the terminal's UTC clock. */
export interface AlarmTextStyle {
  time: (at: Date) => string;
  code: (text: string) => string;
}

/**
 * The lines an alarm adds to an investigation's parent message, in the same words everywhere:
 * what started it (name, threshold, since when), any re-fire in the episode, and the recovery.
 */
export function alarmLines(trigger: AlarmTrigger, style: AlarmTextStyle): string[] {
  const threshold = trigger.threshold ? ` (${trigger.threshold})` : '';
  const lines = [`Started by alarm ${style.code(trigger.alarmName)}${threshold}, in ALARM since ${style.time(new Date(trigger.since))}`];
  if (trigger.firings > 1) lines.push(`Fired again at ${style.time(new Date(trigger.lastFiredAt))} (${trigger.firings} times in this episode)`);
  if (trigger.recoveredAt) {
    const minutes = minutesBetween(trigger.since, trigger.recoveredAt);
    lines.push(`Recovered at ${style.time(new Date(trigger.recoveredAt))} (${minutes} minute${minutes === 1 ? '' : 's'})`);
  }
  return lines;
}

/** HH:MM in UTC: the terminal's way of writing a time in these lines. */
export function utcClock(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
}

/** The weekly summary's line, in Slack and the terminal: "4 investigations started by alarms, 3 closed by the rules". */
export function alarmWeekText(alarms: { started: number; closedByRules: number } | undefined): string {
  if (!alarms || alarms.started === 0) return 'no investigations started by alarms';
  return `${alarms.started} investigation${alarms.started === 1 ? '' : 's'} started by alarms, ${alarms.closedByRules} closed by the rules`;
}
