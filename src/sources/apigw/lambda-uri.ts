/**
 * Lambda integrations and authorizers name their function inside an API Gateway service ARN:
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`.
 */
const LAMBDA_INVOCATION_URI = /^arn:aws[\w-]*:apigateway:[^:]*:lambda:path\/[\d-]+\/functions\/(.+?)\/invocations$/;

/** The function ARN (possibly with a qualifier or `${stageVariables.x}`) or undefined. */
export function lambdaArnFromUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  return LAMBDA_INVOCATION_URI.exec(uri)?.[1];
}
