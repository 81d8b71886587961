/**
 * Token estimate without a tokenizer (none is available offline, and Anthropic does not publish
 * Claude's). A deterministic heuristic calibrated for BPE on logs and JSON:
 *
 * - a run of letters costs about one token per 4 characters (common English and log words);
 * - a run of digits about one per 2.5 (BPE vocabularies split numbers into short chunks);
 * - a run mixing letters and digits (request ids, hex, base64) about one per 2 characters, since
 *   such strings rarely match vocabulary entries;
 * - each ASCII punctuation mark about 0.6 (frequent pairs such as `":` and `},` merge);
 * - a newline 0.5, a single space nothing (it attaches to the next word), a longer whitespace run 1;
 * - any non-ASCII character 1 (CJK and emoji are about one token each, often more).
 *
 * It errs on the high side for identifiers, which is the safe side for budgets and quotas.
 * `tokenWeight` is additive over lines (runs never cross a newline), so the packer can sum
 * per-line weights and get the weight of the joined text.
 */

const LETTERS_PER_TOKEN = 4;
const DIGITS_PER_TOKEN = 2.5;
const MIXED_PER_TOKEN = 2;
const PUNCTUATION_WEIGHT = 0.6;
const NEWLINE_WEIGHT = 0.5;
const WHITESPACE_RUN_WEIGHT = 1;
const NON_ASCII_WEIGHT = 1;

/** Fractional token weight of `text`; `estimateTokens` rounds it up. */
export function tokenWeight(text: string): number {
  let weight = 0;
  let letters = 0;
  let digits = 0;
  let spaces = 0;
  const flushWord = (): void => {
    if (letters > 0 && digits > 0) weight += Math.max(1, (letters + digits) / MIXED_PER_TOKEN);
    else if (letters > 0) weight += Math.max(1, letters / LETTERS_PER_TOKEN);
    else if (digits > 0) weight += Math.max(1, digits / DIGITS_PER_TOKEN);
    letters = 0;
    digits = 0;
  };
  const flushSpaces = (): void => {
    if (spaces > 1) weight += WHITESPACE_RUN_WEIGHT;
    spaces = 0;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      if (spaces) flushSpaces();
      letters++;
    } else if (c >= 48 && c <= 57) {
      if (spaces) flushSpaces();
      digits++;
    } else {
      flushWord();
      if (c === 32 || c === 9) {
        spaces++;
        continue;
      }
      flushSpaces();
      if (c === 10) weight += NEWLINE_WEIGHT;
      else if (c === 13) continue;
      else if (c < 128) weight += PUNCTUATION_WEIGHT;
      else if (c >= 0xdc00 && c <= 0xdfff) continue; // low surrogate: counted with its pair
      else weight += NON_ASCII_WEIGHT;
    }
  }
  flushWord();
  flushSpaces();
  return weight;
}

/** Estimated model tokens of `text` (whole tokens, rounded up). */
export function estimateTokens(text: string): number {
  return Math.ceil(tokenWeight(text));
}
