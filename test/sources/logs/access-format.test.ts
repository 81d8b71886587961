import { describe, expect, it } from 'vitest';
import { ACCESS_LOG_PRESETS, compileAccessLogFormat, renderAccessLogLine } from '../../../src/sources/logs/access-format.js';

const line = (message: string) => ({ timestamp: 1_700_000_000_000, message });

describe('compileAccessLogFormat', () => {
  it('parses the JSON preset, mapping keys back to $context variables', () => {
    const parser = compileAccessLogFormat(ACCESS_LOG_PRESETS.json);
    expect(parser.kind).toBe('json');
    const record = parser.parse(
      line('{ "requestId":"r-1", "extendedRequestId":"e-1", "ip": "203.0.113.9", "caller":"-", "user":"-", "requestTime":"20/Nov/2026:09:30:00 +0000", "httpMethod":"POST", "resourcePath":"/orders", "status":"403", "protocol":"HTTP/1.1", "responseLength":"61" }'),
    );
    expect(record).toEqual({
      timestamp: 1_700_000_000_000,
      requestId: 'r-1',
      ip: '203.0.113.9',
      httpMethod: 'POST',
      resourcePath: '/orders',
      status: 403,
      fields: {
        extendedRequestId: 'e-1',
        'identity.caller': '-',
        'identity.user': '-',
        requestTime: '20/Nov/2026:09:30:00 +0000',
        protocol: 'HTTP/1.1',
        responseLength: '61',
      },
    });
  });

  it('accepts unquoted numeric values and keys the template does not name', () => {
    const parser = compileAccessLogFormat('{"rid":"$context.requestId","code":$context.status}');
    expect(parser.parse(line('{"rid":"r-2","code":502,"extra":{"a":1}}'))).toEqual({
      timestamp: 1_700_000_000_000,
      requestId: 'r-2',
      status: 502,
      fields: { extra: '{"a":1}' },
    });
  });

  it('returns undefined for a line that is not JSON', () => {
    expect(compileAccessLogFormat(ACCESS_LOG_PRESETS.json).parse(line('oops'))).toBeUndefined();
  });

  it('parses the CLF preset by its template, bracketed time with spaces included', () => {
    const parser = compileAccessLogFormat(ACCESS_LOG_PRESETS.clf);
    expect(parser.kind).toBe('clf');
    const record = parser.parse(line('198.51.100.4 - - [20/Nov/2026:09:30:00 +0000] "GET /orders/{id} HTTP/1.1" 504 36 r-3 e-3'));
    expect(record).toMatchObject({
      requestId: 'r-3',
      ip: '198.51.100.4',
      httpMethod: 'GET',
      resourcePath: '/orders/{id}',
      status: 504,
      fields: { requestTime: '20/Nov/2026:09:30:00 +0000', protocol: 'HTTP/1.1', responseLength: '36', extendedRequestId: 'e-3' },
    });
    expect(parser.parse(line('something else entirely'))).toBeUndefined();
  });

  it('parses CSV-style custom templates the same way', () => {
    const parser = compileAccessLogFormat('$context.requestId,$context.status,$context.error.responseType');
    expect(parser.parse(line('r-4,429,THROTTLED'))).toMatchObject({ requestId: 'r-4', status: 429, fields: { 'error.responseType': 'THROTTLED' } });
  });

  it('is unknown, parsing nothing, without a template', () => {
    const parser = compileAccessLogFormat(undefined);
    expect(parser.kind).toBe('unknown');
    expect(parser.parse(line('{"requestId":"x"}'))).toBeUndefined();
  });
});

describe('renderAccessLogLine', () => {
  it('renders lines the parser reads back, with - for missing values and JSON escaping', () => {
    const values = { requestId: 'r-5', status: 200, resourcePath: '/a"b' };
    const json = renderAccessLogLine(ACCESS_LOG_PRESETS.json, values);
    expect(JSON.parse(json)).toMatchObject({ requestId: 'r-5', status: '200', ip: '-', resourcePath: '/a"b' });
    expect(compileAccessLogFormat(ACCESS_LOG_PRESETS.json).parse(line(json))).toMatchObject({ requestId: 'r-5', status: 200, resourcePath: '/a"b' });
    const clf = renderAccessLogLine(ACCESS_LOG_PRESETS.clf, { ...values, resourcePath: '/a' });
    expect(compileAccessLogFormat(ACCESS_LOG_PRESETS.clf).parse(line(clf))).toMatchObject({ requestId: 'r-5', status: 200, resourcePath: '/a' });
  });
});
