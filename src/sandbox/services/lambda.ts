import { awsError } from '../aws-error.js';
import type { ScenarioFunction } from '../scenario.js';
import { omit, str, type Handler, type ServiceContext, type ServiceHandlers } from './context.js';

export function functionArn(ctx: Pick<ServiceContext, 'region' | 'accountId'>, name: string): string {
  return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;
}

/**
 * `FunctionName` may be a name, `name:qualifier`, a partial ARN (`123456789012:function:name`)
 * or a full ARN; Lambda answers all four, so the sandbox does too.
 */
function nameFrom(functionName: string): string {
  const arn = /^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:)?function:([^:]+)(?::.+)?$/.exec(functionName);
  if (arn?.[1]) return arn[1];
  return functionName.split(':')[0] ?? functionName;
}

function findFunction(input: Record<string, unknown>, ctx: ServiceContext): ScenarioFunction {
  const requested = str(input.FunctionName) ?? '';
  const name = nameFrom(requested);
  const fn = (ctx.account.lambda?.functions ?? []).find((f) => f.FunctionName === name);
  if (!fn) throw awsError('ResourceNotFoundException', `Function not found: ${functionArn(ctx, name)}`, 404);
  return fn;
}

const getFunctionConfiguration: Handler = (input, ctx) => {
  const fn = findFunction(input, ctx);
  const config: Record<string, unknown> = {
    FunctionArn: functionArn(ctx, fn.FunctionName),
    PackageType: 'Zip',
    LastUpdateStatus: 'Successful',
    ...omit(fn, ['policy', 'reservedConcurrency']),
  };
  // Lambda answers a VPC-attached function with the VPC of its subnets; a scenario may leave it out.
  const vpc = fn.VpcConfig;
  if (vpc?.SubnetIds?.length && !vpc.VpcId) {
    const subnets = (ctx.account.ec2?.subnets ?? []) as { SubnetId?: string; VpcId?: string }[];
    const vpcId = subnets.find((n) => n.SubnetId !== undefined && vpc.SubnetIds?.includes(n.SubnetId))?.VpcId;
    if (vpcId) config.VpcConfig = { ...vpc, VpcId: vpcId };
  }
  return config;
};

const getPolicy: Handler = (input, ctx) => {
  const fn = findFunction(input, ctx);
  if (fn.policy === undefined) throw awsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  return { Policy: fn.policy, RevisionId: '00000000-0000-4000-8000-000000000000' };
};

const getFunctionConcurrency: Handler = (input, ctx) => {
  const fn = findFunction(input, ctx);
  return fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };
};

export const lambdaHandlers: ServiceHandlers = {
  GetFunctionConfiguration: getFunctionConfiguration,
  GetPolicy: getPolicy,
  GetFunctionConcurrency: getFunctionConcurrency,
};
