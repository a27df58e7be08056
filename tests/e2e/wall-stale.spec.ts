/**
 * A wall must never show old figures as current: when its server goes away it says STALE over the
 * whole board within seconds, and when the server returns it recovers by itself. This test runs its
 * own server (the shared one must stay up), stops it, and starts it again on the same port and file.
 */
import { startServer, type RunningServer } from '../../server/server.ts';
import { tempDbPath, testConfig } from '../helpers/server.ts';
import { expect, test, connectionBadge } from '../helpers/e2e.ts';

test('the wall says STALE when its server stops, and recovers when it returns', async ({ page }) => {
  test.setTimeout(90_000);
  const db = tempDbPath();
  let server: RunningServer | null = await startServer(
    testConfig({ dbPath: db.path, demo: true, demoRate: 6, demoSeed: 3 }),
  );
  try {
    const port = Number(new URL(server.url).port);
    await page.goto(server.links.demoDisplay!);
    await expect(connectionBadge(page)).toBeVisible();
    await expect(page.getByRole('alert', { name: /STALE/ })).toHaveCount(0);

    await server.close();
    server = null;
    const overlay = page.getByRole('alert', { name: /STALE/ });
    await expect(overlay).toContainText('STALE', { timeout: 15_000 });
    await expect(overlay).toContainText(/Nothing has arrived for 1\d sec/);

    // Same file and port, no demo: the display link stays valid (a demo start would rotate it).
    server = await startServer(testConfig({ dbPath: db.path, port }));
    await expect(connectionBadge(page)).toBeVisible({ timeout: 20_000 });
    await expect(overlay).toHaveCount(0);
  } finally {
    await server?.close();
    db.cleanup();
  }
});
