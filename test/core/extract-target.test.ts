import { describe, expect, it } from 'vitest';
import { extractTarget, MAX_MESSAGE_CHARS, messageText } from '../../src/core/extract-target.js';

describe('reading what alarms and people paste', () => {
  it('reads the three common time forms: ISO 8601 with +0000, the alarm e-mail, RFC 2822', () => {
    expect(extractTarget('State Change Time: 2024-05-01T11:50:00.000+0000').at?.toISOString()).toBe('2024-05-01T11:50:00.000Z');
    expect(extractTarget('at "Tuesday 5 May 2024 10:42:17 UTC"').at?.toISOString()).toBe('2024-05-05T10:42:17.000Z');
    expect(extractTarget('- Timestamp: Tuesday 05 May, 2024 10:42:17 UTC').at?.toISOString()).toBe('2024-05-05T10:42:17.000Z');
    expect(extractTarget('Date: Tue, 07 May 2024 09:15:00 +0200').at?.toISOString()).toBe('2024-05-07T07:15:00.000Z');
    expect(extractTarget('failing since May 5, 2024 10:42 PM UTC').at?.toISOString()).toBe('2024-05-05T22:42:00.000Z');
    // No zone: read as UTC, and said so.
    expect(extractTarget('since 2024-05-05 10:42').assumedUtc).toBe(true);
  });

  it('prefers the state-change time over other times in the alarm', () => {
    const alarm = 'Threshold Crossed: 1 datapoint [42.0 (01/05/24 11:45:00)] at 2024-05-01T11:40:00Z\nState Change Time: 2024-05-01T11:47:12.000+0000';
    expect(extractTarget(alarm).at?.toISOString()).toBe('2024-05-01T11:47:12.000Z');
  });

  it('proposes custom-domain URLs, in order after links and dimensions, and never chat or AWS hosts', () => {
    const found = extractTarget('see https://orders.shop.example.com/v1/orders and https://example.slack.com/archives/C1 and https://docs.aws.amazon.com/x, ApiId=a1b2c3d4e5');
    expect(found.candidates.map((c) => [c.kind, c.text])).toEqual([
      ['id', 'a1b2c3d4e5'],
      ['domain', 'https://orders.shop.example.com/v1/orders'],
    ]);
  });

  it('reads the region from an alarm ARN and dimensions in SNS JSON and EventBridge forms', () => {
    expect(extractTarget('"AlarmArn":"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:x","Dimensions":[{"value":"shop-api","name":"ApiName"},{"value":"prod","name":"Stage"}]')).toMatchObject({
      region: 'eu-west-1',
      stage: 'prod',
      candidates: [{ text: 'shop-api', kind: 'name', from: 'dimension' }],
    });
    expect(extractTarget('{"dimensions":{"ApiId":"a1b2c3d4e5","Stage":"beta"}}')).toMatchObject({ target: 'a1b2c3d4e5', stage: 'beta' });
  });

  it('keeps a request id as a candidate only: a read decides (the app refuses it)', () => {
    expect(extractTarget('request id 7f3a9c2b1e').candidates).toEqual([{ text: '7f3a9c2b1e', kind: 'id', from: 'word' }]);
  });

  it('reads at most the first 200,000 characters, and says so', () => {
    const found = extractTarget(`${'x '.repeat(MAX_MESSAGE_CHARS)} ApiId=a1b2c3d4e5`);
    expect(found.clipped).toBe(true);
    expect(found.candidates).toEqual([]);
  });

  it('collects the text of attachments and blocks, in order, within the cap, however deep', () => {
    let deep: unknown = { text: 'ApiId = a1b2c3d4e5' };
    for (let i = 0; i < 10_000; i++) deep = { elements: [deep] };
    expect(messageText({ text: 'first', attachments: [{ title: 'second' }], blocks: [deep] })).toBe('first\nsecond\nApiId = a1b2c3d4e5');
    expect(messageText({ text: 'x'.repeat(MAX_MESSAGE_CHARS + 10) }).length).toBe(MAX_MESSAGE_CHARS);
  });
});
