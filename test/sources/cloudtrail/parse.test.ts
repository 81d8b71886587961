import { describe, expect, it } from 'vitest';
import { isWriteEvent, parseCloudTrailRecord, scpDenyOf, toEventEvidence } from '../../../src/sources/cloudtrail/parse.js';

describe('scpDenyOf', () => {
  it('detects an SCP deny and captures its policy ARN', () => {
    const message =
      'User: arn:aws:sts::111111111111:assumed-role/deploy/ci is not authorized to perform: apigateway:PATCH on resource: arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5 with an explicit deny in a service control policy: arn:aws:organizations::999999999999:policy/o-abc123/service_control_policy/p-xyz789';
    expect(scpDenyOf(message)).toEqual({ policyArn: 'arn:aws:organizations::999999999999:policy/o-abc123/service_control_policy/p-xyz789' });
  });

  it('detects an older message without the ARN, and ignores other denies', () => {
    expect(scpDenyOf('... with an explicit deny in a service control policy')).toEqual({});
    expect(scpDenyOf('... because no identity-based policy allows the apigateway:PATCH action')).toBeUndefined();
    expect(scpDenyOf(undefined)).toBeUndefined();
  });
});

describe('parseCloudTrailRecord', () => {
  it('parses the JSON string and tolerates garbage', () => {
    expect(parseCloudTrailRecord('{"eventName":"UpdateStage"}')).toEqual({ eventName: 'UpdateStage' });
    expect(parseCloudTrailRecord('not json')).toEqual({});
    expect(parseCloudTrailRecord(undefined)).toEqual({});
  });
});

describe('toEventEvidence', () => {
  it('takes the error, principal and parameters from the record', () => {
    const evidence = toEventEvidence({
      EventId: 'e1',
      EventName: 'AddPermission20150331v2',
      EventTime: new Date('2026-11-19T09:00:00Z'),
      EventSource: 'lambda.amazonaws.com',
      Username: 'alice',
      CloudTrailEvent: JSON.stringify({
        userIdentity: { arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111' },
        awsRegion: 'us-east-1',
        errorCode: 'AccessDenied',
        errorMessage: 'explicit deny in a service control policy',
        requestParameters: { functionName: 'orders' },
        recipientAccountId: '111111111111',
      }),
    });
    expect(evidence).toMatchObject({
      eventId: 'e1',
      eventTime: '2026-11-19T09:00:00.000Z',
      accountId: '111111111111',
      principalArn: 'arn:aws:iam::111111111111:user/alice',
      errorCode: 'AccessDenied',
      scpDeny: {},
      requestParameters: { functionName: 'orders' },
    });
  });

  it('tells writes from reads', () => {
    expect(isWriteEvent({ ReadOnly: 'false', EventName: 'UpdateStage' })).toBe(true);
    expect(isWriteEvent({ ReadOnly: 'true', EventName: 'GetStage' })).toBe(false);
    expect(isWriteEvent({ EventName: 'DescribeVpcEndpoints' })).toBe(false);
  });
});
