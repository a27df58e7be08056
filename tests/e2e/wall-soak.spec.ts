/**
 * The wall runs for weeks: a soak in fast motion. Traffic at about sixty times a normal floor's rate
 * (a few hours of a floor's contacts in two minutes) goes into a real server while a browser shows a playlist that
 * turns between every built-in board each few seconds, mounting and unmounting every widget again and
 * again. After a warm-up, the page's JS heap (after a forced collection) and its DOM node count must stay
 * flat: a leak of one snapshot, listener or node per message or per slide would show as steady growth.
 */
import type { CDPSession } from '@playwright/test';
import type { RunningServer } from '../../server/server.ts';
import { startServer } from '../../server/server.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { connectionBadge, expect, test } from '../helpers/e2e.ts';
import { tempDbPath, testConfig } from '../helpers/server.ts';

const by = { actor: { kind: 'test', id: null, name: 'test' } };
const SOAK_MS = Number(process.env.TANDEM_SOAK_MS ?? 120_000);
const WARMUP_MS = 25_000;
const SLIDE_SECONDS = 5;

let server: RunningServer;
const db = tempDbPath();

test.beforeAll(async () => {
  server = await startServer(testConfig({ dbPath: db.path, demo: false }));
});
test.afterAll(async () => {
  await server.close();
  db.cleanup();
});

async function sample(cdp: CDPSession): Promise<{ heap: number; nodes: number; listeners: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { heap: usedSize, nodes: metric('Nodes'), listeners: metric('JSEventListeners') };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('heap and DOM stay flat while hours of contacts and dozens of slides go by', async ({ page }) => {
  test.setTimeout(SOAK_MS + 90_000);
  const t = server.tandem;
  const start = Date.now();
  // 900 contacts a minute on 60 agents: queues fill, abandon and drain, agents change state all the time.
  const sim = new Simulator({ seed: 21, ratePerMinute: 900, start: start - 10 * 60_000, agents: 60 });
  await t.ingest.ingest(sim.advance(start));
  let feeding = true;
  let events = 0;
  const feed = (async () => {
    while (feeding) {
      const batch = sim.advance(Date.now());
      events += batch.length;
      if (batch.length) await t.ingest.ingest(batch);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  const playlist = await t.boards.createPlaylist(by, {
    name: 'Soak',
    slides: ['overview', 'queues', 'human-ai', 'agents'].map((board) => ({ board, seconds: SLIDE_SECONDS })),
  });
  const { token } = await t.admin.createDisplay(by, {
    name: 'Soak',
    board: `playlist:${playlist.id}`,
    scopeQueues: [],
  });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${server.url}/d/${token}`);
  await expect(connectionBadge(page)).toBeVisible();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');

  await page.waitForTimeout(WARMUP_MS);
  const samples: { heap: number; nodes: number; listeners: number }[] = [];
  // Always measured on the same slide (the first board), so samples compare like with like.
  const first = page.getByLabel('Slide 1 of 4');
  while (Date.now() - start < SOAK_MS) {
    await first.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_000);
    samples.push(await sample(cdp));
    await first.waitFor({ state: 'detached', timeout: 30_000 });
  }
  feeding = false;
  await feed;

  // Still live and current at the end.
  await expect(connectionBadge(page)).toBeVisible();
  expect(events).toBeGreaterThan(SOAK_MS / 1000);
  expect(samples.length).toBeGreaterThanOrEqual(4);
  const third = Math.max(2, Math.floor(samples.length / 3));
  const early = samples.slice(0, third);
  const late = samples.slice(-third);
  const growth = (key: 'heap' | 'nodes' | 'listeners') =>
    median(late.map((s) => s[key])) / median(early.map((s) => s[key]));
  const report = `${samples.length} samples, ${events} events; heap ${growth('heap').toFixed(2)}x, nodes ${growth('nodes').toFixed(2)}x, listeners ${growth('listeners').toFixed(2)}x`;
  console.log(`soak: ${report}`);
  // The same board with the same queues: nodes and listeners only move with the figures on it (a queue more
  // or less); the heap with the snapshot's size. A leak per message or per slide grows far past these.
  expect(growth('heap'), report).toBeLessThan(1.3);
  expect(growth('nodes'), report).toBeLessThan(1.15);
  expect(growth('listeners'), report).toBeLessThan(1.15);
});
