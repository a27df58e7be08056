/**
 * Which event ids may already be stored, answered from memory: a 53-bit fingerprint of every stored id
 * (the top of its MD5). The event store checks a batch here before it appends; only ids whose
 * fingerprint is known are looked up in `events` (true resends, and about one in 10^8 ids by chance), so
 * the log needs no unique index.
 *
 * Why not the primary key it had: DuckDB writes a table's whole ART index again at every checkpoint (every
 * 16 MiB of log; duckdb/duckdb#24848, open in 1.5.6), so each one took longer as the log grew (1.1 s at
 * 4 M events on two cores; BENCHMARKS.md) and held every commit meanwhile.
 *
 * The fingerprints live in sorted tiers (binary search) and a set of the newest. The set is sorted into a
 * tier once it is large, and tiers of similar size are merged, up to a cap, so a lookup reads a few tiers
 * and no merge copies more than the cap at once. Eight bytes per stored event.
 */
import { createHash } from 'node:crypto';

/** The same fingerprint in DuckDB's SQL, of column `column`: MD5's first eight bytes, little-endian, >> 11. */
export const fingerprintSql = (column: string) => `(md5_number_upper(${column}) >> 11)::DOUBLE`;

export function fingerprint(id: string): number {
  const digest = createHash('md5').update(id, 'utf8').digest();
  // (hi * 2^32 + lo) >> 11, exact in a double: below 2^53.
  return digest.readUInt32LE(4) * 2 ** 21 + Math.floor(digest.readUInt32LE(0) / 2 ** 11);
}

/** The newest fingerprints are kept in a set until there are this many. */
const HOT_MAX = 1 << 16;
/** Tiers are merged up to this many fingerprints (64 MiB): a merge that large takes tens of ms. */
const TIER_CAP = 1 << 23;

export class IdFingerprints {
  #tiers: Float64Array[];
  #hot = new Set<number>();

  /** `sorted`: fingerprints of the stored ids in ascending order (repeats allowed). */
  constructor(sorted: Float64Array = new Float64Array(0)) {
    this.#tiers = sorted.length > 0 ? [sorted] : [];
  }

  get size(): number {
    return this.#hot.size + this.#tiers.reduce((n, t) => n + t.length, 0);
  }

  has(f: number): boolean {
    if (this.#hot.has(f)) return true;
    for (const tier of this.#tiers) if (contains(tier, f)) return true;
    return false;
  }

  add(fingerprints: Iterable<number>): void {
    for (const f of fingerprints) this.#hot.add(f);
    if (this.#hot.size >= HOT_MAX) this.#settle();
  }

  #settle(): void {
    let tier: Float64Array = Float64Array.from(this.#hot).sort();
    this.#hot.clear();
    for (;;) {
      const last = this.#tiers.at(-1);
      if (!last || last.length > 2 * tier.length || last.length + tier.length > TIER_CAP) break;
      tier = merge(this.#tiers.pop()!, tier);
    }
    this.#tiers.push(tier);
  }
}

function contains(sorted: Float64Array, f: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < f) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === f;
}

function merge(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
