/**
 * Which of many literal hints (`ghp_`, `AKIA`, `xox`, `sk-`…) occur in a text, in one pass: an
 * Aho-Corasick automaton over ASCII. Most log lines hold none, and every vendor pattern whose
 * hints are absent is skipped without running; one regex alternation of a hundred literals (the
 * earlier gate) tries each of them at every position instead. Linear by construction: one table
 * step per character, and each state's hints listed once.
 */
const ALPHABET = 128;

export class HintIndex {
  private readonly next: Int32Array;
  /** For each state, the ids of the hints that end there (its own and its suffixes'), or undefined. */
  private readonly outputs: (number[] | undefined)[];
  /** Which hints the current `find` has reported: marked with its generation, so nothing is cleared per call. */
  private readonly seen: Int32Array;
  private generation = 0;

  constructor(readonly hints: readonly string[]) {
    const goto: number[][] = [new Array<number>(ALPHABET).fill(-1)];
    const own: number[][] = [[]];
    hints.forEach((hint, id) => {
      let state = 0;
      for (let i = 0; i < hint.length; i++) {
        const c = hint.charCodeAt(i);
        if (c >= ALPHABET) throw new Error(`hint ${JSON.stringify(hint)} is not ASCII`);
        let to = goto[state]![c]!;
        if (to === -1) {
          to = goto.length;
          goto.push(new Array<number>(ALPHABET).fill(-1));
          own.push([]);
          goto[state]![c] = to;
        }
        state = to;
      }
      own[state]!.push(id);
    });
    // Breadth first: failure links, missing transitions filled from them (a DFA), outputs merged.
    const fail = new Int32Array(goto.length);
    const outputs: (number[] | undefined)[] = own.map((ids) => (ids.length > 0 ? [...ids] : undefined));
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const to = goto[0]![c]!;
      if (to === -1) goto[0]![c] = 0;
      else {
        fail[to] = 0;
        queue.push(to);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const inherited = outputs[fail[state]!];
      if (inherited) outputs[state] = [...(outputs[state] ?? []), ...inherited];
      for (let c = 0; c < ALPHABET; c++) {
        const to = goto[state]![c]!;
        if (to === -1) goto[state]![c] = goto[fail[state]!]![c]!;
        else {
          fail[to] = goto[fail[state]!]![c]!;
          queue.push(to);
        }
      }
    }
    this.next = new Int32Array(goto.length * ALPHABET);
    goto.forEach((row, state) => this.next.set(row, state * ALPHABET));
    this.outputs = outputs;
    this.seen = new Int32Array(hints.length);
  }

  /** The ids of the hints that occur in `text` (each once), in the order first seen. */
  find(text: string): number[] {
    const found: number[] = [];
    const seen = this.seen;
    const generation = ++this.generation;
    const next = this.next;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      state = c < ALPHABET ? (next[state * ALPHABET + c] as number) : 0;
      const ids = outputs[state];
      if (ids === undefined) continue;
      for (const id of ids) {
        if (seen[id] === generation) continue;
        seen[id] = generation;
        found.push(id);
      }
    }
    return found;
  }

  /** Flags per hint (1: occurs) for a list of found ids. */
  flags(found: readonly number[]): Uint8Array {
    const flags = new Uint8Array(this.hints.length);
    for (const id of found) flags[id] = 1;
    return flags;
  }
}
