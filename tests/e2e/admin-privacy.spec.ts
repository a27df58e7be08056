/** An admin chooses what is redacted from transcripts; the choice survives a reload and is restored after. */
import { expect, signIn, test } from '../helpers/e2e.ts';

test.beforeEach(async ({ context, baseURL }) => signIn(context, baseURL!));

test('an admin stops redacting card numbers, is warned, and the choice holds after a reload', async ({ page }) => {
  await page.goto('/admin/privacy');
  const form = page.getByRole('form', { name: 'Redaction at ingest' });
  const cards = form.getByRole('checkbox', { name: /Payment card numbers/ });
  await expect(cards).toBeChecked();
  await expect(form.getByText(/the default: no admin has changed it/)).toBeVisible();
  await cards.uncheck();
  await expect(form.getByText(/Kinds left unticked are stored as written/)).toBeVisible();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved. Segments arriving from now on are redacted this way.');
  await page.reload();
  await expect(page.getByRole('checkbox', { name: /Payment card numbers/ })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Email addresses/ })).toBeChecked();
  await expect(page.getByText(/Changed .* by e2e-admin/)).toBeVisible();
  // Back to everything: the shared server's other tests expect the default.
  await page.getByRole('checkbox', { name: /Payment card numbers/ }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved. Segments arriving from now on are redacted this way.');
});
