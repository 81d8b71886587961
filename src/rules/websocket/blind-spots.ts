import { finding } from '../helpers.js';
import { accessLogNotDiagnosticRule, cloudtrailRefusedRule } from '../http/blind-spots.js';
import { defineRule } from '../types.js';
import { wsStages } from './events.js';

/** Without execution logs, authorizer results, integration errors and close reasons are not seen. */
export const wbExecutionLoggingOff = defineRule({
  id: 'WB.execution-logging-off',
  severity: 'low',
  title: 'Execution logging is off on the WebSocket stage',
  evaluate(input) {
    return wsStages(input)
      .filter((s) => (s.defaultRouteSettings?.loggingLevel ?? 'OFF') === 'OFF' && !Object.values(s.routeSettings).some((r) => r.loggingLevel && r.loggingLevel !== 'OFF'))
      .map((stage) =>
        finding(this, {
          detail: `Stage ${stage.stageName} writes no execution log (DefaultRouteSettings.LoggingLevel ${stage.defaultRouteSettings?.loggingLevel ?? 'unset'}): what the authorizer answered, why an integration failed and how connections closed (W2–W4, W11–W13, W21) can only be inferred from the access log.`,
          evidence: [{ source: 'apigwv2.stages', key: stage.stageName, quote: `${stage.stageName} LoggingLevel: ${stage.defaultRouteSettings?.loggingLevel ?? 'unset'}` }],
          fix: `aws apigatewayv2 update-stage --api-id ${input.target.restApiId} --stage-name '${stage.stageName}' --default-route-settings LoggingLevel=INFO (ERROR keeps only failures; the account needs its CloudWatch role).`,
        }),
      );
  },
});

/** Without an access log a WebSocket stage has no record per connect, message and disconnect. */
export const wbAccessLogsOff = defineRule({
  id: 'WB.access-logs-off',
  severity: 'low',
  title: 'Access logging is off on the WebSocket stage',
  evaluate(input) {
    return wsStages(input)
      .filter((s) => !s.accessLog?.destinationArn)
      .map((stage) =>
        finding(this, {
          detail: `Stage ${stage.stageName} has no access log: there is no record per CONNECT, MESSAGE and DISCONNECT with its status, route and connection, so refused handshakes, unrouted messages and idle closes (W1, W6, W20, W22) are counted from the execution log at best.`,
          evidence: [{ source: 'apigwv2.stages', key: stage.stageName, quote: `${stage.stageName} AccessLogSettings: none` }],
          fix: `aws apigatewayv2 update-stage --api-id ${input.target.restApiId} --stage-name '${stage.stageName}' --access-log-settings DestinationArn=<log group ARN>,Format='{"requestId":"$context.requestId","eventType":"$context.eventType","connectionId":"$context.connectionId","connectedAt":"$context.connectedAt","routeKey":"$context.routeKey","status":"$context.status","error":"$context.error.message","integrationError":"$context.integrationErrorMessage","integrationStatus":"$context.integration.status","authorizerError":"$context.authorizer.error"}'`,
        }),
      );
  },
});

export const wbAccessLogNotDiagnostic = accessLogNotDiagnosticRule('WB.access-log-not-diagnostic', 'connections and messages');

export const wbCloudtrailRefused = cloudtrailRefusedRule('WB.cloudtrail-refused', 'WebSocket API', 'changes not deployed to a stage (W7) and denied calls');
