import { expect, signIn, test, uniqueName, connectionBadge } from '../helpers/e2e.ts';

// The csp fixture fails each test on any violation; these tests make sure every page is visited
// with the policy in force, fully rendered.

test('pages carry the Content Security Policy', async ({ page }) => {
  for (const path of ['/', '/login', '/setup?token=x']) {
    const res = await page.goto(path);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp, path).toContain("style-src 'self'");
    expect(csp, path).toContain("object-src 'none'");
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).not.toContain('unsafe-eval');
  }
});

test('home, sign-in and setup run under the policy', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.goto('/setup?token=nope');
  await expect(page.getByText('Tandem is already set up.')).toBeVisible();
});

test('the admin pages and the wall run under the policy', async ({ page, baseURL, admin }) => {
  await signIn(page.context(), baseURL!);
  await page.goto('/');
  await expect(page.getByRole('link', { name: /Admin/ })).toBeVisible();
  await page.goto('/admin');
  await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit e2e-admin' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  for (const [link, heading] of [
    ['KPI definitions', 'KPI definitions'],
    ['Ingest keys', 'Ingest keys'],
    ['Displays', 'Displays'],
    ['Audit log', 'Audit log'],
    ['Change password', 'Change password'],
  ]) {
    await page.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    if (heading === 'Audit log') await expect(page.getByText('Chain intact.')).toBeVisible();
  }

  // The wall with data: the reason bars and the split bar size themselves from it (through CSSOM,
  // which the policy allows). No one is left waiting: the wall tests count the waits of the day.
  const at = Date.now() - 60_000;
  const c = uniqueName('csp');
  await admin.postEvents([
    { id: `${c}-1`, type: 'contact.started', at, contactId: c, channel: 'chat' },
    { id: `${c}-2`, type: 'bot.started', at: at + 1000, contactId: c },
    { id: `${c}-3`, type: 'bot.ended', at: at + 5000, contactId: c, outcome: 'escalated', reason: 'policy' },
  ]);
  await page.goto('/wall');
  await expect(connectionBadge(page)).toBeVisible();
  const reasons = page.getByRole('list', { name: 'Escalation reasons' });
  await expect(reasons).toContainText(/policy/i);
  const fill = reasons.locator('.fill').first();
  expect(await fill.evaluate((el) => el.style.width)).toMatch(/%$/);
  await page.getByRole('button', { name: /^Account menu/ }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('a display page runs under the policy', async ({ page, admin }) => {
  const { url } = await admin.createDisplay(uniqueName('CSP wall'));
  await page.goto(url);
  await expect(connectionBadge(page)).toBeVisible();
});
