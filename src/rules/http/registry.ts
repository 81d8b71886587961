import type { Rule } from '../types.js';
import { hbAccessLogNotDiagnostic, hbAccessLogsOff, hbCloudtrailRefused } from './blind-spots.js';
import { h1NoMatchingRoute } from './h1-no-matching-route.js';
import { h3ChangesNotDeployed } from './h3-changes-not-deployed.js';
import { h4DefaultEndpointDisabled } from './h4-default-endpoint-disabled.js';
import { h6ApiMappingWrong } from './h6-api-mapping-wrong.js';
import { h8DnsPointsElsewhere } from './h8-dns-points-elsewhere.js';
import { h10JwtRejected } from './h10-jwt-rejected.js';
import { h12AuthorizerIdentityMissing } from './h12-authorizer-identity-missing.js';
import { h13LambdaAuthorizerDenies } from './h13-lambda-authorizer-denies.js';
import { h14AuthorizerNotInvokable } from './h14-authorizer-not-invokable.js';
import { h14LambdaAuthorizerInvalidResponse } from './h14-lambda-authorizer-invalid-response.js';
import { h16CorsPreflightAuthorized } from './h16-cors-preflight-authorized.js';
import { h17CorsConfigMismatch } from './h17-cors-config-mismatch.js';
import { h18LambdaPermissionMissing } from './h18-lambda-permission-missing.js';
import { h19PayloadFormatMismatch } from './h19-payload-format-mismatch.js';
import { h20LambdaFunctionErrors } from './h20-lambda-function-errors.js';
import { h21IntegrationTimeout } from './h21-integration-timeout.js';
import { h22VpcLinkUnavailable } from './h22-vpc-link-unavailable.js';
import { h23VpcLinkSgBlocks } from './h23-vpc-link-sg-blocks.js';
import { h24Throttled } from './h24-throttled.js';

/** The HTTP API (API Gateway v2) rules, in catalogue order (http-api-failure-catalogue.md, H1…). */
export const HTTP_RULES: readonly Rule[] = [
  h1NoMatchingRoute,
  h3ChangesNotDeployed,
  h4DefaultEndpointDisabled,
  h6ApiMappingWrong,
  h8DnsPointsElsewhere,
  h10JwtRejected,
  h12AuthorizerIdentityMissing,
  h13LambdaAuthorizerDenies,
  h14LambdaAuthorizerInvalidResponse,
  h14AuthorizerNotInvokable,
  h16CorsPreflightAuthorized,
  h17CorsConfigMismatch,
  h18LambdaPermissionMissing,
  h19PayloadFormatMismatch,
  h20LambdaFunctionErrors,
  h21IntegrationTimeout,
  h22VpcLinkUnavailable,
  h23VpcLinkSgBlocks,
  h24Throttled,
  hbAccessLogsOff,
  hbAccessLogNotDiagnostic,
  hbCloudtrailRefused,
];
