/**
 * Secrets hidden by encoding: a log line inside a JSON error record inside a JSON log event
 * (`\\\"password\\\":\\\"…`), a form body URL-encoded once or twice (`password%3D…`, `%253D`), an
 * XML or HTML page with entities (`&quot;`). The detectors read each DECODED view of the text as
 * well as the text itself; every decoded character remembers where it came from in the original,
 * so a span found in a decoded view is mapped back and the original, encoded value is redacted.
 *
 * Linear: each layer is one pass that never makes the text longer, and at most MAX_LAYERS layers
 * are decoded (JSON escaped three levels deep needs three; an adversary cannot ask for more work).
 */

/** A decoded view of a text: `at[i]` is where decoded character i starts in the original; `at[length]` is the original's end. */
export interface DecodedView {
  text: string;
  at: Int32Array;
}

/** JSON three levels deep and a double URL-encoding inside it need five; one more for entities. */
export const MAX_LAYERS = 6;

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', "'": "'", n: '\n', r: '\r', t: '\t', b: ' ', f: ' ' };
const NAMED_ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };

function hexValue(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** `&name;`, `&#NN;`, `&#xHH;` at `from`: the character and the entity's length, or undefined. */
function entityAt(text: string, from: number): { ch: string; length: number } | undefined {
  const semi = text.indexOf(';', from + 2);
  if (semi === -1 || semi - from > 8) return undefined;
  const body = text.slice(from + 1, semi);
  const named = NAMED_ENTITIES[body];
  if (named) return { ch: named, length: semi - from + 1 };
  if (body[0] !== '#') return undefined;
  const hex = body[1] === 'x' || body[1] === 'X';
  const digits = body.slice(hex ? 2 : 1);
  if (digits.length === 0 || digits.length > 5) return undefined;
  const code = hex ? hexValue(digits, 0, digits.length) : /^\d+$/.test(digits) ? Number(digits) : -1;
  if (code < 9 || code > 0xffff) return undefined;
  return { ch: String.fromCharCode(code), length: semi - from + 1 };
}

/** One layer of decoding; undefined when the text holds nothing to decode. */
function decodeOnce(text: string): { text: string; at: Int32Array } | undefined {
  if (!/[\\%&]/.test(text)) return undefined;
  const out: string[] = [];
  const at = new Int32Array(text.length + 1);
  let n = 0;
  let changed = false;
  let run = 0; // start of the current run of characters copied as they are
  const flush = (to: number) => {
    if (to > run) {
      out.push(text.slice(run, to));
      for (let p = run; p < to; p++) at[n++] = p;
    }
  };
  const emit = (ch: string, from: number, length: number) => {
    flush(from);
    out.push(ch);
    at[n++] = from;
    run = from + length;
    changed = true;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === undefined) continue;
      const simple = JSON_ESCAPES[next];
      if (simple !== undefined) {
        emit(simple, i, 2);
        i++;
        continue;
      }
      if (next === 'u') {
        const code = hexValue(text, i + 2, 4);
        if (code >= 0 && i + 6 <= text.length) {
          emit(String.fromCharCode(code), i, 6);
          i += 5;
        }
        continue;
      }
      if (next === 'x') {
        const code = hexValue(text, i + 2, 2);
        if (code >= 0 && i + 4 <= text.length) {
          emit(String.fromCharCode(code), i, 4);
          i += 3;
        }
      }
      continue;
    }
    if (ch === '%') {
      const code = i + 3 <= text.length ? hexValue(text, i + 1, 2) : -1;
      if (code >= 0) {
        emit(String.fromCharCode(code), i, 3);
        i += 2;
      }
      continue;
    }
    if (ch === '&') {
      const entity = entityAt(text, i);
      if (entity) {
        emit(entity.ch, i, entity.length);
        i += entity.length - 1;
      }
    }
  }
  if (!changed) return undefined;
  flush(text.length);
  at[n] = text.length;
  return { text: out.join(''), at: at.subarray(0, n + 1) };
}

/**
 * Every decoded view of `text`, outermost first, each mapped to the ORIGINAL text's offsets.
 * Empty when the text holds no escape, percent-encoding or entity.
 */
export function decodedViews(text: string): DecodedView[] {
  const views: DecodedView[] = [];
  let current = text;
  let toOriginal: Int32Array | undefined;
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const next = decodeOnce(current);
    if (!next) break;
    let at = next.at;
    if (toOriginal) {
      const composed = new Int32Array(at.length);
      for (let i = 0; i < at.length; i++) composed[i] = toOriginal[at[i] as number] as number;
      at = composed;
    }
    views.push({ text: next.text, at });
    current = next.text;
    toOriginal = at;
  }
  return views;
}

/** Fully decoded text (for tests and checks that look for a secret in any encoding). */
export function fullyDecoded(text: string): string {
  const views = decodedViews(text);
  return views.length > 0 ? (views[views.length - 1] as DecodedView).text : text;
}
