/**
 * Transcript search over many segments: ingests N transcript segments (English and Chinese, built from a
 * seeded phrase bank) through the real ingest path into a fresh DuckDB file, times indexing, then times
 * searchTranscripts for a set of queries (words, phrases, Chinese, a speaker filter): median and p95 of runs.
 *
 *   npx tsx bench/search.ts [--segments 1000000] [--runs 20]
 *   KEEP=1 leaves bench/results/search-N.duckdb in place after the run, to experiment on.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../server/db/duckdb.ts';
import { migrate } from '../server/db/migrate.ts';
import { EventStore } from '../server/ingest/event-store.ts';
import { Ingest } from '../server/ingest/ingest.ts';
import {
  compactTranscriptIndex,
  refreshTranscriptIndex,
  searchTranscripts,
  type SearchFilters,
} from '../server/qa/transcript-index.ts';
import { machineInfo, median, percentile, round, ROOT, table } from './lib.ts';

const { values } = parseArgs({
  options: { segments: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '20' } },
});
const total = Number(values.segments);
const runs = Number(values.runs);
const dir = join(ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const path = join(dir, `search-${total}.duckdb`);
rmSync(path, { force: true });
rmSync(`${path}.wal`, { force: true });
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const ENGLISH = [
  'I was charged twice for my order',
  'can you help me reset my password',
  'my package has not arrived yet',
  'I would like a refund please',
  'the app keeps crashing when I log in',
  'let me transfer you to a specialist',
  'thank you for your patience',
  'your refund will arrive in three days',
  'I want to cancel my subscription',
  'is there a discount for annual plans',
  'the delivery address is wrong',
  'I need to speak to a person',
];
const CHINESE = [
  '我的账单好像多扣了一笔钱',
  '请帮我重置密码',
  '我的包裹还没有到',
  '我要申请退款',
  '登录的时候应用一直闪退',
  '我帮您转接专员',
  '感谢您的耐心等待',
  '退款三天内到账',
  '我想取消订阅',
  '年付有没有优惠',
  '收货地址填错了',
  '我要找人工客服',
];
const SPEAKERS = ['customer', 'bot', 'agent'] as const;
let seed = 7;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

const db = await openDatabase(path);
await migrate(db);
const end = Date.UTC(2026, 10, 1);
const ingest = new Ingest(new EventStore(db), { now: () => end });
let t0 = performance.now();
const BATCH = 20_000;
for (let i = 0; i < total; i += BATCH) {
  const batch = [];
  for (let j = i; j < Math.min(total, i + BATCH); j++) {
    const chinese = random() < 0.4;
    const parts = 1 + Math.floor(random() * 3);
    const text = Array.from({ length: parts }, () => pick(chinese ? CHINESE : ENGLISH)).join(chinese ? '，' : '. ');
    batch.push({
      id: `seg-${j}`,
      type: 'transcript.segment',
      at: end - (total - j) * 2_000,
      contactId: `c-${Math.floor(j / 8)}`,
      speaker: pick(SPEAKERS),
      text: random() < 0.05 ? `${text} order ${Math.floor(random() * 1e6)}` : text,
    });
  }
  await ingest.ingest(batch);
}
const ingestSeconds = (performance.now() - t0) / 1000;
log(`ingested ${total} segments in ${round(ingestSeconds)} s`);
t0 = performance.now();
await refreshTranscriptIndex(db);
const indexSeconds = (performance.now() - t0) / 1000;
log(`indexed in ${round(indexSeconds)} s (${Math.round(total / indexSeconds)} segments/s)`);
// What the server's background step does once the tail has grown: merge it into the sorted postings.
t0 = performance.now();
await compactTranscriptIndex(db, { force: true });
log(`postings sorted in ${round((performance.now() - t0) / 1000)} s`);

const QUERIES: { q: string; filters?: SearchFilters }[] = [
  { q: 'refund' },
  { q: '"charged twice"' },
  { q: 'password reset' },
  { q: '退款' },
  { q: '人工客服' },
  { q: 'refund', filters: { speaker: 'agent' } },
  { q: '"cancel my subscription" annual' },
];
const rows: (string | number)[][] = [['query', 'matches', 'median ms', 'p95 ms']];
for (const { q, filters } of QUERIES) {
  const times: number[] = [];
  let matches = 0;
  for (let r = 0; r < runs + 2; r++) {
    const s = performance.now();
    const result = await searchTranscripts(db, q, filters, { limit: 20, offset: 0 });
    if (r >= 2) times.push(performance.now() - s);
    matches = result.total;
  }
  times.sort((a, b) => a - b);
  rows.push([
    `${q}${filters?.speaker ? ` (${filters.speaker})` : ''}`,
    matches,
    round(median(times)),
    round(percentile(times, 95)),
  ]);
}
await db.close();
if (!process.env.KEEP) {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}
const m = machineInfo();
console.log(`\nTranscript search, ${total} segments, ${runs} runs each (${m.cpus} x ${m.cpuModel})`);
console.log(table(rows));
