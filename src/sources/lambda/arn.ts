/** The parts of a Lambda function ARN: `arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]`. */
export interface LambdaArnParts {
  arn: string;
  region: string;
  accountId: string;
  functionName: string;
  qualifier?: string;
}

const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/;

export function parseLambdaArn(arn: string): LambdaArnParts | undefined {
  const match = LAMBDA_ARN.exec(arn);
  if (!match) return undefined;
  const [, region = '', accountId = '', functionName = '', qualifier] = match;
  return { arn, region, accountId, functionName, ...(qualifier ? { qualifier } : {}) };
}

/** Lambda writes to `/aws/lambda/{name}` unless the function configures another group. */
export function defaultLogGroupOf(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}
