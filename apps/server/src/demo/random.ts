import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The demo's one source of chance: a seeded xoroshiro128+ (pure-rand), so that the same seed gives
 * the same draws in the same order, on every machine. Never Math.random here.
 */
export class Random {
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  /** A number in [min, max). */
  between(min: number, max: number): number {
    return min + uniformFloat64(this.rng) * (max - min);
  }

  chance(p: number): boolean {
    return uniformFloat64(this.rng) < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from nothing');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** One value, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.between(0, total);
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  /** `k` distinct items, in random order (a partial Fisher–Yates shuffle of a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = this.int(i, copy.length - 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, n);
  }

  /** `total` split into `parts` whole numbers of at least 1 each (parts ≤ total). */
  split(total: number, parts: number): number[] {
    if (parts < 1 || parts > total) throw new RangeError(`cannot split ${total} into ${parts}`);
    const weights = Array.from({ length: parts }, () => this.between(0.5, 1.5));
    const sum = weights.reduce((a, b) => a + b, 0);
    const sizes = weights.map((w) => 1 + Math.floor(((total - parts) * w) / sum));
    // What the rounding down left over goes one at a time to random parts.
    for (let rest = total - sizes.reduce((a, b) => a + b, 0); rest > 0; rest--) {
      const i = this.int(0, parts - 1);
      sizes[i] = (sizes[i] as number) + 1;
    }
    return sizes;
  }
}
