import type { KpiSettingsView } from '../../server/contract/kpi-settings.ts';
import { expect, signIn, test, uniqueName, type AdminClient } from '../helpers/e2e.ts';

test.beforeEach(async ({ context, baseURL }) => signIn(context, baseURL!));

async function kpiSettings(admin: AdminClient): Promise<KpiSettingsView> {
  const res = await admin.request.get('/api/settings/kpis');
  expect(res.status()).toBe(200);
  return (await res.json()) as KpiSettingsView;
}

test('an admin changes the service-level definition and business hours, and they are kept', async ({ page, admin }) => {
  // Every spec shares one server: put its defaults back afterwards.
  const original = await kpiSettings(admin);
  try {
    await page.goto('/admin/kpis');
    await expect(page.getByRole('heading', { level: 1, name: 'KPI definitions' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Defaults' });
    await form.getByLabel('Service-level threshold').fill('25');
    const variant = form.getByLabel('Service-level variant');
    await variant.selectOption('answeredOnly');
    // The formula of the chosen variant is printed with it.
    await expect(variant).toHaveAccessibleDescription(/answered within threshold \/ answered: abandons ignored/);
    await form.getByRole('radio', { name: 'Open on these hours' }).check();
    await form.getByLabel('Monday, span 1, opens').fill('09:00');
    await form.getByLabel('Monday, span 1, closes').fill('17:00');
    await form.getByRole('button', { name: 'Add opening hours on Saturday' }).click();
    await form.getByLabel('Saturday, span 1, opens').fill('10');
    await form.getByLabel('Saturday, span 1, closes').fill('1400');
    await form.getByLabel('Service level target').fill('85');
    await form.getByRole('button', { name: 'Save defaults' }).click();
    await expect(page.getByRole('status')).toHaveText(/Saved the defaults/);

    // Rates go to the API as fractions, times as HH:MM.
    const saved = (await kpiSettings(admin)).defaults;
    expect(saved.slThresholdSeconds).toBe(25);
    expect(saved.slVariant).toBe('answeredOnly');
    expect(saved.businessHours?.mon).toEqual([['09:00', '17:00']]);
    expect(saved.businessHours?.sat).toEqual([['10:00', '14:00']]);
    expect(saved.targets.serviceLevel).toEqual({ target: 0.85, warn: 0.7, alert: 0.6 });

    await page.reload();
    await expect(form.getByLabel('Service-level threshold')).toHaveValue('25');
    await expect(form.getByLabel('Service-level variant')).toHaveValue('answeredOnly');
    await expect(form.getByRole('radio', { name: 'Open on these hours' })).toBeChecked();
    await expect(form.getByLabel('Monday, span 1, opens')).toHaveValue('09:00');
    await expect(form.getByLabel('Monday, span 1, closes')).toHaveValue('17:00');
    await expect(form.getByLabel('Sunday, span 1, opens')).toHaveCount(0);
    await expect(form.getByLabel('Service level target')).toHaveValue('85');

    // Closing before opening: the server's message, next to that span.
    await form.getByLabel('Monday, span 1, closes').fill('08:00');
    await form.getByRole('button', { name: 'Save defaults' }).click();
    await expect(form.getByLabel('Monday, span 1, opens')).toHaveAccessibleDescription(/must close after it opens/);
    await expect(form.getByLabel('Monday, span 1, opens')).toBeFocused();
    await expect(form.getByRole('alert')).toHaveText('Please correct the marked fields.');
    // A target in the wrong order: the message on its row.
    await form.getByLabel('Monday, span 1, closes').fill('17:00');
    await form.getByLabel('Average speed of answer warn at').fill('10');
    await form.getByRole('button', { name: 'Save defaults' }).click();
    await expect(form.getByLabel('Average speed of answer target')).toHaveAccessibleDescription(/lower is better here/);
    expect((await kpiSettings(admin)).defaults.targets.asaSeconds?.warn).toBe(60);

    // Back around the clock: no hours are sent at all.
    await form.getByRole('button', { name: 'Discard changes' }).click();
    await form.getByRole('radio', { name: 'Open around the clock' }).check();
    await form.getByRole('button', { name: 'Save defaults' }).click();
    await expect(page.getByRole('status')).toHaveText(/Saved the defaults/);
    expect((await kpiSettings(admin)).defaults.businessHours).toBeUndefined();
  } finally {
    const { targets, ...settings } = original.defaults;
    const res = await admin.request.put('/api/settings/kpis', { data: { settings, targets } });
    expect(res.status()).toBe(200);
  }
});

test('an admin gives a queue its own settings, edits them, and sends it back to the defaults', async ({
  page,
  admin,
}) => {
  const queue = uniqueName('kpi-queue');
  await page.goto('/admin/kpis');
  const section = page.getByRole('region', { name: 'Queue overrides' });
  const form = section.getByRole('form');
  await expect(form).toHaveAccessibleName('New queue override');
  // Empty fields follow the defaults, which they show.
  await expect(form.getByLabel('Service-level threshold')).toHaveAttribute('placeholder', /20 \(default\)/);
  await form.getByLabel('Queue', { exact: true }).fill(queue);
  await form.getByLabel('Service-level threshold').fill('40');
  await form.getByLabel('Service-level variant').selectOption('anyExitWithin');
  await form.getByLabel('Average speed of answer target').fill('20');
  await form.getByLabel('Average speed of answer warn at').fill('40');
  await form.getByLabel('Average speed of answer alert at').fill('90');
  await form.getByRole('button', { name: 'Add override' }).click();
  await expect(page.getByRole('status')).toHaveText(`Saved the settings of ${queue}.`);

  const row = section.getByRole('table', { name: 'Queues with their own settings' }).getByRole('row', {
    name: new RegExp(queue),
  });
  await expect(row).toContainText('threshold 40 s');
  await expect(row).toContainText('variant anyExitWithin');
  await expect(row).toContainText('targets: Average speed of answer');
  expect((await kpiSettings(admin)).queues[queue]).toEqual({
    settings: { slThresholdSeconds: 40, slVariant: 'anyExitWithin' },
    targets: { asaSeconds: { target: 20, warn: 40, alert: 90 } },
  });

  // Editing starts from what is stored; the queue's own hours replace the defaults' for it.
  await page.reload();
  await row.getByRole('button', { name: `Edit ${queue}` }).click();
  await expect(form).toHaveAccessibleName(`Settings of ${queue}`);
  await expect(form.getByLabel('Service-level threshold')).toHaveValue('40');
  await form.getByLabel('Service-level threshold').fill('');
  await form.getByRole('radio', { name: 'Open on these hours' }).check();
  await form.getByLabel('Tuesday, span 1, opens').fill('08:00');
  await form.getByRole('button', { name: `Save ${queue}` }).click();
  await expect(page.getByRole('status')).toHaveText(`Saved the settings of ${queue}.`);
  await expect(row).not.toContainText('threshold 40 s');
  await expect(row).toContainText('hours: Mon 09:00–17:00; Tue 08:00–17:00; Wed–Fri 09:00–17:00');

  await row.getByRole('button', { name: `Use defaults for ${queue}` }).click();
  await row.getByRole('button', { name: 'Yes, use defaults' }).click();
  await expect(page.getByRole('status')).toHaveText(`${queue} uses the defaults again.`);
  await expect(row).toHaveCount(0);
  await expect(form).toHaveAccessibleName('New queue override');
  expect((await kpiSettings(admin)).queues[queue]).toBeUndefined();
});
