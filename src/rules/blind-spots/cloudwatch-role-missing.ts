import { evidenceOf, finding } from '../helpers.js';
import { defineRule } from '../types.js';

/** Without the account's CloudWatch role, API Gateway writes no execution or access logs in the Region. */
export const cloudwatchRoleMissing = defineRule({
  id: 'B.cloudwatch-role-missing',
  severity: 'medium',
  title: 'No CloudWatch role for API Gateway: no logs can be written in this Region',
  evaluate(input) {
    const account = evidenceOf(input, 'apigw.account');
    if (!account || account.cloudwatchRoleArn) return [];
    return [
      finding(this, {
        detail: `API Gateway has no cloudwatchRoleArn in ${input.target.region}: whatever the stage settings say, no execution or access logs are written, so an absence of logs proves nothing about where requests stopped.`,
        evidence: [{ source: 'apigw.account', quote: `cloudwatchRoleArn: none in ${input.target.region}` }],
        fix: `Create a role trusted by apigateway.amazonaws.com with AmazonAPIGatewayPushToCloudWatchLogs and set it: aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=<role arn>`,
      }),
    ];
  },
});
