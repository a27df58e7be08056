import { expect, test, uniqueName, connectionBadge } from '../helpers/e2e.ts';

/** The value shown in the KPI tile with the given label. */
const tile = (page: import('@playwright/test').Page, label: string) =>
  page.getByRole('region', { name: label, exact: true }).getByTestId('value');

test('a display link shows the live wall without signing in, until it is revoked', async ({
  page,
  adminPage,
  admin,
}) => {
  // The admin makes the link in the admin pages; `page` is another browser that never signed in.
  const name = uniqueName('Lobby TV');
  await adminPage.goto('/admin/displays');
  const form = adminPage.getByRole('form', { name: 'New display link' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('button', { name: 'Create display link' }).click();
  const url = await adminPage.getByRole('textbox', { name: `Display link for ${name}` }).inputValue();

  await page.goto(url);
  await expect(page.getByRole('heading', { name: `Tandem ${name}` })).toBeVisible();
  await expect(connectionBadge(page)).toBeVisible();
  // Nothing to click on a wall screen: no sign-in form, no account menu.
  await expect(page.getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('textbox')).toHaveCount(0);

  const waitingBefore = Number(await tile(page, 'Waiting').textContent());
  const at = Date.now() - 30_000;
  const contact = uniqueName('c');
  await admin.postEvents([
    { id: `${contact}-1`, type: 'contact.started', at, contactId: contact, channel: 'voice' },
    { id: `${contact}-2`, type: 'queue.entered', at: at + 1000, contactId: contact, queue: 'sales' },
  ]);
  await expect(tile(page, 'Waiting')).toHaveText(String(waitingBefore + 1), { timeout: 2000 });
  await expect(page.getByRole('table', { name: 'Queues' }).getByRole('row', { name: /sales/i })).toBeVisible();
  // The contact gives up, so no wait of this test's lingers on the wall tests' board (one server for all).
  await admin.postEvents([
    {
      id: `${contact}-3`,
      type: 'queue.left',
      at: Date.now(),
      contactId: contact,
      queue: 'sales',
      outcome: 'abandoned',
    },
  ]);
  await expect(tile(page, 'Waiting')).toHaveText(String(waitingBefore), { timeout: 2000 });

  // Revoked in the admin pages: the open screen switches to the revoked message by itself.
  const row = adminPage.getByRole('table', { name: 'Display links' }).getByRole('row', { name: new RegExp(name) });
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await row.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(page.getByRole('heading', { name: 'This display link has been revoked' })).toBeVisible({
    timeout: 5000,
  });
  await expect(page.getByRole('region', { name: 'Waiting' })).toHaveCount(0);
  await expect(page.getByLabel('Password')).toHaveCount(0);

  // Reloading the revoked link still says "revoked", and never offers a sign-in form.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'This display link has been revoked' })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
  expect(new URL(page.url()).pathname).toMatch(/^\/d\//);
});

test('a made-up display link says it is not valid', async ({ page }) => {
  await page.goto('/d/not-a-real-token');
  await expect(page.getByRole('heading', { name: 'This display link is not valid' })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveCount(0);
});

test('a display screen shows the display view even in a browser where an admin is signed in', async ({
  adminPage,
  admin,
}) => {
  const { url, display } = await admin.createDisplay(uniqueName('Shared PC'));
  await adminPage.goto(url);
  await expect(adminPage.getByRole('heading', { name: `Tandem ${display.name}` })).toBeVisible();
  await expect(connectionBadge(adminPage)).toBeVisible();
  await admin.revokeDisplay(display.id);
  await expect(adminPage.getByRole('heading', { name: 'This display link has been revoked' })).toBeVisible({
    timeout: 5000,
  });
});
