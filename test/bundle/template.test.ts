import { describe, expect, it } from 'vitest';
import { generateExecutionLines } from '../../bench/bundle.js';
import { isErrorText, maskLine, OTHER_TEMPLATE, templateLines } from '../../src/bundle/template.js';
import { executionLines } from './fixtures.js';

describe('maskLine', () => {
  it('masks request ids, UUIDs, IPs, numbers, timestamps, ARNs and quoted values', () => {
    const values: string[] = [];
    const template = maskLine(
      '(fbcaf9e5-d535-40a1-891c-7b70118cf7e8) 2024-05-01T10:00:00.123Z from 10.0.1.15 took 1082 ms arn:aws:lambda:us-east-1:123456789012:function:orders {"user":"alice"}',
      values,
    );
    expect(template).toBe('<reqid> <ts> from <ip> took <num> ms <arn> {"user":"<str>"}');
    expect(values).toEqual([
      'fbcaf9e5-d535-40a1-891c-7b70118cf7e8',
      '2024-05-01T10:00:00.123Z',
      '10.0.1.15',
      '1082',
      'arn:aws:lambda:us-east-1:123456789012:function:orders',
      'alice',
    ]);
  });

  it('keeps HTTP status codes literal so 200 and 502 never share a template', () => {
    expect(maskLine('(abc123def456) Method completed with status: 502')).toBe('<reqid> Method completed with status: 502');
    expect(maskLine('Received response. Status: 200, Integration latency: 12 ms')).toBe('Received response. Status: 200, Integration latency: <num> ms');
  });

  it('masks extended request ids, EC2 ids and hex, but not words or region names', () => {
    expect(maskLine('Extended Request Id: PDS1PEC4oAMFpyA=')).toBe('Extended Request Id: <id>');
    expect(maskLine('endpoint vpce-0abc1234def567890 sg-0123456789abcdef0 in us-east-1')).toBe('endpoint <id> <id> in us-east-1');
    expect(maskLine('Successfully completed execution')).toBe('Successfully completed execution');
    expect(maskLine('trace 0x1f2e3d and deadbeefdeadbeef00')).toBe('trace <hex> and <hex>');
  });
});

describe('templateLines', () => {
  it('groups lines by template with counts, first/last time and up to 3 distinct samples', () => {
    const lines = [10, 20, 30, 40, 50].map((latency, i) => ({
      timestamp: 1_000 + i,
      message: `Received response. Status: 200, Integration latency: ${latency % 30} ms`,
    }));
    const result = templateLines(lines);
    expect(result.templates).toHaveLength(1);
    const [t] = result.templates;
    expect(t).toMatchObject({ template: 'Received response. Status: 200, Integration latency: <num> ms', count: 5, first: 1_000, last: 1_004, error: false });
    expect(t?.samples).toEqual({ 0: ['10', '20', '0'] });
    expect(result.errors).toEqual([]);
  });

  it('orders templates by count and keeps error lines verbatim once per distinct message', () => {
    const result = templateLines(executionLines(100, 10));
    const counts = result.templates.map((t) => t.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const failures = result.templates.find((t) => t.template.includes('Invalid permissions'));
    expect(failures).toMatchObject({ count: 10, error: true });
    expect(failures?.example).toMatch(/^\(00000009-aaaa-4bbb-8ccc-000000000009\) Execution failed due to configuration error: Invalid permissions on Lambda function$/);
    const messages = result.errors.map((e) => e.message.replace(/^\([^)]*\) /, ''));
    expect(messages).toEqual(['Execution failed due to configuration error: Invalid permissions on Lambda function', 'Method completed with status: 500']);
    expect(result.errors.every((e) => e.count === 10)).toBe(true);
    expect(result.templates.find((t) => t.template.endsWith('status: 200'))?.error).toBe(false);
  });

  it('caps templates, counting further shapes together', () => {
    const lines = Array.from({ length: 20 }, (_, i) => ({ timestamp: i, message: `shape ${'x'.repeat(i)}` }));
    const result = templateLines(lines, { maxTemplates: 5 });
    expect(result.templates).toHaveLength(6);
    expect(result.templates.find((t) => t.template === OTHER_TEMPLATE)?.count).toBe(15);
    expect(result.overflowLines).toBe(15);
  });

  it('caps verbatim errors and clips very long lines', () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({ timestamp: i, message: `ERROR kind${'y'.repeat(i)} ${'z'.repeat(3_000)}` }));
    const result = templateLines(lines, { maxErrors: 3 });
    expect(result.errors).toHaveLength(3);
    expect(result.errors[0]?.message.length).toBeLessThanOrEqual(1_001);
  });

  it('reduces 100,000 generated execution lines to a few dozen templates', () => {
    const result = templateLines(generateExecutionLines(100_000));
    expect(result.totalLines).toBe(100_000);
    expect(result.templates.length).toBeLessThan(40);
    expect(result.overflowLines).toBe(0);
    expect(result.errors.map((e) => e.message.replace(/^\([^)]*\) /, ''))).toEqual(
      expect.arrayContaining(['Execution failed due to a timeout error', 'Execution failed due to configuration error: Malformed Lambda proxy response']),
    );
  });
});

describe('isErrorText', () => {
  it('recognises error-ish lines and not healthy ones', () => {
    for (const text of ['ERROR boom', 'java.lang.NullPointerException', 'Execution failed due to a timeout error', 'Task timed out after 3.00 seconds', 'User is not authorized', 'Method completed with status: 403', 'Rate Exceeded.', 'AccessDenied: denied']) {
      expect(isErrorText(text), text).toBe(true);
    }
    for (const text of ['Method completed with status: 200', 'Successfully completed execution', 'Starting execution for request: x']) {
      expect(isErrorText(text), text).toBe(false);
    }
  });
});
