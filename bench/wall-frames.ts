/**
 * `npm run bench:wall`: how smoothly each built-in board draws on a TV-class machine. A real server with
 * demo traffic, Debian's Chromium at 1920x1080 with its CPU slowed down (CDP CPU throttling, 4x by
 * default: roughly a smart TV's or a stick PC's cores), and for each board: the frame intervals the page
 * gets (requestAnimationFrame), how long the main thread spends in script, style and layout per second,
 * and long tasks (over 50 ms). Medians and p95 over the window; results in bench/results/wall-frames.json.
 *
 *   npm run bench:wall                      every built-in board, 20 s each, 4x slower CPU
 *   npm run bench:wall -- --seconds 10 --throttle 6
 */
import { chromium } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../server/server.ts';
import { chromiumLaunchOptions } from '../tests/helpers/chromium.ts';
import { tempDbPath, testConfig } from '../tests/helpers/server.ts';
import { machineInfo, ROOT, round, table } from './lib.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    throttle: { type: 'string', default: '4' },
    rate: { type: 'string', default: '20' },
  },
});
const seconds = Number(values.seconds);
const throttle = Number(values.throttle);

const db = tempDbPath();
const server = await startServer(
  testConfig({ dbPath: db.path, demo: true, demoRate: Number(values.rate), demoSeed: 3, timeZone: 'UTC' }),
);
const browser = await chromium.launch(chromiumLaunchOptions);
// The server's start-up work (the demo's backfill, summing KPI facts and rollups) competes for the same
// two cores as the browser: let it finish before anything is measured, or the first board pays for it.
await new Promise((r) => setTimeout(r, 15_000));
const rows: Record<string, number | string>[] = [];
try {
  for (const board of ['overview', 'queues', 'human-ai', 'agents']) {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.goto(`${server.links.demoDisplay}?board=${board}`);
    await page
      .getByRole('status')
      .filter({ hasText: /^\s*LIVE/ })
      .waitFor();
    await page.waitForTimeout(3000);
    await cdp.send('Performance.enable');
    const before = await metrics(cdp);
    // A string, not a function: the bench runs under tsx, whose helpers would not exist in the page.
    const frames = (await page.evaluate(`new Promise((resolve) => {
      const intervals = [];
      const longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
      let last = performance.now();
      const end = last + ${seconds * 1000};
      const step = (now) => {
        intervals.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(step);
        else resolve({ intervals, longTasks });
      };
      requestAnimationFrame(step);
    })`)) as { intervals: number[]; longTasks: number[] };
    const after = await metrics(cdp);
    const perSecond = (key: string) => ((after[key]! - before[key]!) * 1000) / seconds;
    const sorted = [...frames.intervals].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    rows.push({
      board,
      fps: round(frames.intervals.length / seconds, 1),
      'frame p50 ms': round(at(0.5), 1),
      'frame p95 ms': round(at(0.95), 1),
      'frames > 50 ms': frames.intervals.filter((i) => i > 50).length,
      'long tasks': frames.longTasks.length,
      'script ms/s': round(perSecond('ScriptDuration'), 1),
      'style+layout ms/s': round(perSecond('RecalcStyleDuration') + perSecond('LayoutDuration'), 1),
      'DOM nodes': after.Nodes!,
    });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  db.cleanup();
}

const machine = machineInfo();
console.log(
  `\nWall frames at 1920x1080, CPU ${throttle}x slower, ${seconds} s per board (${machine.cpus} x ${machine.cpuModel})`,
);
const columns = Object.keys(rows[0] ?? {});
console.log(table([columns, ...rows.map((r) => columns.map((c) => r[c]!))]));
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(
  join(ROOT, 'bench/results/wall-frames.json'),
  JSON.stringify({ at: new Date().toISOString(), machine, seconds, throttle, rows }, null, 2),
);

async function metrics(cdp: import('@playwright/test').CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}
