import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/core/glob.js';

describe('globMatch', () => {
  it('matches * as any run and ? as exactly one character', () => {
    expect(globMatch('arn:aws:execute-api:us-east-1:*:a1b2c3d4e5/*/GET/*', 'arn:aws:execute-api:us-east-1:111111111111:a1b2c3d4e5/prod/GET/orders')).toBe(true);
    expect(globMatch('vpce-0a?', 'vpce-0a1')).toBe(true);
    expect(globMatch('vpce-0a?', 'vpce-0a12')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
  });

  it('treats regular-expression characters literally', () => {
    expect(globMatch('a.b+(c)', 'a.b+(c)')).toBe(true);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });

  it('is case-sensitive unless asked (IAM compares ARNs exactly, action names case-insensitively)', () => {
    expect(globMatch('arn:aws:lambda:*:function:Orders', 'arn:aws:lambda:us-east-1:1:function:orders')).toBe(false);
    expect(globMatch('Execute-API:invoke', 'execute-api:Invoke')).toBe(false);
    expect(globMatch('Execute-API:invoke', 'execute-api:Invoke', { caseInsensitive: true })).toBe(true);
  });
});
