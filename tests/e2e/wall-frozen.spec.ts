/**
 * The wall on a stopped clock: a server whose clock stands at one moment, seeded with the same traffic
 * every run, and a browser whose clock is paused at that moment and moved only by the test. Every figure,
 * wait and time in state is then the same on every run, so playlists turn and timers tick exactly when
 * the test says, and screenshots at 1080p and 4K can be compared with the ones checked in beside this file.
 * (Update them on purpose with `npx playwright test wall-frozen --update-snapshots`, then look at them.)
 */
import type { Page } from '@playwright/test';
import type { RunningServer } from '../../server/server.ts';
import { startServer } from '../../server/server.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { connectionBadge, expect, test } from '../helpers/e2e.ts';
import { tempDbPath, testConfig } from '../helpers/server.ts';

// 10:30 on a Tuesday morning in Shanghai.
const FIXED = Date.UTC(2026, 2, 3, 2, 30);
const by = { actor: { kind: 'test', id: null, name: 'test' } };

let server: RunningServer;
const db = tempDbPath();
let displayPath: string;
let playlistPath: string;

test.beforeAll(async () => {
  server = await startServer(
    testConfig({ dbPath: db.path, timeZone: 'Asia/Shanghai', clock: () => FIXED, demo: false }),
  );
  const t = server.tandem;
  const events = new Simulator({ seed: 11, ratePerMinute: 12, start: FIXED - 3 * 3_600_000, agents: 9 }).advance(FIXED);
  for (let i = 0; i < events.length; i += 2000) await t.ingest.ingest(events.slice(i, i + 2000));
  // Targets tight enough that something is in breach: the banner and red tiles are part of the picture.
  await t.updateKpiSettings(
    null,
    {
      settings: {},
      targets: {
        serviceLevel: { target: 0.9, warn: 0.85, alert: 0.8 },
        containmentRate: { target: 0.6, warn: 0.5, alert: 0.4 },
        asaSeconds: { target: 15, warn: 25, alert: 40 },
      },
    },
    'test',
  );
  const { token } = await t.admin.createDisplay(by, { name: 'Floor 3', board: 'overview', scopeQueues: [] });
  displayPath = `/d/${token}`;
  const playlist = await t.boards.createPlaylist(by, {
    name: 'Morning',
    slides: [
      { board: 'overview', seconds: 20 },
      { board: 'agents', seconds: 10 },
    ],
  });
  const shown = await t.admin.createDisplay(by, {
    name: 'Floor 4',
    board: `playlist:${playlist.id}`,
    scopeQueues: [],
  });
  playlistPath = `/d/${shown.token}`;
});

test.afterAll(async () => {
  await server.close();
  db.cleanup();
});

/** Opens a screen with the browser's clock paused at the server's moment. */
async function open(page: Page, path: string, viewport = { width: 1920, height: 1080 }) {
  await page.setViewportSize(viewport);
  await page.clock.install({ time: FIXED });
  await page.clock.pauseAt(FIXED);
  await page.goto(server.url + path);
  await expect(connectionBadge(page, '(LIVE|实时|即時)')).toBeVisible();
}

const SHOTS = [
  { name: 'overview-en-1920x1080', query: '', viewport: { width: 1920, height: 1080 } },
  { name: 'queues-zh-CN-1920x1080', query: '?board=queues&lang=zh-CN', viewport: { width: 1920, height: 1080 } },
  { name: 'human-ai-zh-TW-3840x2160', query: '?board=human-ai&lang=zh-TW', viewport: { width: 3840, height: 2160 } },
  { name: 'agents-en-3840x2160', query: '?board=agents', viewport: { width: 3840, height: 2160 } },
];

for (const shot of SHOTS) {
  test(`looks as expected: ${shot.name}`, async ({ page }) => {
    await open(page, displayPath + shot.query, shot.viewport);
    // Charts measure their box after the first frame; wait until they have drawn.
    await page.clock.runFor(500);
    await expect(page).toHaveScreenshot(`${shot.name}.png`, { maxDiffPixelRatio: 0.0005 });
  });
}

test('a playlist turns to each board for its own time, and back to the first', async ({ page }) => {
  await open(page, playlistPath);
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).toContainText('Overview');
  await expect(page.getByLabel('Slide 1 of 2')).toBeVisible();
  await page.clock.runFor(19_000);
  await expect(heading).toContainText('Overview');
  await page.clock.runFor(1_500);
  await expect(heading).toContainText('Agents');
  await expect(page.getByLabel('Slide 2 of 2')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Agent board' })).toBeVisible();
  await page.clock.runFor(10_000);
  await expect(heading).toContainText('Overview');
  await expect(page.getByRole('region', { name: 'Key figures' })).toBeVisible();
});

test("agents' times in state tick on the client between messages", async ({ page }) => {
  await open(page, `${displayPath}?board=agents`);
  const card = page.getByRole('region', { name: 'Agent board' }).getByRole('article').first();
  const time = card.locator('.time');
  const seconds = async () => {
    const parts = (await time.textContent())!.trim().split(':').map(Number);
    return parts.reduce((s, p) => s * 60 + p, 0);
  };
  const before = await seconds();
  await page.clock.runFor(65_000);
  await expect.poll(seconds).toBe(before + 65);
});
