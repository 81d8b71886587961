import { awsError } from '../aws-error.js';
import { compileFilterPattern } from '../filter-pattern.js';
import { firstAtOrAfter, type StoredGroup } from '../log-store.js';
import { invalidTokenErrors, pageOf } from '../paging.js';
import { str, strings, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

/** FilterLogEvents returns up to 10,000 events a page; DescribeLogGroups up to 50. */
const FILTER_MAX = 10_000;
const DESCRIBE_MAX = 50;

const groupMissing = () => awsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);

function groupArn(ctx: ServiceContext, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}`;
}

/** `logGroupIdentifier` may be a name or an ARN (with or without the trailing `:*`). */
function groupNameFrom(input: Record<string, unknown>): string | undefined {
  const identifier = str(input.logGroupIdentifier);
  if (identifier?.startsWith('arn:')) return identifier.replace(/:\*$/, '').split(':log-group:')[1];
  return str(input.logGroupName) ?? identifier;
}

function findGroup(input: Record<string, unknown>, ctx: ServiceContext): StoredGroup {
  const name = groupNameFrom(input);
  const group = name === undefined ? undefined : ctx.logs().get(name);
  if (!group) throw groupMissing();
  return group;
}

const filterLogEvents: Handler = (input, ctx) => {
  const group = findGroup(input, ctx);
  const start = typeof input.startTime === 'number' ? input.startTime : Number.NEGATIVE_INFINITY;
  const end = typeof input.endTime === 'number' ? input.endTime : Number.POSITIVE_INFINITY;
  const streams = strings(input.logStreamNames);
  const prefix = str(input.logStreamNamePrefix);
  const matches = compileFilterPattern(str(input.filterPattern));
  const from = Number.isFinite(start) ? firstAtOrAfter(group.events, start) : 0;
  const to = Number.isFinite(end) ? firstAtOrAfter(group.events, end + 1) : group.events.length;
  const selected = [];
  for (let i = from; i < to; i++) {
    const event = group.events[i];
    if (!event) continue;
    if (streams && !streams.includes(event.logStreamName)) continue;
    if (prefix !== undefined && !event.logStreamName.startsWith(prefix)) continue;
    if (matches(event.message)) selected.push(event);
  }
  const scope = `logs:FilterLogEvents:${group.logGroupName}:${start}:${end}:${str(input.filterPattern) ?? ''}`;
  const page = pageOf(selected, {
    token: input.nextToken,
    limit: input.limit,
    serviceMax: FILTER_MAX,
    scenarioPageSize: ctx.scenario.pageSize,
    scope,
    invalidToken: invalidTokenErrors.logs,
  });
  return {
    events: page.items.map((e) => ({ ...e })),
    searchedLogStreams: [],
    ...(page.next ? { nextToken: page.next } : {}),
  };
};

const describeLogGroups: Handler = (input, ctx) => {
  const prefix = str(input.logGroupNamePrefix);
  const pattern = str(input.logGroupNamePattern);
  const identifiers = strings(input.logGroupIdentifiers);
  const groups = [...ctx.logs().values()]
    .filter((g) => prefix === undefined || g.logGroupName.startsWith(prefix))
    .filter((g) => pattern === undefined || g.logGroupName.toLowerCase().includes(pattern.toLowerCase()))
    .filter((g) => !identifiers || identifiers.some((id) => id === g.logGroupName || id.replace(/:\*$/, '') === groupArn(ctx, g.logGroupName)))
    .sort((a, b) => a.logGroupName.localeCompare(b.logGroupName))
    .map((g) => ({
      logGroupName: g.logGroupName,
      creationTime: g.creationTime,
      arn: `${groupArn(ctx, g.logGroupName)}:*`,
      logGroupArn: groupArn(ctx, g.logGroupName),
      storedBytes: g.events.reduce((sum, e) => sum + e.message.length, 0),
      metricFilterCount: 0,
      ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    }));
  const page = pageOf(groups, {
    token: input.nextToken,
    limit: input.limit,
    serviceMax: DESCRIBE_MAX,
    scenarioPageSize: ctx.scenario.pageSize,
    scope: `logs:DescribeLogGroups:${prefix ?? ''}:${pattern ?? ''}`,
    invalidToken: invalidTokenErrors.logs,
  });
  return { logGroups: page.items, ...(page.next ? { nextToken: page.next } : {}) };
};

export const logsHandlers: ServiceHandlers = {
  FilterLogEvents: filterLogEvents,
  DescribeLogGroups: describeLogGroups,
};
