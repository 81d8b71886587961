import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_CHARS, MAX_COMMAND_WORDS, parseCommandText, parseTroubleshootArgs, splitWords } from '../../src/app/grammar.js';
import { parseTargetRef } from '../../src/core/target-ref.js';

/**
 * The command parser is capped in size and linear in time (issue 27): a megabyte of words is
 * refused by a length check, never split or parsed; how long it takes is in `npm run bench`.
 */
describe('command words: capped before they are parsed', () => {
  it('refuses more words than any command has, and text longer than the cap, saying which', () => {
    const many = Array.from({ length: MAX_COMMAND_WORDS + 5 }, (_, i) => `w${i}`);
    expect(parseTroubleshootArgs(['a1b2c3d4e5', ...many])).toMatchObject({ ok: false, error: expect.stringContaining(`too many words (more than ${MAX_COMMAND_WORDS})`) });
    const megabyte = `api-gw a1b2c3d4e5 ${'“a '.repeat(350_000)}`;
    expect(parseCommandText(megabyte)).toMatchObject({ kind: 'error', error: expect.stringContaining(`the most it takes is ${MAX_COMMAND_CHARS.toLocaleString('en-US')}`) });
    expect(parseTroubleshootArgs(['a1b2c3d4e5', '--context', 'x'.repeat(MAX_COMMAND_CHARS)])).toMatchObject({ ok: false, error: expect.stringContaining('characters long') });
  });

  it('splits words in one pass and stops after the cap', () => {
    expect(splitWords('a "b c" "unclosed d', 10)).toEqual(['a', 'b c', '"unclosed', 'd']);
    expect(splitWords('w '.repeat(1_000), 5)).toHaveLength(6);
  });
});

describe('malformed percent-encoding in a target', () => {
  it('is a clear error, never a thrown "URI malformed"', () => {
    for (const target of ['https://orders.example.com/v1/%zz', 'https://orders.example.com/%', 'https://us-east-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/stages/%E0%A4%A']) {
      const parsed = parseTargetRef(target);
      expect(parsed, target).toMatchObject({ ok: false, error: expect.stringContaining('is not valid percent-encoding') });
      expect(parseCommandText(`api-gw ${target}`)).toMatchObject({ kind: 'error', error: expect.stringContaining('write a literal % as %25') });
    }
    expect(parseTargetRef('https://orders.example.com/v1/100%25')).toMatchObject({ ok: true, value: { kind: 'domain', path: ['v1', '100%'] } });
  });
});
