import { expect, PASSWORD, signIn, test, uniqueName } from '../helpers/e2e.ts';

test.beforeEach(async ({ context, baseURL }) => signIn(context, baseURL!));

test('an admin creates a user, with field errors next to the fields, then edits and disables it', async ({ page }) => {
  const username = uniqueName('ana');
  await page.goto('/admin');
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Display name').fill('Ana Silva');
  await form.getByLabel('Password').fill('short');
  await form.getByRole('checkbox', { name: 'supervisor' }).check();
  await form.getByLabel('Queues').fill('sales, billing');
  await form.getByRole('button', { name: 'Create user' }).click();
  // The server's message for the password, shown under that field and tied to it for screen readers.
  await expect(form.getByLabel('Password')).toHaveAccessibleDescription(/must be at least 10 characters/);

  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status')).toHaveText(`Created ${username}.`);
  const row = page.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: new RegExp(username) });
  await expect(row).toContainText('Ana Silva');
  await expect(row).toContainText('supervisor');
  await expect(row).toContainText('billing, sales');
  await expect(row).toContainText('Active');

  await row.getByRole('button', { name: `Edit ${username}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${username}` });
  await dialog.getByRole('checkbox', { name: 'qa' }).check();
  await dialog.getByLabel('Teams').fill('north');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status')).toHaveText(`Saved ${username}.`);
  await dialog.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByRole('status')).toHaveText(`Disabled ${username} and ended their sessions.`);
  await expect(dialog.getByRole('button', { name: 'Enable account' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('supervisor, qa');
  await expect(row).toContainText('north');
  await expect(row).toContainText('Disabled');
});

test('the last admin cannot be disabled, and the page says why', async ({ page }) => {
  await page.goto('/admin');
  const row = page.getByRole('table', { name: 'Accounts' }).getByRole('row', { name: /e2e-admin/ });
  await row.getByRole('button', { name: 'Edit e2e-admin' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit e2e-admin' });
  await dialog.getByRole('button', { name: 'Disable account' }).click();
  await expect(dialog.getByRole('alert')).toContainText('last active admin');
});

test('a new ingest key is shown once, then only its prefix; revoking asks first', async ({ page }) => {
  const name = uniqueName('Genesys');
  await page.goto('/admin/keys');
  const form = page.getByRole('form', { name: 'New key' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Create key' }).click();

  const secret = page.getByRole('textbox', { name: `Ingest key for ${name}` });
  await expect(secret).toHaveValue(/^\S{20,}$/);
  const value = await secret.inputValue();
  await expect(page.getByText('This is the only time the key is shown')).toBeVisible();
  await page.getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByText(/Copied to the clipboard|press Ctrl\+C/)).toBeVisible();

  // The key works for a producer.
  const res = await page.request.post('/api/events', {
    data: [{ id: uniqueName('ev'), type: 'contact.started', at: Date.now(), contactId: 'k1', channel: 'chat' }],
    headers: { authorization: `Bearer ${value}` },
  });
  expect(res.status()).toBe(202);

  await page.getByRole('button', { name: 'Done' }).click();
  await expect(secret).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(value)).toHaveCount(0);
  const row = page.getByRole('table', { name: 'Keys' }).getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText(value.slice(0, 8));
  await expect(row).toContainText('Active');

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await row.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(row).toContainText('Revoked');
  const refused = await page.request.post('/api/events', {
    data: [{ id: uniqueName('ev'), type: 'contact.started', at: Date.now(), contactId: 'k2', channel: 'chat' }],
    headers: { authorization: `Bearer ${value}` },
  });
  expect(refused.status()).toBe(401);
});

test('a new display link is shown once and listed', async ({ page }) => {
  const name = uniqueName('Floor 2 TV');
  await page.goto('/admin/displays');
  const form = page.getByRole('form', { name: 'New display link' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Queues').fill('sales');
  await form.getByRole('button', { name: 'Create display link' }).click();
  const link = page.getByRole('textbox', { name: `Display link for ${name}` });
  await expect(link).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/d\/\S+$/);
  const row = page.getByRole('table', { name: 'Display links' }).getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Overview');
  await expect(row).toContainText('sales');
  await expect(row).toContainText('never');
});

test('the audit log lists what happened, filters, pages back, and verifies its chain', async ({ page, admin }) => {
  // More entries of one kind than a page holds (50): ingest keys are cheap to make.
  const marker = uniqueName('audit');
  for (let i = 0; i < 52; i++) {
    const res = await admin.request.post('/api/admin/keys', { data: { name: `${marker} ${i}` } });
    expect(res.status()).toBe(201);
  }
  await page.goto('/admin/audit');
  await expect(page.getByRole('status').filter({ hasText: 'Chain intact' })).toContainText(/All \d+ entries verified/);
  const table = page.getByRole('table', { name: 'Audit log entries' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();

  await page.getByLabel('Action starts with').fill('key.cr');
  await page.getByLabel('Actor').fill('e2e-admin');
  await page.getByRole('button', { name: 'Filter' }).click();
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toContainText(`"name":"${marker} 51"`);
  await expect(rows).toHaveCount(50);
  const actions = await table.locator('tbody td:nth-child(4)').allTextContents();
  expect(new Set(actions)).toEqual(new Set(['key.create']));

  await page.getByRole('button', { name: 'Older' }).click();
  await expect(rows.nth(50)).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(52);
  // Newest first, without gaps or repeats across the page boundary.
  const seqs = (await table.locator('tbody td:nth-child(1)').allTextContents()).map(Number);
  expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  expect(new Set(seqs).size).toBe(seqs.length);
});
