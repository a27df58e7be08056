/**
 * Per-minute additive KPI counters, globally and per queue, with a running total for "today".
 * Contributions land in the minute of their event time, so late and out-of-order events count where
 * they belong; rolling windows sum a handful of minute buckets instead of re-reading events.
 */
import { addCounters, emptyCounters, type KpiCounters } from '../contract/kpis.ts';
import { floorMinute, MINUTE } from '../time.ts';

/** Key of the all-queues row. */
export const ALL = '';

export class KpiBuckets {
  #buckets = new Map<number, Map<string, KpiCounters>>();
  #today = new Map<string, KpiCounters>();
  #dayStart: number;
  #dayEnd: number;

  constructor(dayStart: number, dayEnd: number) {
    this.#dayStart = dayStart;
    this.#dayEnd = dayEnd;
  }

  get dayStart(): number {
    return this.#dayStart;
  }

  /** Adds a contribution at event time `at` to the global row and, when given, a queue's row. */
  add(at: number, queue: string | null, part: Partial<KpiCounters>, sign = 1): void {
    const minute = floorMinute(at);
    let bucket = this.#buckets.get(minute);
    if (!bucket) this.#buckets.set(minute, (bucket = new Map()));
    this.#addTo(bucket, ALL, part, sign);
    if (queue !== null) this.#addTo(bucket, queue, part, sign);
    if (at >= this.#dayStart && at < this.#dayEnd) {
      this.#addTo(this.#today, ALL, part, sign);
      if (queue !== null) this.#addTo(this.#today, queue, part, sign);
    }
  }

  #addTo(rows: Map<string, KpiCounters>, key: string, part: Partial<KpiCounters>, sign: number): void {
    let row = rows.get(key);
    if (!row) rows.set(key, (row = emptyCounters()));
    addCounters(row, part, sign);
  }

  /** Counters since the start of today (in the configured zone). */
  today(queue = ALL): KpiCounters {
    return structuredClone(this.#today.get(queue) ?? emptyCounters());
  }

  todayQueues(): string[] {
    return [...this.#today.keys()].filter((k) => k !== ALL);
  }

  /** Sum of the minute buckets in [fromMinute, toMinute]. */
  sum(fromMs: number, toMs: number, queue = ALL): KpiCounters {
    const out = emptyCounters();
    for (let m = floorMinute(fromMs); m <= toMs; m += MINUTE) {
      const row = this.#buckets.get(m)?.get(queue);
      if (row) addCounters(out, row);
    }
    return out;
  }

  minute(minute: number, queue = ALL): KpiCounters | undefined {
    return this.#buckets.get(minute)?.get(queue);
  }

  /** Moves "today" to a new day: recomputes the running totals from the buckets. */
  rollDay(dayStart: number, dayEnd: number): void {
    if (dayStart === this.#dayStart) return;
    this.#dayStart = dayStart;
    this.#dayEnd = dayEnd;
    this.#today = new Map();
    for (const [minute, rows] of this.#buckets) {
      if (minute < dayStart || minute >= dayEnd) continue;
      for (const [key, row] of rows) this.#addTo(this.#today, key, row, 1);
    }
  }

  /** Drops buckets older than `beforeMs`. */
  prune(beforeMs: number): void {
    for (const minute of this.#buckets.keys()) if (minute < beforeMs) this.#buckets.delete(minute);
  }
}
