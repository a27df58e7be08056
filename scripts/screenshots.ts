/**
 * Takes the README's wallboard screenshots: starts Tandem with demo traffic on a temporary database,
 * opens /wall in Debian's Chromium at 1920x1080 and 3840x2160, writes PNGs to docs/screenshots/.
 * Run: npx tsx scripts/screenshots.ts  (after npm run build)
 */
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tempDbPath, testConfig } from '../tests/helpers/server.ts';
import { chromiumLaunchOptions } from '../tests/helpers/chromium.ts';
import { startServer } from '../server/server.ts';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });
const db = tempDbPath();
const server = await startServer(
  testConfig({ dbPath: db.path, demo: true, demoRate: 14, demoSeed: 7, timeZone: 'Asia/Shanghai' }),
);
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(`${server.url}/wall`);
    await page.getByText('LIVE').waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${out}wall-${width}x${height}.png` });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  db.cleanup();
}
console.log(`screenshots written to ${out}`);
