import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/duckdb.ts';
import { fingerprint, fingerprintSql, IdFingerprints } from './id-fingerprints.ts';

describe('id fingerprints', () => {
  it('are the same in JavaScript and in DuckDB, for any text', async () => {
    const ids = ['a', 'lat-123', '会话-7', 'x'.repeat(300), '😀e', 'ev-\u00e9'];
    const db = await openDatabase(':memory:');
    try {
      for (const id of ids) {
        const [row] = await db.query<{ f: number }>(`SELECT ${fingerprintSql('?')} AS f`, [id]);
        expect(row!.f).toBe(fingerprint(id));
        expect(Number.isSafeInteger(fingerprint(id))).toBe(true);
      }
      expect(new Set(ids.map(fingerprint)).size).toBe(ids.length);
    } finally {
      await db.close();
    }
  });

  it('know exactly the fingerprints added, across tiers and merges', () => {
    const loaded = Float64Array.from({ length: 1000 }, (_, i) => i * 3).sort();
    const index = new IdFingerprints(loaded);
    const added = new Set<number>();
    // Several hot sets' worth, so the set is sorted into tiers and tiers are merged.
    for (let batch = 0; batch < 40; batch++) {
      const fs = Array.from({ length: 5000 }, (_, i) => 10_000_000 + (batch * 5000 + i) * 7);
      index.add(fs);
      for (const f of fs) added.add(f);
    }
    expect(index.size).toBe(1000 + added.size);
    for (let f = 0; f < 3000; f++) expect(index.has(f)).toBe(f % 3 === 0);
    for (let k = 0; k < 5000; k++) {
      const f = 10_000_000 + k * 41;
      expect(index.has(f)).toBe(added.has(f));
    }
    expect(index.has(-1)).toBe(false);
  });
});
