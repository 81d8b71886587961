import { GetFunctionConcurrencyCommand, GetFunctionConfigurationCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ANY_SEGMENT } from '../../core/arn-match.js';
import type { LambdaFunctionEvidence, SourceId } from '../../core/evidence.js';
import { classifyError, errorName } from '../../aws/errors.js';
import type { AwsClients } from '../../aws/clients.js';
import { parsePolicyDocument } from '../apigw/policy.js';
import { clientsFor, homeAccountOf, listText, plural } from '../cross-account.js';
import type { Describer } from '../../core/describe.js';
import { defineSource, type SourceContext, type SourceOutcome } from '../types.js';
import { parseLambdaArn, type LambdaArnParts } from './arn.js';
import { evaluateInvokePermission } from './invoke-permission.js';
import { lambdaUsages, type FunctionUsage } from './usages.js';
import { recordAnswers } from '../record.js';
import { writeLambdaAnswer } from './record.js';

/** Stands for the API's account in execute-api ARNs until it is known. */
export const ACCOUNT_PLACEHOLDER = '{account}';

async function apiAccountId(ctx: SourceContext): Promise<string> {
  const known = ctx.evidence['apigw.rest-api']?.accountId ?? ctx.evidence['apigwv2.api']?.accountId ?? homeAccountOf(ctx);
  if (known) return known;
  const identity = await ctx.aws.sts.send(new GetCallerIdentityCommand({}));
  return identity.Account ?? ANY_SEGMENT;
}

async function readPolicy(clients: AwsClients, fn: LambdaArnParts) {
  try {
    const out = await clients.lambda.send(
      new GetPolicyCommand({ FunctionName: fn.functionName, ...(fn.qualifier ? { Qualifier: fn.qualifier } : {}) }),
    );
    return parsePolicyDocument(out.Policy).policy;
  } catch (err) {
    // Lambda answers ResourceNotFoundException when the function has no resource-based policy.
    if (errorName(err) === 'ResourceNotFoundException') return null;
    throw err;
  }
}

/** Reads one function's configuration, concurrency and policy, all at once. */
async function readFunction(
  clients: AwsClients,
  fn: LambdaArnParts,
  usages: FunctionUsage[],
  apiAccount: Promise<string>,
): Promise<LambdaFunctionEvidence> {
  const evidence: LambdaFunctionEvidence = {
    functionArn: fn.arn,
    functionName: fn.functionName,
    accountId: fn.accountId,
    region: fn.region,
    usedBy: [...new Set(usages.map((u) => u.kind))],
    layers: [],
  };
  const qualifier = fn.qualifier ? { Qualifier: fn.qualifier } : {};
  // The three reads are independent: make them at once. Each says ResourceNotFoundException
  // when the function is gone; the configuration read decides what that means.
  const notFoundAs = <T>(value: T) => (err: unknown): T => {
    if (errorName(err) === 'ResourceNotFoundException') return value;
    throw err;
  };
  const [config, concurrency, policy] = await Promise.all([
    clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.functionName, ...qualifier })).catch(notFoundAs(undefined)),
    clients.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: fn.functionName })).catch(notFoundAs({ ReservedConcurrentExecutions: undefined })),
    readPolicy(clients, fn),
  ]);
  if (!config) {
    // API Gateway keeps the ARN of a deleted or renamed function; every call then fails with a 500.
    return { ...evidence, state: 'NotFound', unreadable: `function ${fn.functionName} not found in account ${fn.accountId} ${fn.region}` };
  }
  const account = await apiAccount;
  if (config.State) evidence.state = config.State;
  if (config.StateReason) evidence.stateReason = config.StateReason;
  if (config.LastUpdateStatus) evidence.lastUpdateStatus = config.LastUpdateStatus;
  if (config.Runtime) evidence.runtime = config.Runtime;
  if (config.Timeout !== undefined) evidence.timeout = config.Timeout;
  if (config.MemorySize !== undefined) evidence.memorySize = config.MemorySize;
  if (config.Role) evidence.role = config.Role;
  evidence.layers = (config.Layers ?? []).map((l) => l.Arn ?? '').filter(Boolean);
  if (config.VpcConfig && ((config.VpcConfig.SubnetIds?.length ?? 0) > 0 || (config.VpcConfig.SecurityGroupIds?.length ?? 0) > 0)) {
    evidence.vpcConfig = { subnetIds: config.VpcConfig.SubnetIds ?? [], securityGroupIds: config.VpcConfig.SecurityGroupIds ?? [], ...(config.VpcConfig.VpcId ? { vpcId: config.VpcConfig.VpcId } : {}) };
  }
  if (concurrency.ReservedConcurrentExecutions !== undefined) evidence.reservedConcurrency = concurrency.ReservedConcurrentExecutions;
  evidence.invokePermission = evaluateInvokePermission(
    policy,
    usages.map((u) => u.sourceArn.replace(ACCOUNT_PLACEHOLDER, account)),
    account,
  );
  return evidence;
}

function unreadable(arn: string, usages: FunctionUsage[], why: string, parts?: LambdaArnParts): LambdaFunctionEvidence {
  return {
    functionArn: arn,
    functionName: parts?.functionName ?? arn,
    ...(parts ? { accountId: parts.accountId, region: parts.region } : {}),
    usedBy: [...new Set(usages.map((u) => u.kind))],
    layers: [],
    unreadable: why,
  };
}

/**
 * The authorizer list only adds functions to read: when it failed, the integration functions are
 * still read and the row says which functions could not be known.
 */
function authorizersNotRead(ctx: SourceContext, authorizersSource: SourceId): string | undefined {
  const row = ctx.coverage(authorizersSource);
  if (row?.status !== 'error') return undefined;
  return `authorizer functions not known: ${authorizersSource} failed (${row.error?.kind ?? 'error'})`;
}

/**
 * Reads every function the API uses (integrations and authorizers, REST or HTTP) and judges its
 * invoke permission against the execute-api source ARNs of those usages.
 */
export async function readLambdaFunctions(ctx: SourceContext, usages: FunctionUsage[], authorizersSource: SourceId): Promise<SourceOutcome<'lambda.functions'>> {
  const authorizerNote = authorizersNotRead(ctx, authorizersSource);
  if (usages.length === 0) {
    const none = ctx.target.apiType === 'HTTP' || ctx.target.apiType === 'WEBSOCKET' ? 'no route integrates with Lambda and no authorizer is a Lambda function' : 'no method integrates with Lambda and no authorizer is a Lambda function';
    return { status: 'not_applicable', reason: authorizerNote ? `${none.replace(/ and no authorizer is a Lambda function$/, '')}; ${authorizerNote}` : none, evidence: [] };
  }
  // The API's account is only needed to evaluate permissions: look it up alongside the reads.
  const accountPromise = apiAccountId(ctx);
  // Awaited by each function read; this only keeps a refusal from going unhandled when none awaits it.
  accountPromise.catch(() => undefined);
  const byArn = new Map<string, FunctionUsage[]>();
  for (const usage of usages) byArn.set(usage.functionArn, [...(byArn.get(usage.functionArn) ?? []), usage]);

  const home = homeAccountOf(ctx);
  const functions = await Promise.all(
    [...byArn].map(async ([arn, fnUsages]): Promise<LambdaFunctionEvidence> => {
      const parts = parseLambdaArn(arn);
      if (!parts) return unreadable(arn, fnUsages, arn.includes('${') ? `function ARN comes from a stage variable: ${arn}` : `not a Lambda function ARN: ${arn}`);
      const seenIn = [...new Set(fnUsages.map((u) => `a Lambda ARN in an ${u.kind}`))].join(' and ');
      const access = clientsFor(ctx, parts.accountId, parts.region, seenIn);
      if ('unreadable' in access) return unreadable(arn, fnUsages, access.unreadable, parts);
      try {
        return await readFunction(access.clients, parts, fnUsages, accountPromise);
      } catch (err) {
        // The home account's errors say something about firebreak's own role: let the runner classify them.
        // Another account's refusal is one unreadable function, not a failed source.
        if (!home || parts.accountId === home) throw err;
        const error = classifyError(err);
        return unreadable(arn, fnUsages, `${error.kind}${error.action ? ` (${error.action})` : ''} in account ${parts.accountId}: ${error.message}`, parts);
      }
    }),
  );

  const unread = functions.filter((f) => f.unreadable && f.state !== 'NotFound');
  const missing = functions.filter((f) => f.state === 'NotFound');
  const notAllowed = functions.filter((f) => f.invokePermission && !f.invokePermission.allowsThisApi);
  const noRole = [...new Set(unread.filter((f) => f.unreadable?.startsWith('no role')).map((f) => f.accountId ?? '?'))];
  if (unread.length === functions.length && noRole.length > 0 && unread.every((f) => f.unreadable?.startsWith('no role'))) {
    return {
      status: 'not_configured',
      evidence: functions,
      count: functions.length,
      reason: `no role for account ${listText(noRole)}`,
      hint: `add a read-only role for account ${listText(noRole)} to the firebreak config (accounts[].roleArn)`,
    };
  }
  const notes: string[] = [];
  if (authorizerNote) notes.push(authorizerNote);
  if (missing.length > 0) notes.push(`${listText(missing.map((f) => f.functionName))} not found`);
  if (notAllowed.length > 0) notes.push(`API Gateway may not invoke ${listText(notAllowed.map((f) => f.functionName))}`);
  const deadOrThrottled = functions.filter((f) => f.reservedConcurrency === 0 || (f.state && !['Active', 'NotFound'].includes(f.state)));
  if (deadOrThrottled.length > 0) notes.push(`${listText(deadOrThrottled.map((f) => f.functionName))} not active or with 0 reserved concurrency`);
  if (unread.length > 0) notes.push(`not read: ${listText(unread.map((f) => `${f.functionName} (${f.unreadable})`))}`);
  return {
    status: 'ok',
    evidence: functions,
    count: functions.length,
    reason: `${plural(functions.length, 'function')}${notes.length ? `; ${notes.join('; ')}` : ''}`,
  };
}

/** Each function with its permission verdict (the REST and HTTP sources share it). */
export const describeLambdaFunctions: Describer<'lambda.functions'> = {
  order: 150,
  lines: (functions, kit) =>
    functions.flatMap((fn) => {
      if (fn.unreadable) return [`lambda ${fn.functionName} unreadable: ${fn.unreadable} arn=${fn.functionArn}`];
      const lines = [
        `lambda ${fn.functionName} ${kit.pairs({
          arn: fn.functionArn,
          usedBy: fn.usedBy,
          state: fn.state,
          stateReason: fn.stateReason,
          lastUpdateStatus: fn.lastUpdateStatus,
          runtime: fn.runtime,
          timeout: fn.timeout,
          memory: fn.memorySize,
          reservedConcurrency: fn.reservedConcurrency,
          layers: fn.layers.length > 0 ? fn.layers : undefined,
          vpcSubnets: fn.vpcConfig?.subnetIds,
          vpcSecurityGroups: fn.vpcConfig?.securityGroupIds,
        })}`,
      ];
      const permission = fn.invokePermission;
      if (permission) {
        lines.push(
          `lambda ${fn.functionName} invoke permission for this API: ${permission.allowsThisApi ? 'ALLOWED' : 'MISSING'}${
            permission.matchingStatements.length > 0 ? ` statements=${permission.matchingStatements.join(',')}` : ''
          }${permission.reason ? ` — ${permission.reason}` : ''}`,
        );
        if (!permission.allowsThisApi && permission.policy) lines.push(...kit.policy(`lambda ${fn.functionName} policy`, permission.policy));
      }
      return lines;
    }),
};

export const lambdaFunctionsSource = defineSource({
  id: 'lambda.functions',
  title: 'Lambda functions',
  dependsOn: ['apigw.resources'],
  // Authorizers only add functions: a failed list leaves the integration functions read.
  after: ['apigw.authorizers'],
  calls: { chain: 2, why: 'GetCallerIdentity first only when the API’s account is not known yet (it scopes the permission check)', needs: 1 },
  async run(ctx) {
    const methods = ctx.evidence['apigw.resources'] ?? [];
    const authorizers = ctx.evidence['apigw.authorizers'] ?? [];
    const usages = lambdaUsages(methods, authorizers, {
      region: ctx.target.region,
      accountId: ACCOUNT_PLACEHOLDER,
      restApiId: ctx.target.restApiId,
      ...(ctx.target.stage ? { stage: ctx.target.stage } : {}),
    });
    return readLambdaFunctions(ctx, usages, 'apigw.authorizers');
  },
  describe: describeLambdaFunctions,
  record: recordAnswers(writeLambdaAnswer),
});
