import { describe, expect, it } from 'vitest';
import { ANY_PATH, ANY_SEGMENT, arnLike, describeArn, executeApiArn, executeApiPrefix, globMatch, resourceMatch } from '../../src/core/arn-match.js';

/**
 * AWS's documented examples, each with the page it comes from, run through the one matcher.
 * `kind` says which IAM element matches it: a Resource entry, an ARN condition (ArnLike and
 * ArnEquals, "Each of the six colon-delimited components of the ARN is checked separately") or a
 * string condition (StringLike, which "ignores the ARN structure").
 */
const IAM_CONDITIONS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN';
const IAM_RESOURCE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html';
const APIGW_INVOKE = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html';
const APIGW_RESOURCE_POLICIES = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html';
const LAMBDA_APIGW = 'https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html#apigateway-permissions';
const HTTP_LAMBDA = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html';
const HTTP_AUTHORIZER = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html';
const SCP_EXAMPLES = 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html';

type Kind = 'resource' | 'arn-condition' | 'string-condition';
interface Example {
  source: string;
  kind: Kind;
  pattern: string;
  value: string;
  matches: boolean;
  /** What the page says the pattern means. */
  says: string;
}

const API = 'arn:aws:execute-api:us-east-1:123456789012:a123456789';

const EXAMPLES: Example[] = [
  // ARN condition operators
  { source: IAM_CONDITIONS, kind: 'arn-condition', pattern: 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID', value: 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID', matches: true, says: 'the SQS example: ArnEquals on aws:SourceArn names the topic' },
  { source: IAM_CONDITIONS, kind: 'arn-condition', pattern: 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID', value: 'arn:aws:sns:us-east-2:210987654321:TOPIC-ID', matches: false, says: 'another account is another topic' },
  { source: IAM_CONDITIONS, kind: 'arn-condition', pattern: 'arn:aws:sns:*:123456789012:TOPIC-ID', value: 'arn:aws:sns:eu-west-1:123456789012:TOPIC-ID', matches: true, says: 'each component can include a multi-character match wildcard (*)' },
  { source: IAM_CONDITIONS, kind: 'arn-condition', pattern: 'arn:aws:sns:us-east-?:123456789012:TOPIC-ID', value: 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID', matches: true, says: 'or a single-character match wildcard (?)' },
  { source: IAM_CONDITIONS, kind: 'arn-condition', pattern: 'arn:aws:sns:*:TOPIC-ID', value: 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID', matches: false, says: 'each of the six components is checked separately: a * does not stand for two of them' },
  { source: IAM_CONDITIONS, kind: 'string-condition', pattern: 'arn:aws:sns:*:TOPIC-ID', value: 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID', matches: true, says: 'StringLike ignores the ARN structure' },
  { source: IAM_CONDITIONS, kind: 'arn-condition', pattern: 'arn:aws:sns:us-east-2:123456789012:topic-id', value: 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID', matches: false, says: 'case-sensitive matching of the ARN' },
  // Resource element
  { source: IAM_RESOURCE, kind: 'resource', pattern: 'arn:aws:iam::123456789012:user/accounting/*', value: 'arn:aws:iam::123456789012:user/accounting/bob', matches: true, says: 'all IAM users whose path is /accounting' },
  { source: IAM_RESOURCE, kind: 'resource', pattern: 'arn:aws:iam::123456789012:user/accounting/*', value: 'arn:aws:iam::123456789012:user/accounting/east/bob', matches: true, says: '* replaces everything within a segment, slashes included' },
  { source: IAM_RESOURCE, kind: 'resource', pattern: 'arn:aws:iam::123456789012:user/accounting/*', value: 'arn:aws:iam::123456789012:user/marketing/bob', matches: false, says: 'another path is not covered' },
  { source: IAM_RESOURCE, kind: 'resource', pattern: 'arn:aws:s3:::amzn-s3-demo-bucket/*', value: 'arn:aws:s3:::amzn-s3-demo-bucket/1/test/object.jpg', matches: true, says: 'all items within a specific S3 bucket' },
  { source: IAM_RESOURCE, kind: 'resource', pattern: 'arn:aws:execute-api:us-*-1:123456789012:a123456789/*', value: `${API}/prod/GET/pets`, matches: true, says: 'wildcards within the individual segments of an ARN' },
  { source: IAM_RESOURCE, kind: 'resource', pattern: 'arn:aws:execute-api:us-*-1:123456789012:a123456789/*', value: 'arn:aws:execute-api:us-east:x-1:123456789012:a123456789/prod/GET/pets', matches: false, says: 'a * inside a segment stays inside it' },
  { source: IAM_RESOURCE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:*', value: `${API}/prod/GET/pets`, matches: true, says: 'a * that is the last character of a segment can expand beyond the colon boundaries' },
  // execute-api resources in IAM policies
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:*:*:*', value: `${API}/prod/GET/pets`, matches: true, says: 'any resource path in any stage, for any API in any AWS region' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:*:*', value: `${API}/prod/GET/pets`, matches: true, says: 'any API in us-east-1' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:*:*', value: 'arn:aws:execute-api:eu-west-1:123456789012:a123456789/prod/GET/pets', matches: false, says: 'only the region of us-east-1' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:*:a123456789/*', value: `${API}/prod/POST/pets/7`, matches: true, says: 'any resource path in any stage of the API' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:*:a123456789/test/*', value: `${API}/prod/GET/pets`, matches: false, says: 'only the stage of test' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:*:a123456789/test/*/mydemoresource/*', value: `${API}/test/DELETE/mydemoresource/child`, matches: true, says: 'any HTTP method along the path of mydemoresource in test' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:*:a123456789/test/GET/mydemoresource/*', value: `${API}/test/POST/mydemoresource/child`, matches: false, says: 'GET methods only' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:123456789012:a123456789/*/GET/pets', value: `${API}/prod/GET/pets`, matches: true, says: 'view the list of pets' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:123456789012:a123456789/*/GET/pets', value: `${API}/prod/POST/pets`, matches: false, says: 'adding a pet is not viewing the list' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:123456789012:a123456789/*/GET/pets/a1b2', value: `${API}/prod/GET/pets/a1b2`, matches: true, says: 'a specific pet of GET /pets/{petId}' },
  { source: APIGW_INVOKE, kind: 'resource', pattern: 'arn:aws:execute-api:*:*:*/test/*', value: 'arn:aws:execute-api:eu-west-1:210987654321:zzzzzzzzzz/test/PUT/anything', matches: true, says: 'any method on any resource of any API in the test stage' },
  { source: APIGW_RESOURCE_POLICIES, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:123456789012:a123456789/*', value: `${API}/prod/GET/pets`, matches: true, says: 'the whole API (source IP and VPC examples)' },
  { source: APIGW_RESOURCE_POLICIES, kind: 'resource', pattern: 'arn:aws:execute-api:us-east-1:123456789012:a123456789/prod/GET/pets', value: `${API}/prod/GET/pets`, matches: true, says: 'users in another account may GET /pets' },
  // Lambda permissions for API Gateway (AWS:SourceArn with ArnLike)
  { source: LAMBDA_APIGW, kind: 'arn-condition', pattern: 'arn:aws:execute-api:us-east-2:111122223333:ktyvxmpls1/*/GET/', value: 'arn:aws:execute-api:us-east-2:111122223333:ktyvxmpls1/Prod/GET/', matches: true, says: 'the function policy the console writes: GET on the root resource, any stage' },
  { source: LAMBDA_APIGW, kind: 'arn-condition', pattern: 'arn:aws:execute-api:us-east-2:111122223333:ktyvxmpls1/*/GET/', value: 'arn:aws:execute-api:us-east-2:111122223333:ktyvxmpls1/Prod/GET/user', matches: false, says: 'the root only' },
  { source: LAMBDA_APIGW, kind: 'arn-condition', pattern: 'arn:aws:execute-api:us-east-2:123456789012:mnh1xmpli7/default/GET/', value: 'arn:aws:execute-api:us-east-2:123456789012:mnh1xmpli7/default/GET/', matches: true, says: 'GET on the root resource in the default stage' },
  { source: LAMBDA_APIGW, kind: 'arn-condition', pattern: 'arn:aws:execute-api:us-east-2:123456789012:mnh1xmpli7/*/GET/*', value: 'arn:aws:execute-api:us-east-2:123456789012:mnh1xmpli7/prod/GET/user/7', matches: true, says: 'GET method on all resources in all stages' },
  { source: LAMBDA_APIGW, kind: 'arn-condition', pattern: 'arn:aws:execute-api:us-east-2:123456789012:mnh1xmpli7/*/GET/*', value: 'arn:aws:execute-api:us-east-2:123456789012:mnh1xmpli7/prod/POST/user', matches: false, says: 'GET only' },
  { source: LAMBDA_APIGW, kind: 'arn-condition', pattern: 'arn:aws:execute-api:us-east-2:123456789012:mnh1xmpli7/*/*/*', value: 'arn:aws:execute-api:us-east-2:123456789012:mnh1xmpli7/dev/DELETE/user', matches: true, says: 'any method on all resources in all stages' },
  { source: HTTP_LAMBDA, kind: 'arn-condition', pattern: 'arn:aws:execute-api:us-west-2:123456789012:api-id/$default/$default', value: 'arn:aws:execute-api:us-west-2:123456789012:api-id/$default/$default', matches: true, says: 'the $default stage and $default route of an HTTP API' },
  { source: HTTP_LAMBDA, kind: 'arn-condition', pattern: 'arn:aws:execute-api:us-west-2:123456789012:api-id/$default/$default', value: 'arn:aws:execute-api:us-west-2:123456789012:api-id/$default/GET/orders', matches: false, says: 'a named route is not the $default route' },
  { source: HTTP_AUTHORIZER, kind: 'arn-condition', pattern: 'arn:aws:execute-api:us-east-1:123456789012:api-id/authorizers/*', value: 'arn:aws:execute-api:us-east-1:123456789012:api-id/authorizers/abc123', matches: true, says: 'a Lambda authorizer is invoked with …/authorizers/<authorizer-id>' },
  // SCPs
  { source: SCP_EXAMPLES, kind: 'arn-condition', pattern: 'arn:aws:iam::*:role/Role1AllowedToBypassThisSCP', value: 'arn:aws:iam::210987654321:role/Role1AllowedToBypassThisSCP', matches: true, says: 'ArnNotLike aws:PrincipalARN exempts that role in every account' },
  { source: SCP_EXAMPLES, kind: 'arn-condition', pattern: 'arn:aws:iam::*:role/Role1AllowedToBypassThisSCP', value: 'arn:aws:iam::210987654321:role/batch', matches: false, says: 'any other role is not exempt' },
];

function matchAs(kind: Kind, pattern: string, value: string): boolean {
  if (kind === 'resource') return resourceMatch(pattern, value);
  if (kind === 'arn-condition') return arnLike(pattern, value);
  return globMatch(pattern, value);
}

describe('the ARN matcher on AWS documented examples', () => {
  it.each(EXAMPLES.map((e) => [`${e.pattern} ${e.matches ? 'matches' : 'does not match'} ${e.value} (${e.says})`, e] as const))('%s', (_name, example) => {
    expect(example.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(matchAs(example.kind, example.pattern, example.value)).toBe(example.matches);
  });
});

describe('globMatch', () => {
  it('matches * as any run and ? as exactly one character', () => {
    expect(globMatch('vpce-0a?', 'vpce-0a1')).toBe(true);
    expect(globMatch('vpce-0a?', 'vpce-0a12')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('a*b*c', 'aXbYbZc')).toBe(true);
  });

  it('treats regular-expression characters literally', () => {
    expect(globMatch('a.b+(c)', 'a.b+(c)')).toBe(true);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });

  it('is case-sensitive unless asked (IAM compares ARNs exactly, action names case-insensitively)', () => {
    expect(globMatch('arn:aws:lambda:*:function:Orders', 'arn:aws:lambda:us-east-1:1:function:orders')).toBe(false);
    expect(globMatch('Execute-API:invoke', 'execute-api:Invoke', { caseInsensitive: true })).toBe(true);
  });

  it('reads wildcards as plain characters when literal (StringEquals)', () => {
    expect(globMatch('a/*', 'a/b', { literal: true })).toBe(false);
    expect(globMatch('a/*', 'a/*', { literal: true })).toBe(true);
  });

  it('stays fast on patterns that make a backtracking matcher explode', () => {
    const pattern = `${'*a'.repeat(40)}b`;
    const value = 'a'.repeat(5_000);
    expect(globMatch(pattern, value)).toBe(false);
  });
});

describe('holes: parts firebreak does not know', () => {
  const prefix = executeApiPrefix('us-east-1', '111111111111', 'a1b2c3d4e5');

  it('fills an unknown stage with any stage the pattern names, never with a slash', () => {
    const anyStage = executeApiArn(prefix, undefined, 'GET', '/orders');
    expect(arnLike('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/GET/orders', anyStage)).toBe(true);
    expect(arnLike('arn:aws:execute-api:us-east-1:111111111111:*/*/GET/orders', anyStage)).toBe(true);
    expect(arnLike('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/v1/GET/orders', anyStage)).toBe(false);
    expect(arnLike('arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/POST/orders', anyStage)).toBe(false);
  });

  it('lets an ANY method be whichever verb the pattern names', () => {
    expect(arnLike(`${prefix}/prod/POST/orders`, executeApiArn(prefix, 'prod', 'ANY', '/orders'))).toBe(true);
  });

  it('gives a path parameter a caller\u2019s value: only a wildcard covers every value', () => {
    const points = executeApiArn(prefix, 'prod', 'GET', '/points/{id}');
    expect(arnLike('arn:aws:execute-api:us-east-1:111111111111:*/*/GET/points/*', points)).toBe(true);
    expect(arnLike(`${prefix}/prod/GET/points/42`, points)).toBe(false);
  });

  it('matches an unknown account, and some call of the API, against what a pattern names', () => {
    const unknownAccount = executeApiPrefix('us-east-1', undefined, 'a1b2c3d4e5');
    expect(resourceMatch('arn:aws:execute-api:us-east-1:222222222222:a1b2c3d4e5/*', `${unknownAccount}/prod/GET/x`)).toBe(true);
    expect(resourceMatch(`${prefix}/prod/GET/orders`, `${prefix}/${ANY_PATH}`)).toBe(true);
    expect(resourceMatch('arn:aws:execute-api:us-east-1:111111111111:zzzzzzzzzz/*', `${prefix}/${ANY_PATH}`)).toBe(false);
  });

  it('matches holes under StringEquals too: some stage name makes them equal, a literal * is no stage name', () => {
    expect(globMatch(`${prefix}/prod/GET/orders`, `${prefix}/${ANY_SEGMENT}/GET/orders`, { literal: true })).toBe(true);
    expect(globMatch(`${prefix}/*/GET/orders`, `${prefix}/${ANY_SEGMENT}/GET/orders`, { literal: true })).toBe(false);
  });

  it('shows holes as wildcards to people', () => {
    expect(describeArn(executeApiArn(prefix, undefined, 'ANY', '/orders'))).toBe(`${prefix}/*/*/orders`);
  });
});
