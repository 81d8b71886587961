import { describe, expect, it } from 'vitest';
import { normalizeWord, parseCommandText, parseTroubleshootArgs, splitWords } from '../../src/app/grammar.js';

const words = (text: string) => splitWords(text);

describe('the one troubleshoot grammar', () => {
  it('parses command words with positional stage and flags in both forms', () => {
    const parsed = parseTroubleshootArgs(['a1b2c3d4e5', 'prod', '--since=30m', '--region', 'eu-west-1', '--account', 'payments']);
    expect(parsed).toEqual({
      ok: true,
      value: { kind: 'request', request: { restApiId: 'a1b2c3d4e5', stage: 'prod', sinceMs: 1_800_000, region: 'eu-west-1', account: 'payments' }, flags: {} },
    });
  });

  it('names unknown flags, missing values and extra words', () => {
    expect(parseTroubleshootArgs(['a1b2c3d4e5', '--color', 'red'])).toMatchObject({ ok: false, error: expect.stringContaining('unknown option --color') });
    expect(parseTroubleshootArgs(['a1b2c3d4e5', '--since'])).toMatchObject({ ok: false, error: expect.stringContaining('--since needs a value, e.g. --since 2h') });
    expect(parseTroubleshootArgs(['a1b2c3d4e5', '--since', '--region', 'eu-west-1'])).toMatchObject({ ok: false, error: expect.stringContaining('--since needs a value') });
    expect(parseTroubleshootArgs(['a1b2c3d4e5', 'prod', 'extra'])).toMatchObject({ ok: false, error: expect.stringContaining('unexpected "extra"') });
    expect(parseTroubleshootArgs(['a1b2c3d4e5', 'prod', '--stage', 'dev'])).toMatchObject({ ok: false, error: expect.stringContaining('stage given twice') });
    expect(parseTroubleshootArgs([])).toMatchObject({ ok: false, error: expect.stringContaining('api: missing') });
  });

  it('accepts what phones and chat clients make of dashes and quotes', () => {
    for (const dash of ['—since', '–since', '-since', '--since', '−since']) {
      const parsed = parseTroubleshootArgs(words(`a1b2c3d4e5 ${dash} 2h`));
      expect(parsed, dash).toMatchObject({ ok: true, value: { request: { sinceMs: 7_200_000 } } });
    }
    expect(parseTroubleshootArgs(words('a1b2c3d4e5 —stage=prod'))).toMatchObject({ ok: true, value: { request: { stage: 'prod' } } });
    expect(normalizeWord('-h')).toBe('-h');
    expect(normalizeWord('‘prod’')).toBe("'prod'");
    expect(splitWords('api-gw a1b2c3d4e5 --context “deploy at 14:00” -since 2h')).toEqual(['api-gw', 'a1b2c3d4e5', '--context', 'deploy at 14:00', '-since', '2h']);
  });

  it('parses a front end’s own flags in the same call, and only where they are declared', () => {
    const cli = { json: { type: 'boolean' }, scenario: { type: 'string' } } as const;
    expect(parseTroubleshootArgs(['a1b2c3d4e5', '—json', '--scenario', 'healthy'], cli)).toMatchObject({ ok: true, value: { flags: { json: true, scenario: 'healthy' } } });
    expect(parseTroubleshootArgs(['a1b2c3d4e5', '--json'])).toMatchObject({ ok: false, error: expect.stringContaining('unknown option --json') });
    expect(parseTroubleshootArgs(['--help'])).toEqual({ ok: true, value: { kind: 'help' } });
  });

  it('recognises the command verbs', () => {
    expect(parseCommandText('')).toEqual({ kind: 'help' });
    expect(parseCommandText('usage')).toEqual({ kind: 'usage' });
    expect(parseCommandText(' spend ')).toEqual({ kind: 'spend' });
    expect(parseCommandText('api-gw a1b2c3d4e5')).toMatchObject({ kind: 'troubleshoot', request: { restApiId: 'a1b2c3d4e5' } });
    expect(parseCommandText('api-gw a1b2c3d4e5 —since 2h')).toMatchObject({ kind: 'troubleshoot', request: { sinceMs: 7_200_000 } });
    expect(parseCommandText('lambda foo')).toMatchObject({ kind: 'error', error: expect.stringContaining('unknown command "lambda"') });
  });
});
