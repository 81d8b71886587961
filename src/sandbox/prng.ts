/**
 * A tiny seeded PRNG (mulberry32): the same seed gives the same traffic on every machine, which
 * is what makes generated scenarios testable. Math.random is never used in the sandbox.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T extends { weight?: number }>(items: readonly T[]): T;
  hex(chars: number): string;
  uuid(): string;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (chars: number) => {
    let out = '';
    while (out.length < chars) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
    return out.slice(0, chars);
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick(items) {
      const total = items.reduce((sum, item) => sum + (item.weight ?? 1), 0);
      let roll = next() * total;
      for (const item of items) {
        roll -= item.weight ?? 1;
        if (roll < 0) return item;
      }
      return items[items.length - 1] as (typeof items)[number];
    },
    hex,
    uuid() {
      const h = hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(next() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
