import { performance } from 'node:perf_hooks';
import { templateLines, type TemplatableLine } from '../src/bundle/template.js';
import { createRandom } from '../src/sandbox/prng.js';

/** The sandbox's seeded PRNG: the same lines on every run and machine. */
function seeded(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.next();
}

function uuid(random: () => number): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

const ROUTES = [
  ['GET', '/orders'],
  ['GET', '/orders/{id}'],
  ['POST', '/orders'],
  ['GET', '/users/{id}'],
  ['DELETE', '/orders/{id}'],
] as const;

/**
 * Realistic API Gateway execution-log lines (the canonical INFO sequence of a Lambda proxy
 * request, with a share of failures), seeded so every run templates the same input.
 */
export function generateExecutionLines(count: number, seed = 42): TemplatableLine[] {
  const random = seeded(seed);
  const lines: TemplatableLine[] = [];
  let timestamp = Date.UTC(2024, 4, 1, 10, 0, 0);
  const api = 'a1b2c3d4e5';
  const fn = 'arn:aws:lambda:us-east-1:123456789012:function:orders-handler';
  while (lines.length < count) {
    const id = uuid(random);
    const [method, path] = ROUTES[Math.floor(random() * ROUTES.length)] ?? ROUTES[0];
    const concrete = path.replace('{id}', String(Math.floor(random() * 100_000)));
    const roll = random();
    const status = roll < 0.9 ? 200 : roll < 0.95 ? 502 : roll < 0.98 ? 504 : 500;
    const latency = Math.floor(random() * 1_500) + 5;
    timestamp += Math.floor(random() * 40);
    const push = (message: string) => lines.push({ timestamp, message: `(${id}) ${message}` });
    push(`Extended Request Id: ${Buffer.from(id.slice(0, 11)).toString('base64')}`);
    push(`Verifying Usage Plan for request: ${id}. API Key:  API Stage: ${api}/prod`);
    push(`Starting execution for request: ${id}`);
    push(`HTTP Method: ${method}, Resource Path: ${concrete}`);
    push(`Method request path: {id=${concrete.split('/')[2] ?? ''}}`);
    push(`Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/${fn}/invocations`);
    push(
      `Endpoint request headers: {x-amzn-lambda-integration-tag=${id}, X-Amz-Date=20240501T100000Z, x-amzn-apigateway-api-id=${api}, X-Amz-Source-Arn=arn:aws:execute-api:us-east-1:123456789012:${api}/prod/${method}${concrete}, User-Agent=AmazonAPIGateway_${api}}`,
    );
    push(`Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/${fn}/invocations`);
    if (status === 504) {
      push('Execution failed due to a timeout error');
    } else if (status === 500) {
      push(`Lambda invocation failed with status: 429. Lambda request id: ${uuid(random)}`);
      push('Execution failed due to configuration error: Rate Exceeded.');
    } else {
      push(`Received response. Status: 200, Integration latency: ${latency} ms`);
      push(`Endpoint response headers: {Date=Wed, 01 May 2024 10:00:00 GMT, Content-Type=application/json, x-amzn-RequestId=${uuid(random)}}`);
      if (status === 502) {
        push(`Endpoint response body before transformations: {"errorMessage":"Cannot read properties of undefined (reading 'id')","errorType":"TypeError"}`);
        push('Execution failed due to configuration error: Malformed Lambda proxy response');
      } else {
        push(`Endpoint response body before transformations: {"statusCode":200,"body":"{\\"orderId\\":\\"${uuid(random)}\\"}"}`);
        push('Successfully completed execution');
      }
    }
    push(`Method completed with status: ${status}`);
  }
  return lines.slice(0, count);
}

export async function benchBundle(): Promise<string[]> {
  const count = 100_000;
  const lines = generateExecutionLines(count);
  templateLines(lines.slice(0, 5_000)); // warm the regex and the JIT
  const runs = 5;
  const times: number[] = [];
  let result = templateLines(lines);
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = templateLines(lines);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(runs / 2)] ?? 0;
  const perSecond = Math.round(count / (median / 1_000));
  return [
    'bundle: log templating',
    `  ${count.toLocaleString('en-US')} generated execution-log lines → ${result.templates.length} templates, ${result.errors.length} verbatim error lines`,
    `  median ${median.toFixed(0)} ms over ${runs} runs: ${perSecond.toLocaleString('en-US')} lines/s (aim ≥ 100,000)`,
  ];
}
