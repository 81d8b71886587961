/**
 * Messages the preview can post in its channel to fire "Troubleshoot this" on, as alarms and
 * people post them: an Amazon Q (AWS Chatbot) CloudWatch alarm, a CloudWatch alarm e-mail pasted
 * by someone, and a person's report with a custom-domain URL and a request id. Each writes its
 * time in another of the three common forms (ISO 8601 with `+0000`, the e-mail's weekday day
 * month year, RFC 2822), and they name the sandbox scenarios' API (`a1b2c3d4e5`, `shop-api`,
 * `orders.shop.example.com`) inside their window (2024-05-01, 10:00–12:00 UTC).
 */
export interface AlarmFixture {
  id: string;
  /** Shown as the sender, as Slack shows the app or person who posted it. */
  from: string;
  /** What the picker says. */
  label: string;
  text: string;
  attachments?: { color?: string; fallback?: string; title?: string; text?: string; footer?: string }[];
  /** What the shortcut should read from it (tests). */
  expect: { target?: string; at: string; rejects?: string };
}

export const ALARM_FIXTURES: readonly AlarmFixture[] = [
  {
    id: 'amazon-q',
    from: 'Amazon Q',
    label: 'Amazon Q alarm (ISO time, API name)',
    text: '',
    attachments: [
      {
        color: '#d13212',
        fallback: 'ALARM: "shop-api-5xx" in US East (N. Virginia)',
        title: 'ALARM: "shop-api-5xx" in US East (N. Virginia)',
        text: 'Threshold Crossed: 1 out of the last 1 datapoints [42.0 (01/05/24 11:45:00)] was greater than the threshold (5.0).\nState Change Time: 2024-05-01T11:47:12.000+0000\nAlarm Arn: arn:aws:cloudwatch:us-east-1:111111111111:alarm:shop-api-5xx\nDimensions: ApiName = shop-api, Stage = prod',
        footer: 'Amazon CloudWatch',
      },
    ],
    expect: { target: 'shop-api', at: '2024-05-01T11:47:12.000Z' },
  },
  {
    id: 'alarm-email',
    from: 'you',
    label: 'Alarm e-mail pasted (weekday day month year)',
    text: [
      'From the on-call mailbox:',
      '> You are receiving this email because your Amazon CloudWatch Alarm "orders-latency" in the US East (N. Virginia) region has entered the ALARM state, because "Threshold Crossed: 2 datapoints were greater than the threshold (3000.0)" at "Wednesday 1 May 2024 11:42:17 UTC".',
      '> - Timestamp: Wednesday 01 May, 2024 11:42:17 UTC',
      '> - MetricNamespace: AWS/ApiGateway',
      '> - Dimensions: [ApiId = a1b2c3d4e5] [Stage = prod]',
    ].join('\n'),
    expect: { target: 'a1b2c3d4e5', at: '2024-05-01T11:42:17.000Z' },
  },
  {
    id: 'person',
    from: 'you',
    label: 'A person’s report (RFC 2822 time, custom domain, request id)',
    text: 'checkout is failing for customers: https://orders.shop.example.com/orders/42 times out since Wed, 01 May 2024 11:35:00 GMT. request id 7f3a9c2b1e if that helps',
    expect: { target: 'https://orders.shop.example.com/orders/42', at: '2024-05-01T11:35:00.000Z', rejects: '7f3a9c2b1e' },
  },
];
