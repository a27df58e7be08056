/** An admin composes a board and a playlist, sees them on a wall, duplicates, exports and imports them. */
import { expect, signIn, test, uniqueName } from '../helpers/e2e.ts';

test.beforeEach(async ({ context, baseURL }) => signIn(context, baseURL!));

test('an admin composes a board, fixes what the server refuses, and opens it on a wall', async ({ page }) => {
  const name = uniqueName('Floor');
  await page.goto('/admin/boards');
  await page.getByRole('button', { name: 'New board' }).click();
  const form = page.getByRole('form', { name: 'New board' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Rows').fill('4');
  await form.getByRole('button', { name: '+ Queue tiles' }).click();
  await form.getByRole('button', { name: '+ Clock' }).click();
  await form.getByRole('button', { name: '+ Alerts' }).click();
  // Too wide: the server's reason, with the widget's number, next to the widgets.
  await form.getByRole('spinbutton', { name: 'Columns' }).nth(1).fill('13');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('listitem').filter({ has: page.getByRole('alert') })).toContainText(
    'Widget 2 · Columns: must be at most 12',
  );
  await form.getByRole('spinbutton', { name: 'Columns' }).nth(1).fill('3');
  await form.getByRole('button', { name: 'Move 3 up' }).click();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText(`Saved “${name}”.`);

  const row = page.getByRole('table', { name: 'Boards' }).getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Queue tiles, Alerts, Clock');
  const href = await row.getByRole('link', { name: 'Open' }).getAttribute('href');
  await page.goto(href!);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await expect(page.getByRole('region', { name: 'Clock' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Alerts' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Queues' })).toBeVisible();
});

test('an admin makes a playlist, and export and import bring a board back under a new id', async ({ page }) => {
  const name = uniqueName('Rotation');
  await page.goto('/admin/boards');
  const boards = page.getByRole('table', { name: 'Boards' });
  await boards.getByRole('button', { name: 'Duplicate Agents' }).click();
  await expect(boards.getByRole('row', { name: /Agents \(copy\)/ }).first()).toBeVisible();

  await page.getByRole('button', { name: 'New playlist' }).click();
  const form = page.getByRole('form', { name: 'New playlist' });
  await form.getByLabel('Name').fill(name);
  await form.getByRole('combobox', { name: 'Board' }).first().selectOption({ label: 'Queues' });
  await form.getByRole('spinbutton', { name: 'Seconds' }).first().fill('12');
  await form.getByRole('button', { name: '+ Add a slide' }).click();
  await expect(form.getByText('one round 0:42')).toBeVisible();
  await form.getByRole('button', { name: 'Save' }).click();
  const row = page.getByRole('table', { name: 'Playlists' }).getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Queues 12 s → Overview 30 s');

  // The export is a file another server can import; importing it here makes a second, separate copy.
  const exported = await page.request.get((await row.getByRole('link', { name: 'Export' }).getAttribute('href'))!);
  expect(exported.headers()['content-disposition']).toContain('.tandem.json');
  await page
    .getByLabel('Import file')
    .setInputFiles({ name: 'rotation.tandem.json', mimeType: 'application/json', buffer: await exported.body() });
  await expect(page.getByRole('status')).toHaveText('Imported rotation.tandem.json.');
  await expect(page.getByRole('table', { name: 'Playlists' }).getByRole('row', { name: new RegExp(name) })).toHaveCount(
    2,
  );

  // A file that is not one says so, and nothing changes.
  await page
    .getByLabel('Import file')
    .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await expect(page.getByRole('alert')).toContainText('notes.json is not a Tandem boards file');
});
