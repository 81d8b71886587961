import type { CallbackFailureKind } from '../../core/evidence.js';
import { LAMBDA_FAILURE_PATTERN, lambdaLogsSourceWith } from '../lambda/logs.js';

/**
 * A backend's failed `@connections` call as its runtime logs it (apigatewaymanagementapi errors,
 * catalogue §1.4): `GoneException: UnknownError` (SDK v3), `"errorType":"GoneException"` with
 * `"errorMessage":"410"` (SDK v2, aws/aws-sdk-js-v3#2763), `An error occurred (GoneException) when
 * calling the PostToConnection operation` (boto3), the ManageConnections denial (aws/aws-cdk#18410),
 * and a wrong endpoint: ForbiddenException (no stage, aws/aws-sdk-js-v3#1830), "No method found
 * matching route <stage>/@connections/…" (custom domain with the stage, simple-websockets-chat-app#40),
 * `execute-api:Invoke on …/@connections` (serverless-domain-manager#390), a mis-scoped credential.
 * Denial first: its text names the action, which a Forbidden or a 410 line does not.
 */
const CALLBACK_SIGNATURES: readonly [CallbackFailureKind, RegExp][] = [
  ['access_denied', /not authorized to perform: execute-api:ManageConnections/],
  ['wrong_endpoint', /No method found matching route [^ ]*@connections|execute-api:Invoke on resource: \S*@connections|Credential should be scoped to a valid region|ForbiddenException/],
  ['gone', /GoneException|\b410 Gone\b/],
  ['too_large', /PayloadTooLargeException/],
  ['limit_exceeded', /LimitExceededException/],
];

export function classifyCallbackLine(message: string): CallbackFailureKind | undefined {
  return CALLBACK_SIGNATURES.find(([, pattern]) => pattern.test(message))?.[0];
}

const CALLBACK_PATTERN = '?GoneException ?"410 Gone" ?ManageConnections ?ForbiddenException ?"No method found matching route" ?"Credential should be scoped" ?PayloadTooLargeException ?LimitExceededException';

/** The backends' logs: their failures, and their failed posts to connections. */
export const websocketLambdaLogsSource = lambdaLogsSourceWith({ pattern: `${LAMBDA_FAILURE_PATTERN} ${CALLBACK_PATTERN}`, callbackFailure: classifyCallbackLine });
