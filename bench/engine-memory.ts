/**
 * Does the live state stay bounded over days? The live engine alone (no database, no HTTP) is fed the
 * seeded Simulator's traffic over `--hours` simulated hours, with the server's pruning every 5
 * simulated minutes and a snapshot every minute (as the hub takes them, which also rolls the day).
 * After each simulated hour the heap is measured after a full collection. The engine keeps ended
 * contacts 4 hours, contacts' starts for first-contact resolution and agents' timelines 26 hours, so
 * the heap should grow for about a day and then stay level: the report compares each day's heap with the
 * day before, hour by hour (traffic follows the time of day, so like hours are compared).
 *
 *   node --expose-gc --import tsx bench/engine-memory.ts [--hours 72] [--rate 60]
 *   (--rate: new contacts per minute at the daily peak)
 */
import { parseArgs } from 'node:util';
import { DEFAULT_KPI_SETTINGS } from '../server/contract/kpis.ts';
import { LiveEngine } from '../server/live/live-engine.ts';
import { Simulator } from '../server/simulator/simulator.ts';
import { median, round, table } from './lib.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const { values } = parseArgs({
  options: { hours: { type: 'string', default: '72' }, rate: { type: 'string', default: '60' } },
});
const hours = Number(values.hours);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (see the header)');

const start = Date.UTC(2026, 10, 16, 0, 0);
const sim = new Simulator({
  seed: 11,
  ratePerMinute: Number(values.rate),
  start,
  hourOf: (ms) => new Date(ms).getUTCHours(),
});
const engine = new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS }, start);
const heapMiB = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const base = heapMiB();
const rows: (string | number)[][] = [['hour', 'events in hour', 'events so far', 'heap MiB (live state)']];
const perHour: number[] = [];
let total = 0;
for (let h = 1; h <= hours; h++) {
  let inHour = 0;
  for (let m = 0; m < 60; m++) {
    const now = start + (h - 1) * HOUR + (m + 1) * MINUTE;
    const events = sim.advance(now);
    engine.apply(events.map((event) => ({ event, atMs: event.at as number })));
    inHour += events.length;
    engine.snapshot(now);
    if (m % 5 === 4) engine.prune(now);
  }
  total += inHour;
  const heap = heapMiB() - base;
  perHour.push(heap);
  if (h % 2 === 0 || h === 1) rows.push([h, inHour, total, round(heap, 1)]);
}
console.log(table(rows));
const days = Math.floor(hours / 24);
for (let d = 2; d <= days; d++) {
  const day = perHour.slice((d - 1) * 24, d * 24);
  const before = perHour.slice((d - 2) * 24, (d - 1) * 24);
  const ratios = day.map((x, i) => x / before[i]!);
  console.log(
    `day ${d}: heap median ${round(median(day), 1)} MiB, max ${round(Math.max(...day), 1)}; ` +
      `hour by hour against day ${d - 1}: median ratio ${round(median(ratios), 2)}`,
  );
}
