import { cloudwatchRoleMissing } from '../blind-spots/cloudwatch-role-missing.js';
import type { Rule } from '../types.js';
import { wbAccessLogNotDiagnostic, wbAccessLogsOff, wbCloudtrailRefused, wbExecutionLoggingOff } from './blind-spots.js';
import { w16PostingToGoneConnections, w17ManageConnectionsDenied, w18WrongCallbackEndpoint, w19CallbackLimits } from './callbacks.js';
import { w1IdentitySourceMissing, w2AuthorizerDenies, w3AuthorizerFails, w4ConnectIntegrationFails, w5IamConnectDenied } from './connect.js';
import { w11LambdaPermissionMissing, w12FunctionErrors, w13IntegrationTimeout, w14OneWayRoute, w15VpcLinkProblem } from './integrations.js';
import { w20ConnectionLifetime, w21MessageTooLarge, w22Throttled } from './limits.js';
import { w10ApiMappingWrong, w6NoRouteMatched, w7ChangesNotDeployed, w8DefaultEndpointDisabled, w9RouteWithoutIntegration } from './routing.js';

/**
 * The WebSocket API rules, in catalogue order (websocket-api-failure-catalogue.md, W1…). W23
 * (subprotocol not echoed) and W24 (token in a header from a browser) are not separate rules:
 * docs/rules.md says why. The account's CloudWatch role (B.cloudwatch-role-missing) matters to
 * WebSocket stages as it does to REST ones.
 */
export const WEBSOCKET_RULES: readonly Rule[] = [
  w1IdentitySourceMissing,
  w2AuthorizerDenies,
  w3AuthorizerFails,
  w4ConnectIntegrationFails,
  w5IamConnectDenied,
  w6NoRouteMatched,
  w7ChangesNotDeployed,
  w8DefaultEndpointDisabled,
  w9RouteWithoutIntegration,
  w10ApiMappingWrong,
  w11LambdaPermissionMissing,
  w12FunctionErrors,
  w13IntegrationTimeout,
  w14OneWayRoute,
  w15VpcLinkProblem,
  w16PostingToGoneConnections,
  w17ManageConnectionsDenied,
  w18WrongCallbackEndpoint,
  w19CallbackLimits,
  w20ConnectionLifetime,
  w21MessageTooLarge,
  w22Throttled,
  wbExecutionLoggingOff,
  wbAccessLogsOff,
  wbAccessLogNotDiagnostic,
  cloudwatchRoleMissing,
  wbCloudtrailRefused,
];
