/**
 * A tiny seeded PRNG (mulberry32): the same seed gives the same traffic on every machine, which
 * is what makes generated scenarios testable. Math.random is never used in the sandbox. A class
 * with prototype methods, because traffic makes one per request: millions, cheaply.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T extends { weight?: number }>(items: readonly T[]): T;
  hex(chars: number): string;
  uuid(): string;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

class Mulberry32 implements Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T extends { weight?: number }>(items: readonly T[]): T {
    let total = 0;
    for (const item of items) total += item.weight ?? 1;
    let roll = this.next() * total;
    for (const item of items) {
      roll -= item.weight ?? 1;
      if (roll < 0) return item;
    }
    return items[items.length - 1] as T;
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) {
      const n = Math.floor(this.next() * 0x100000000);
      out += (BYTE_HEX[n >>> 24] as string) + (BYTE_HEX[(n >>> 16) & 255] as string) + (BYTE_HEX[(n >>> 8) & 255] as string) + (BYTE_HEX[n & 255] as string);
    }
    return out.length === chars ? out : out.slice(0, chars);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(this.next() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

export function createRandom(seed: number): Random {
  return new Mulberry32(seed);
}
