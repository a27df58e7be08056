/**
 * The wall in each language and theme, chosen by its address, and coloured by the targets an admin sets.
 */
import { startServer } from '../../server/server.ts';
import { connectionBadge, expect, signIn, test } from '../helpers/e2e.ts';
import { tempDbPath, testConfig } from '../helpers/server.ts';

const tile = (page: import('@playwright/test').Page, label: string) =>
  page.getByRole('region', { name: label, exact: true });

test.beforeEach(async ({ context, baseURL }) => signIn(context, baseURL!));

for (const [lang, expected] of [
  ['zh-CN', { sl: '服务水平', queues: '队列', live: '实时', split: '人工与 AI' }],
  ['zh-TW', { sl: '服務水準', queues: '佇列', live: '即時', split: '真人與 AI' }],
] as const) {
  test(`the wall speaks ${lang} when its address says so`, async ({ page }) => {
    await page.goto(`/wall?lang=${lang}`);
    await expect(connectionBadge(page, expected.live)).toBeVisible();
    await expect(tile(page, expected.sl)).toBeVisible();
    await expect(page.getByRole('table', { name: expected.queues })).toBeVisible();
    await expect(page.getByRole('heading', { name: new RegExp(expected.split) })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    // No English left on the board's labels.
    await expect(page.getByText('Service level')).toHaveCount(0);
  });
}

test('the wall takes a light theme from its address, dark otherwise', async ({ page }) => {
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.goto('/wall');
  await expect(connectionBadge(page)).toBeVisible();
  expect(await background()).toBe('rgb(10, 16, 32)');
  await page.goto('/wall?theme=light');
  await expect(connectionBadge(page)).toBeVisible();
  expect(await background()).toBe('rgb(233, 237, 243)');
});

test("a queue's service level is coloured by the targets set for it", async ({ page }) => {
  // Its own server: queues added to the shared one would crowd the other tests' walls.
  const db = tempDbPath();
  const server = await startServer(testConfig({ dbPath: db.path }));
  try {
    const t = server.tandem;
    const queue = 'priority';
    // Two contacts: one answered after 5 s, one after two minutes: 50% within 20 s.
    const at = Date.now() - 5 * 60_000;
    await t.ingest.ingest(
      [5_000, 120_000].flatMap((wait, i) => [
        { id: `s${i}`, type: 'contact.started', at, contactId: `c${i}`, channel: 'voice' },
        { id: `e${i}`, type: 'queue.entered', at, contactId: `c${i}`, queue },
        {
          id: `l${i}`,
          type: 'queue.left',
          at: at + wait,
          contactId: `c${i}`,
          queue,
          outcome: 'answered',
          agentId: 'a',
        },
      ]),
    );
    const { token } = await t.admin.createDisplay(
      { actor: { kind: 'test', id: null, name: 'test' } },
      { name: 'Targets', board: 'overview', scopeQueues: [] },
    );
    await page.goto(`${server.url}/d/${token}`);
    // The SL column by its header (the row's own header is a cell of the first column, not a `cell`).
    const table = page.getByRole('table', { name: 'Queues' });
    await expect(table.getByRole('row', { name: /priority/i })).toBeVisible();
    const column = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim()).indexOf('SL today');
    expect(column).toBeGreaterThan(0);
    const sl = table
      .getByRole('row', { name: /priority/i })
      .getByRole('cell')
      .nth(column - 1);
    await expect(sl).toHaveText(/50%/);

    const target = (serviceLevel: { target: number; warn: number; alert: number }) =>
      t.updateKpiSettings(queue, { settings: {}, targets: { serviceLevel } }, 'test');
    await target({ target: 0.5, warn: 0.4, alert: 0.3 });
    await expect(sl).toHaveText(/●\s*50%/);
    await target({ target: 0.6, warn: 0.45, alert: 0.3 });
    await expect(sl).toHaveText(/◐\s*50%/);
    await target({ target: 0.8, warn: 0.6, alert: 0.4 });
    await expect(sl).toHaveText(/▲\s*50%/);
    // A breach also puts a banner in the header, naming the queue, the figure and its value (the
    // whole center's 50% is already past the default alert level of 60%, so the banner is there).
    const banner = page.getByRole('alert', { name: /BREACH/ });
    await expect(banner).toContainText(/1 BREACH\s+All queues\s+service level\s+50%/);
    await target({ target: 0.9, warn: 0.7, alert: 0.5 });
    await expect(sl).toHaveText(/■\s*50%/);
    // Two breaches take turns, each shown whole.
    await expect(banner).toContainText(/2 BREACHES\s+priority\s+service level\s+50%\s+2 \/ 2/, { timeout: 10_000 });
  } finally {
    await server.close();
    db.cleanup();
  }
});
