import { describe, expect, it } from 'vitest';
import type { CoverageRow } from '../../src/core/coverage.js';
import type { Finding } from '../../src/core/finding.js';
import { fixCommandFor } from '../../src/core/fix-commands.js';

const coverage: CoverageRow[] = [{ source: 'apigw.rest-api', title: 'REST API', status: 'ok', account: '123456789012', region: 'eu-west-1', durationMs: 1, calls: [] }];
const report = { target: { kind: 'api-gw' as const, restApiId: 'a1b2c3d4e5', region: 'eu-west-1', stage: 'prod', apiType: 'REST' as const }, coverage };
const finding = (fix: string, extra: Partial<Finding> = {}): Finding => ({ rule: 'X.y', severity: 'high', title: 't', detail: 'd', evidence: [], fix, ...extra });

describe('fixes as commands', () => {
  it('fills in the account the report knows, and the region, in a command the rule wrote', () => {
    const fix = fixCommandFor(
      finding("aws lambda add-permission --function-name shop-orders --statement-id apigw-a1b2c3d4e5 --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn 'arn:aws:execute-api:eu-west-1:<account>:a1b2c3d4e5/*/*/*'", { evidence: [{ source: 'lambda.functions', key: 'shop-orders' }] }),
      report,
    );
    expect(fix.cli).toBe("aws lambda add-permission --function-name shop-orders --statement-id apigw-a1b2c3d4e5 --principal apigateway.amazonaws.com --action lambda:InvokeFunction --source-arn 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/*/*' --region eu-west-1");
    expect(fix.cli).not.toContain('<account>');
    expect(fix.console).toEqual({ label: 'function shop-orders', url: 'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/shop-orders' });
  });

  it('takes the command out of the prose: after a colon, in parentheses, with the function it needs', () => {
    const colon = fixCommandFor(finding('Set logging level ERROR on stage prod: aws apigateway update-stage --rest-api-id a1b2c3d4e5 --stage-name prod --patch-operations op=replace,path=/*/*/logging/loglevel,value=ERROR'), report);
    expect(colon.prose).toBe('Set logging level ERROR on stage prod');
    expect(colon.cli).toMatch(/^aws apigateway update-stage .*value=ERROR --region eu-west-1$/);
    const inParens = fixCommandFor(finding('Remove or raise the reserved concurrency of shop-orders (aws lambda delete-function-concurrency).', { evidence: [{ source: 'lambda.functions', key: 'shop-orders' }] }), report);
    expect(inParens).toMatchObject({ prose: 'Remove or raise the reserved concurrency of shop-orders.', cli: 'aws lambda delete-function-concurrency --function-name shop-orders --region eu-west-1' });
  });

  it('writes out the commands of fixes the rules say in words: security group, deployment, DNS, a refused permission', () => {
    expect(fixCommandFor(finding('Add an inbound rule TCP 443 from 10.20.0.0/16 to sg-0abc1234def567890.'), report)).toMatchObject({
      cli: 'aws ec2 authorize-security-group-ingress --group-id sg-0abc1234def567890 --protocol tcp --port 443 --cidr 10.20.0.0/16 --region eu-west-1',
      console: { label: 'security group sg-0abc1234def567890', url: 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#SecurityGroup:groupId=sg-0abc1234def567890' },
    });
    expect(fixCommandFor(finding('Create a deployment of a1b2c3d4e5 to stage prod.'), report).cli).toBe('aws apigateway create-deployment --rest-api-id a1b2c3d4e5 --stage-name prod --region eu-west-1');
    const dns = fixCommandFor(finding('Point orders.example.com at d-abc123.execute-api.eu-west-1.amazonaws.com (Route 53 alias A record or CNAME).'), report);
    expect(dns.cli).toContain('aws route53 change-resource-record-sets --hosted-zone-id <hosted zone id of orders.example.com>');
    expect(dns.cli).toContain('"Name":"orders.example.com","Type":"CNAME"');
    expect(fixCommandFor(finding('Allow cloudtrail:LookupEvents to the firebreak role.'), report).cli).toBe(
      'firebreak iam-policy --region eu-west-1 --account 123456789012 > firebreak-policy.json\naws iam put-role-policy --role-name <firebreak role> --policy-name firebreak-read-only --policy-document file://firebreak-policy.json',
    );
  });

  it('links the API stage in the console when nothing more specific is named, and offers nothing for "nothing to fix"', () => {
    expect(fixCommandFor(finding('Make clients use the custom domain.'), { ...report, target: { ...report.target, apiType: 'HTTP' as const } }).console?.url).toBe(
      'https://eu-west-1.console.aws.amazon.com/apigateway/main/publish/domain-names?region=eu-west-1',
    );
    expect(fixCommandFor(finding('Upload large payloads to S3 with a presigned URL.'), report).console?.label).toBe('REST API a1b2c3d4e5 stage prod');
    expect(fixCommandFor(finding('Nothing to fix for this incident; watch it if it grows.'), report)).toEqual({ prose: 'Nothing to fix for this incident; watch it if it grows.' });
  });
});
