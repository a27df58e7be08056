/**
 * Per-minute additive KPI counters, globally and per queue, with a running total for "today" and
 * today's 15-minute slots. Contributions land in the minute of their event time, so late and
 * out-of-order events count where they belong; rolling windows sum a handful of minute buckets instead
 * of re-reading events.
 *
 * The queue contributions of bot-escalated contacts are kept a second time in a layer of their own
 * (`addEscalated`), by queue and for all queues, so "escalated versus direct" is a subtraction. The
 * layer is a separate map, not a row with a reserved name: it can never clash with a queue's name and is
 * never listed as a queue.
 */
import { addCounters, emptyCounters, type KpiCounters } from '../contract/kpis.ts';
import { floorMinute, MINUTE } from '../time.ts';

/** Key of the all-queues row. */
export const ALL = '';

/** Length of a slot of today's service-level trend. */
export const SLOT = 15 * MINUTE;

type Rows = Map<string, KpiCounters>;
/** Rows of every contribution, and the rows of bot-escalated contacts' queue contributions again. */
type Layers = { all: Rows; escalated: Rows };
type Layer = keyof Layers;

const layers = (): Layers => ({ all: new Map(), escalated: new Map() });

export class KpiBuckets {
  #buckets = new Map<number, Layers>();
  #today = layers();
  /**
   * Today's 15-minute slots from the day start, kept as they happen: queue contributions only (what a
   * service level is made of), so the all-queues row of a slot has no contact, bot or survey counts.
   */
  #slots = new Map<number, Rows>();
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
    this.#add('all', at, queue, part, sign);
  }

  /**
   * Adds a queue contribution of a bot-escalated contact to the escalated layer (its all-queues row and
   * the queue's row). It is added with `add` as well: the escalated layer is a part of the totals.
   */
  addEscalated(at: number, queue: string, part: Partial<KpiCounters>, sign = 1): void {
    this.#add('escalated', at, queue, part, sign);
  }

  #add(layer: Layer, at: number, queue: string | null, part: Partial<KpiCounters>, sign: number): void {
    const minute = floorMinute(at);
    let bucket = this.#buckets.get(minute);
    if (!bucket) this.#buckets.set(minute, (bucket = layers()));
    addRows(bucket[layer], queue, part, sign);
    if (at >= this.#dayStart && at < this.#dayEnd) {
      addRows(this.#today[layer], queue, part, sign);
      if (layer === 'all' && queue !== null) addRows(this.#slotRows(minute), queue, part, sign);
    }
  }

  #slotRows(minute: number): Rows {
    const start = this.#slotStart(minute);
    let rows = this.#slots.get(start);
    if (!rows) this.#slots.set(start, (rows = new Map()));
    return rows;
  }

  /** Start of today's slot holding `ms` (slots are aligned to the day start, not to UTC). */
  #slotStart(ms: number): number {
    return this.#dayStart + Math.floor((ms - this.#dayStart) / SLOT) * SLOT;
  }

  /** Counters since the start of today (in the configured zone). */
  today(queue = ALL): KpiCounters {
    return structuredClone(this.#today.all.get(queue) ?? emptyCounters());
  }

  /** Today's queue counters of bot-escalated contacts, in all queues or in one; not to be changed. */
  todayEscalated(queue = ALL): Readonly<KpiCounters> | undefined {
    return this.#today.escalated.get(queue);
  }

  todayQueues(): string[] {
    return [...this.#today.all.keys()].filter((k) => k !== ALL);
  }

  /** Sum of the minute buckets in [fromMinute, toMinute]. */
  sum(fromMs: number, toMs: number, queue = ALL): KpiCounters {
    const out = emptyCounters();
    for (let m = floorMinute(fromMs); m <= toMs; m += MINUTE) {
      const row = this.#buckets.get(m)?.all.get(queue);
      if (row) addCounters(out, row);
    }
    return out;
  }

  minute(minute: number, queue = ALL): KpiCounters | undefined {
    return this.#buckets.get(minute)?.all.get(queue);
  }

  /** The counters of today's slot starting at `start` (slots start at the day start, every 15 minutes); not to be changed. */
  slot(start: number, queue = ALL): KpiCounters | undefined {
    return this.#slots.get(start)?.get(queue);
  }

  /** Moves "today" to a new day: recomputes the running totals and the slots from the buckets. */
  rollDay(dayStart: number, dayEnd: number): void {
    if (dayStart === this.#dayStart) return;
    this.#dayStart = dayStart;
    this.#dayEnd = dayEnd;
    this.#today = layers();
    this.#slots = new Map();
    for (const [minute, bucket] of this.#buckets) {
      if (minute < dayStart || minute >= dayEnd) continue;
      for (const layer of ['all', 'escalated'] as const) {
        for (const [key, row] of bucket[layer]) addRow(this.#today[layer], key, row, 1);
      }
      // A slot's all-queues row is the sum of its queues' rows: queue contributions only.
      const slot = this.#slotRows(minute);
      for (const [key, row] of bucket.all) if (key !== ALL) addRows(slot, key, row, 1);
    }
  }

  /** Drops buckets older than `beforeMs`. */
  prune(beforeMs: number): void {
    for (const minute of this.#buckets.keys()) if (minute < beforeMs) this.#buckets.delete(minute);
  }
}

/** Adds to the all-queues row and, when given, the queue's row. */
function addRows(rows: Rows, queue: string | null, part: Partial<KpiCounters>, sign: number): void {
  addRow(rows, ALL, part, sign);
  if (queue !== null) addRow(rows, queue, part, sign);
}

function addRow(rows: Rows, key: string, part: Partial<KpiCounters>, sign: number): void {
  let row = rows.get(key);
  if (!row) rows.set(key, (row = emptyCounters()));
  addCounters(row, part, sign);
}
