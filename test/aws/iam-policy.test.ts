import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateIamPolicy, LOG_ACTIONS_WITHOUT_RESOURCES, readOnlyIamActions } from '../../src/aws/iam-policy.js';
import { isReadOperation, READ_ONLY_QUERY_ACTIONS, READ_OPERATIONS } from '../../src/aws/operations.js';

/** Verbs that change something; no action firebreak's read policy grants may start with one. */
const WRITE_VERB =
  /^(Put|Post|Patch|Create|Update|Delete|Modify|Authorize|Revoke|Add|Remove|Attach|Detach|Invoke|Start|Stop|Tag|Untag|Enable|Disable|Set|Replace|Associate|Disassociate|Import|Export|Reset|Restore|Run|Send|Terminate|Reboot|Register|Deregister|Apply|Accept|Reject|Cancel|Copy|Upload|Publish|Flush|Assume|Pass)/;

const allStatements = () => generateIamPolicy().Statement;

describe('read-only operation list', () => {
  it('holds only reads', () => {
    expect(READ_OPERATIONS.length).toBeGreaterThan(0);
    for (const op of READ_OPERATIONS) expect(isReadOperation(op), `${op.service}:${op.operation}`).toBe(true);
  });

  it('rejects a write dressed up as a read', () => {
    expect(isReadOperation({ service: 'ec2', operation: 'CreateVpc', iamActions: ['ec2:CreateVpc'], resources: ['*'], why: '' })).toBe(false);
    expect(isReadOperation({ service: 'ec2', operation: 'DescribeVpcs', iamActions: ['ec2:DeleteVpc'], resources: ['*'], why: '' })).toBe(false);
    expect(isReadOperation({ service: 'apigateway', operation: 'GetStage', iamActions: ['apigateway:PATCH'], resources: ['*'], why: '' })).toBe(false);
  });

  it('lets only the Logs Insights query verbs through as reads, by name', () => {
    expect([...READ_ONLY_QUERY_ACTIONS].sort()).toEqual(['logs:StartQuery', 'logs:StopQuery']);
    expect(isReadOperation({ service: 'logs', operation: 'StartQuery', iamActions: ['logs:StartQuery'], resources: ['*'], why: '' })).toBe(true);
    expect(isReadOperation({ service: 'logs', operation: 'StartQuery', iamActions: ['logs:StartQuery', 'logs:DeleteLogGroup'], resources: ['*'], why: '' })).toBe(false);
    expect(isReadOperation({ service: 'logs', operation: 'StartLiveTail', iamActions: ['logs:StartLiveTail'], resources: ['*'], why: '' })).toBe(false);
    expect(isReadOperation({ service: 'ec2', operation: 'StopInstances', iamActions: ['ec2:StopInstances'], resources: ['*'], why: '' })).toBe(false);
  });
});

describe('generated IAM policy', () => {
  it('grants every action the operation list needs, and nothing else', () => {
    const granted = new Set(allStatements().flatMap((s) => s.Action));
    expect([...granted].sort()).toEqual(readOnlyIamActions());
    for (const op of READ_OPERATIONS) for (const action of op.iamActions) expect(granted.has(action), action).toBe(true);
  });

  it('grants no write, no wildcard action and nothing but Allow', () => {
    for (const statement of allStatements()) {
      expect(statement.Effect).toBe('Allow');
      for (const action of statement.Action) {
        expect(action, statement.Sid).not.toContain('*');
        const [service, name = ''] = action.split(':');
        if (service === 'apigateway') expect(name, action).toBe('GET');
        else if (!READ_ONLY_QUERY_ACTIONS.has(action)) expect(WRITE_VERB.test(name), action).toBe(false);
      }
    }
  });

  it('limits API Gateway GETs to the resource paths firebreak reads', () => {
    const apigw = allStatements().filter((s) => s.Action.includes('apigateway:GET'));
    expect(apigw).toHaveLength(1);
    const resources = apigw[0]!.Resource;
    expect(resources).toContain('arn:aws:apigateway:*::/restapis/*');
    expect(resources).toContain('arn:aws:apigateway:*::/restapis/*/stages');
    expect(resources).not.toContain('*');
    for (const resource of resources) expect(resource).toMatch(/^arn:aws:apigateway:\*::\/[a-z]/);
  });

  it('fills in region and account when given', () => {
    const policy = generateIamPolicy({ region: 'eu-west-1', account: '111111111111' });
    const resources = policy.Statement.flatMap((s) => s.Resource);
    expect(resources).toContain('arn:aws:apigateway:eu-west-1::/restapis/*');
    expect(resources.join()).not.toContain('{region}');
    expect(resources.join()).not.toContain('{account}');
  });

  it('adds sts:AssumeRole only on the configured member roles', () => {
    expect(allStatements().flatMap((s) => s.Action)).not.toContain('sts:AssumeRole');
    const roles = ['arn:aws:iam::222222222222:role/firebreak-read', 'arn:aws:iam::111111111111:role/firebreak-read'];
    const assume = generateIamPolicy({ memberRoleArns: roles }).Statement.filter((s) => s.Action.includes('sts:AssumeRole'));
    expect(assume).toEqual([
      { Sid: 'AssumeMemberAccountReadRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [...roles].sort() },
    ]);
  });

  it('reads logs only from the log groups firebreak reads, never on Resource "*"', () => {
    const logs = generateIamPolicy({ region: 'eu-west-1', account: '111111111111', logGroups: ['/apigw/access-logs', 'flow-logs/*'] }).Statement.filter((s) =>
      s.Action.some((a) => a.startsWith('logs:')),
    );
    const onStar = (statements: typeof logs) =>
      statements.filter((s) => s.Resource.includes('*')).flatMap((s) => s.Action.filter((a) => !LOG_ACTIONS_WITHOUT_RESOURCES.includes(a)));
    expect(onStar(logs)).toEqual([]);
    const filter = logs.find((s) => s.Action.includes('logs:FilterLogEvents'));
    expect(filter?.Resource).toEqual([
      'arn:aws:logs:eu-west-1:111111111111:log-group:/apigw/access-logs:*',
      'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/*',
      'arn:aws:logs:eu-west-1:111111111111:log-group:API-Gateway-Execution-Logs_*',
      'arn:aws:logs:eu-west-1:111111111111:log-group:flow-logs/*',
    ]);
    expect(onStar(allStatements().filter((s) => s.Action.some((a) => a.startsWith('logs:'))))).toEqual([]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(generateIamPolicy())).toBe(JSON.stringify(generateIamPolicy()));
  });
});

describe('docs/iam-policy.json', () => {
  it('is in sync with the operation list', () => {
    const committed: unknown = JSON.parse(readFileSync(new URL('../../docs/iam-policy.json', import.meta.url), 'utf8'));
    expect(
      committed,
      'docs/iam-policy.json is stale; regenerate it with: npm run firebreak -- iam-policy > docs/iam-policy.json',
    ).toEqual(generateIamPolicy());
  });
});
