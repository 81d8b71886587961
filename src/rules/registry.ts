import { l1LambdaCannotReachService } from './network/l1-lambda-cannot-reach-service.js';
import { o1ScpDeniesInvoke } from './limits/o1-scp-denies-invoke.js';
import { a2IdentitySourceMissing } from './auth/a2-identity-source-missing.js';
import { a3AuthorizerFunctionFails } from './auth/a3-authorizer-function-fails.js';
import { a5IamAuthorizationFails } from './auth/a5-iam-authorization-fails.js';
import { a6CognitoRejectsToken } from './auth/a6-cognito-rejects-token.js';
import { i2IntegrationRoleNotAssumable } from './integration/i2-integration-role-not-assumable.js';
import { i7BackendUnreachable } from './integration/i7-backend-unreachable.js';
import { i8BadUriOrMapping } from './integration/i8-bad-uri-or-mapping.js';
import { t3RequestTooLarge } from './limits/t3-request-too-large.js';
import { n4PrivateDnsOff } from './network/n4-private-dns-off.js';
import { n6TlsHandshake } from './network/n6-tls-handshake.js';
import { p6CrossAccountIam } from './policy/p6-cross-account-iam.js';
import { r7MtlsRefused } from './routing/r7-mtls-refused.js';
import { r8CanaryFailures } from './routing/r8-canary-failures.js';
import { a1AuthorizerDenies } from './auth/a1-authorizer-denies.js';
import { a4AuthorizerNotInvokable } from './auth/a4-authorizer-not-invokable.js';
import { a7ApiKeyUsagePlan } from './auth/a7-api-key-usage-plan.js';
import { a8WafBlocks } from './auth/a8-waf-blocks.js';
import { accessLogsOff } from './blind-spots/access-logs-off.js';
import { cloudtrailRefused } from './blind-spots/cloudtrail-refused.js';
import { cloudwatchRoleMissing } from './blind-spots/cloudwatch-role-missing.js';
import { executionLoggingOff } from './blind-spots/execution-logging-off.js';
import { flowLogsOff } from './blind-spots/flow-logs-off.js';
import { i1LambdaPermissionMissing } from './integration/i1-lambda-permission-missing.js';
import { i3MalformedProxyResponse } from './integration/i3-malformed-proxy-response.js';
import { i4LambdaFunctionError } from './integration/i4-lambda-function-error.js';
import { i5LambdaThrottled } from './integration/i5-lambda-throttled.js';
import { i6IntegrationTimeout } from './integration/i6-integration-timeout.js';
import { o2ScpBlockedFix } from './limits/o2-scp-blocked-fix.js';
import { t1Throttled } from './limits/t1-throttled.js';
import { t2QuotaExceeded } from './limits/t2-quota-exceeded.js';
import { n1PrivateDnsCapturesPublicApi } from './network/n1-private-dns-captures-public-api.js';
import { n2EndpointSgNo443 } from './network/n2-endpoint-sg-no-443.js';
import { n3VpcDnsAttributesOff } from './network/n3-vpc-dns-attributes-off.js';
import { n5EndpointNotAvailable } from './network/n5-endpoint-not-available.js';
import { p1PrivateApiNoAllowingPolicy } from './policy/p1-private-api-no-allowing-policy.js';
import { p2PolicyStaleVpce } from './policy/p2-policy-stale-vpce.js';
import { p3PolicyNotDeployed } from './policy/p3-policy-not-deployed.js';
import { p4ConditionKeyWrongEndpointType } from './policy/p4-condition-key-wrong-endpoint-type.js';
import { p5EndpointPolicyDenies } from './policy/p5-endpoint-policy-denies.js';
import { r1RouteNotDeployed } from './routing/r1-route-not-deployed.js';
import { r2StaleDeployment } from './routing/r2-stale-deployment.js';
import { r3BasePathMappingWrong } from './routing/r3-base-path-mapping-wrong.js';
import { r4DnsPointsElsewhere } from './routing/r4-dns-points-elsewhere.js';
import { r5EndpointTypeMismatch } from './routing/r5-endpoint-type-mismatch.js';
import { r6DefaultEndpointDisabled } from './routing/r6-default-endpoint-disabled.js';
import type { Rule } from './types.js';

/** Every zero-token rule, in catalogue order. Adding a rule is adding a module and one line here. */
export const RULES: readonly Rule[] = [
  n1PrivateDnsCapturesPublicApi,
  n2EndpointSgNo443,
  n3VpcDnsAttributesOff,
  n4PrivateDnsOff,
  n5EndpointNotAvailable,
  n6TlsHandshake,
  p1PrivateApiNoAllowingPolicy,
  p2PolicyStaleVpce,
  p3PolicyNotDeployed,
  p4ConditionKeyWrongEndpointType,
  p5EndpointPolicyDenies,
  p6CrossAccountIam,
  r1RouteNotDeployed,
  r2StaleDeployment,
  r3BasePathMappingWrong,
  r4DnsPointsElsewhere,
  r5EndpointTypeMismatch,
  r6DefaultEndpointDisabled,
  r7MtlsRefused,
  r8CanaryFailures,
  a1AuthorizerDenies,
  a2IdentitySourceMissing,
  a3AuthorizerFunctionFails,
  a4AuthorizerNotInvokable,
  a5IamAuthorizationFails,
  a6CognitoRejectsToken,
  a7ApiKeyUsagePlan,
  a8WafBlocks,
  i1LambdaPermissionMissing,
  i2IntegrationRoleNotAssumable,
  i3MalformedProxyResponse,
  i4LambdaFunctionError,
  i5LambdaThrottled,
  i6IntegrationTimeout,
  i7BackendUnreachable,
  i8BadUriOrMapping,
  t1Throttled,
  t2QuotaExceeded,
  t3RequestTooLarge,
  o1ScpDeniesInvoke,
  o2ScpBlockedFix,
  l1LambdaCannotReachService,
  executionLoggingOff,
  cloudwatchRoleMissing,
  accessLogsOff,
  flowLogsOff,
  cloudtrailRefused,
];
