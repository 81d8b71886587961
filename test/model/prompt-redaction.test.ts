import { describe, expect, it } from 'vitest';
import { userMessage } from '../../src/model/prompt.js';

describe('user message', () => {
  it('redacts secrets in the added context before it leaves', () => {
    const text = userMessage('## findings\n(none)', 'broke after deploy; curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIzNDU2" and key AKIAIOSFODNN7EXAMPLE');
    expect(text).toContain('broke after deploy');
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(text).toContain('[REDACTED:');
  });
});
