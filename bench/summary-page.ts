/**
 * The summary page over the history bench/summary.ts built: a real server on that DuckDB file, a
 * signed-in Chromium, and the time from navigating to /summary until the page is no longer busy and
 * its first chart is drawn; median of runs after one warm-up. Needs the built web app (npm run build)
 * and a Chromium (node scripts/ensure-test-tools.js). The server's clock is the real one, so "last 90
 * days" ends today, not at the end of the bench's history.
 *
 *   npx tsx bench/summary-page.ts [--db PATH] [--period last90] [--runs 5] [--port 3297] [--settle 900]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { machineInfo, median, round, ROOT, sleep, startServer } from './lib.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: join(ROOT, 'bench', 'results', 'summary-10000000-90d.duckdb') },
    period: { type: 'string', default: 'last90' },
    runs: { type: 'string', default: '5' },
    port: { type: 'string', default: '3297' },
    settle: { type: 'string', default: '900' },
  },
});
const runs = Number(values.runs);
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const t00 = performance.now();
const server = await startServer({ TANDEM_TZ: 'UTC' }, [], {
  dbPath: values.db,
  port: Number(values.port),
  startTimeoutMs: 600_000,
});
log(`server up in ${round((performance.now() - t00) / 1000)} s`);
const browser = await chromium.launch({ executablePath: process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium' });
try {
  // Let the server's background work settle (facts, QA contacts and the transcript index following
  // the event log, rollups of its own "today" warmed): until it uses under a fifth of a core for 5 s,
  // or --settle seconds at most.
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/summary?period=${values.period}&compare=previous`, {
    headers: { cookie: server.cookie },
  });
  if (!res.ok) throw new Error(`/api/summary answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  log(`first API answer after ${round((performance.now() - t0) / 1000)} s`);
  let busy = Infinity;
  while (busy > 0.2 && performance.now() - t0 < Number(values.settle) * 1000) {
    const cpu0 = server.cpuSeconds() ?? 0;
    await sleep(5_000);
    busy = ((server.cpuSeconds() ?? 0) - cpu0) / 5;
    log(`server busy ${round(busy * 100, 0)}% of a core`);
  }
  const settled = busy <= 0.2;
  log(`${settled ? 'settled' : 'still busy'} after ${round((performance.now() - t0) / 1000)} s`);

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const [name, value] = server.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url }]);
  // The moment the charts are drawn, taken in the page itself: Playwright's waits poll (up to 500 ms
  // apart), which would be measured too. performance.now() counts from the navigation's start.
  await context.addInitScript(() => {
    const w = window as unknown as { __drawn?: number };
    new MutationObserver(() => {
      if (w.__drawn === undefined && document.querySelector('.summary[aria-busy="false"] .grid figure svg rect')) {
        w.__drawn = performance.now();
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  const page = await context.newPage();
  const url = `${server.url}/summary?period=${values.period}&compare=previous`;
  const load = async (): Promise<{ ms: number; api: number }> => {
    let api = 0;
    const onFinished = (r: import('@playwright/test').Request) => {
      if (r.url().includes('/api/summary?')) api = r.timing().responseEnd;
    };
    page.on('requestfinished', onFinished);
    const t1 = performance.now();
    await page.goto(url, { timeout: 120_000 });
    // Loaded: the page is no longer busy and its first chart is drawn (timed in the page: see above).
    await page.locator('.summary[aria-busy="false"]').waitFor({ timeout: 120_000 });
    // The first chart's bars (the volume by handler) in the DOM: the charts are drawn.
    await page.locator('.summary .grid figure svg rect').first().waitFor({ state: 'attached', timeout: 60_000 });
    const polled = performance.now() - t1;
    const drawn = await page.evaluate(() => (window as unknown as { __drawn?: number }).__drawn ?? null);
    page.off('requestfinished', onFinished);
    return { ms: drawn ?? polled, api };
  };
  const warm = await load().catch(async (err: unknown) => {
    // What the page shows instead: kept for the report.
    await page.screenshot({ path: join(ROOT, 'bench', 'results', 'summary-page-failed.png') });
    console.log((await page.locator('body').innerText()).slice(0, 2000));
    throw err;
  });
  log(`warm-up ${round(warm.ms, 0)} ms`);
  const times: number[] = [];
  const apis: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await load();
    times.push(r.ms);
    apis.push(r.api);
    log(`run ${i + 1}: ${round(r.ms, 0)} ms (API response ended ${round(r.api, 0)} ms after its request started)`);
  }
  const m = machineInfo();
  console.log(
    `\n/summary?period=${values.period}&compare=previous, ${m.cpus} x ${m.cpuModel}, Node ${m.node}: ` +
      `median ${round(median(times), 0)} ms (${times.map((t) => round(t, 0)).join(' / ')}); ` +
      `warm-up ${round(warm.ms, 0)} ms; the API request within it: median ${round(median(apis), 0)} ms; ` +
      `server ${settled ? 'idle' : 'still catching up'} before the runs`,
  );
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
