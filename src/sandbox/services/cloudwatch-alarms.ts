import { ruleChildren } from '../../core/alarm.js';
import { awsError } from '../aws-error.js';
import { pageOf } from '../paging.js';
import type { ScenarioAlarm } from '../scenario.js';
import { copy, str, strings, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

/**
 * CloudWatch alarms as DescribeAlarms answers them, from the scenario's `alarms` (and their tags,
 * as ListTagsForResource answers them). Honoured as AWS does (CloudWatch API reference,
 * DescribeAlarms): `AlarmNames` (≤ 100) or `AlarmNamePrefix`, not both; `AlarmTypes` (metric alarms
 * only when absent); `StateValue`; `ActionPrefix`; `ChildrenOfAlarmName` / `ParentsOfAlarmName`
 * alone (with `MaxRecords` and `NextToken`), answered with name, ARN, state and update time only;
 * `MaxRecords` 1–100 (default 50) over the alarms in name order; `NextToken`. moto ignores
 * `AlarmTypes`, `MaxRecords` and `NextToken` and applies one filter only (reference §8): this
 * follows AWS's documented behaviour, not moto's.
 */
const DEFAULT_MAX_RECORDS = 50;
const MAX_RECORDS = 100;
const STATES = new Set(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const TYPES = new Set(['MetricAlarm', 'CompositeAlarm']);

const validation = (message: string) => awsError('ValidationError', message, 400);
const invalidToken = () => awsError('InvalidNextToken', 'The service cannot process the NextToken you supplied.', 400);

export function alarmArn(ctx: Pick<ServiceContext, 'scenario'>, alarm: Pick<ScenarioAlarm, 'AlarmName' | 'AlarmArn'>): string {
  const home = ctx.scenario.accounts[0]?.accountId ?? '000000000000';
  return alarm.AlarmArn ?? `arn:aws:cloudwatch:${ctx.scenario.region}:${home}:alarm:${alarm.AlarmName}`;
}

/** The alarms in the caller's account and region (an ARN places an alarm; otherwise the home account). */
function alarmsHere(ctx: ServiceContext): ScenarioAlarm[] {
  return ctx.scenario.alarms.filter((alarm) => {
    const [, , , region, account] = alarmArn(ctx, alarm).split(':');
    return region === ctx.region && account === ctx.accountId;
  });
}

const isComposite = (alarm: ScenarioAlarm) => alarm.AlarmRule !== undefined;

/** The answer's shape: DescribeAlarms' own fields, the scenario-only `Tags` left out. */
function described(alarm: ScenarioAlarm, ctx: ServiceContext): Record<string, unknown> {
  const { Tags: _tags, StateTransitionedTimestamp, StateUpdatedTimestamp, ...fields } = alarm;
  const transitioned = StateTransitionedTimestamp ?? ctx.scenario.now;
  return copy({
    ...fields,
    AlarmArn: alarmArn(ctx, alarm),
    StateReason: alarm.StateReason ?? (alarm.StateValue === 'INSUFFICIENT_DATA' ? 'Unchecked: Initial alarm creation' : `Alarm is in state ${alarm.StateValue}`),
    StateTransitionedTimestamp: transitioned,
    StateUpdatedTimestamp: StateUpdatedTimestamp ?? transitioned,
    AlarmConfigurationUpdatedTimestamp: transitioned,
  });
}

/** What ChildrenOfAlarmName and ParentsOfAlarmName answer: "Only the Alarm Name, ARN, StateValue … and StateUpdatedTimestamp". */
function brief(alarm: ScenarioAlarm, ctx: ServiceContext): Record<string, unknown> {
  const full = described(alarm, ctx);
  return { AlarmName: full.AlarmName, AlarmArn: full.AlarmArn, StateValue: full.StateValue, StateUpdatedTimestamp: full.StateUpdatedTimestamp };
}

function checkInput(input: Record<string, unknown>): void {
  const names = input.AlarmNames === undefined ? undefined : strings(input.AlarmNames);
  if (input.AlarmNames !== undefined && (!names || names.length !== (input.AlarmNames as unknown[]).length)) throw validation('AlarmNames must be a list of strings');
  if (names && names.length > 100) throw validation("1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100");
  if (names?.some((n) => n.length < 1 || n.length > 255)) throw validation('each of AlarmNames must be 1 to 255 characters');
  if (names?.length && input.AlarmNamePrefix !== undefined) throw validation('AlarmNamePrefix cannot be specified with AlarmNames');
  const prefix = input.AlarmNamePrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length < 1 || prefix.length > 255)) throw validation('AlarmNamePrefix must be 1 to 255 characters');
  if (input.StateValue !== undefined && !STATES.has(String(input.StateValue))) throw validation(`StateValue must be one of OK, ALARM, INSUFFICIENT_DATA`);
  const types = input.AlarmTypes === undefined ? undefined : strings(input.AlarmTypes);
  if (types?.some((t) => !TYPES.has(t))) throw validation('AlarmTypes must be MetricAlarm or CompositeAlarm');
  const max = input.MaxRecords;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RECORDS)) {
    throw validation(`1 validation error detected: Value '${String(max)}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and ${MAX_RECORDS}`);
  }
  for (const family of ['ChildrenOfAlarmName', 'ParentsOfAlarmName']) {
    if (input[family] === undefined) continue;
    const others = Object.keys(input).filter((k) => k !== family && k !== 'MaxRecords' && k !== 'NextToken' && input[k] !== undefined);
    if (others.length) throw validation(`If you specify ${family}, you cannot specify any other parameters except MaxRecords and NextToken (got ${others.join(', ')})`);
  }
}

const describeAlarms: Handler = (input, ctx) => {
  checkInput(input);
  const here = alarmsHere(ctx).sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : a.AlarmName > b.AlarmName ? 1 : 0));
  let chosen: ScenarioAlarm[];
  let render: (alarm: ScenarioAlarm) => Record<string, unknown> = (alarm) => described(alarm, ctx);
  const children = str(input.ChildrenOfAlarmName);
  const parents = str(input.ParentsOfAlarmName);
  if (children !== undefined) {
    const composite = here.find((a) => a.AlarmName === children && isComposite(a));
    const wanted = new Set(composite?.AlarmRule ? ruleChildren(composite.AlarmRule) : []);
    chosen = here.filter((a) => wanted.has(a.AlarmName));
    render = (alarm) => brief(alarm, ctx);
  } else if (parents !== undefined) {
    chosen = here.filter((a) => a.AlarmRule !== undefined && ruleChildren(a.AlarmRule).includes(parents));
    render = (alarm) => brief(alarm, ctx);
  } else {
    const names = strings(input.AlarmNames);
    const prefix = str(input.AlarmNamePrefix);
    const state = str(input.StateValue);
    const action = str(input.ActionPrefix);
    const types = new Set(strings(input.AlarmTypes) ?? ['MetricAlarm']);
    chosen = here.filter(
      (a) =>
        types.has(isComposite(a) ? 'CompositeAlarm' : 'MetricAlarm') &&
        (!names?.length || names.includes(a.AlarmName)) &&
        (prefix === undefined || a.AlarmName.startsWith(prefix)) &&
        (state === undefined || a.StateValue === state) &&
        (action === undefined || [...a.AlarmActions, ...a.OKActions, ...a.InsufficientDataActions].some((arn) => arn.startsWith(action))),
    );
  }
  const scope = `cloudwatch:DescribeAlarms:${JSON.stringify({ ...input, NextToken: undefined, MaxRecords: undefined })}`;
  const page = pageOf(chosen, {
    token: input.NextToken,
    limit: typeof input.MaxRecords === 'number' ? input.MaxRecords : DEFAULT_MAX_RECORDS,
    serviceMax: MAX_RECORDS,
    scenarioPageSize: ctx.scenario.pageSize,
    scope,
    invalidToken,
  });
  return {
    MetricAlarms: page.items.filter((a) => !isComposite(a)).map(render),
    CompositeAlarms: page.items.filter(isComposite).map(render),
    ...(page.next ? { NextToken: page.next } : {}),
  };
};

/** ListTagsForResource on an alarm ARN: the scenario alarm's `Tags`. */
const listTagsForResource: Handler = (input, ctx) => {
  const arn = str(input.ResourceARN);
  const alarm = arn ? alarmsHere(ctx).find((a) => alarmArn(ctx, a) === arn) : undefined;
  if (!alarm) throw awsError('ResourceNotFoundException', `The specified resource ${arn ?? ''} does not exist.`, 404);
  return { Tags: copy(alarm.Tags ?? []) };
};

export const cloudwatchAlarmsHandlers: ServiceHandlers = { DescribeAlarms: describeAlarms, ListTagsForResource: listTagsForResource };
