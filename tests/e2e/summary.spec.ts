/**
 * An executive's path through the summary: the cards show what /api/kpis gives for the same range, the
 * period lives in the address (back undoes a change), a chart opens the contacts behind it, the data
 * exports, the page prints to a PDF with its charts, and it speaks Chinese.
 */
import { expect, signIn, test, uniqueName } from '../helpers/e2e.ts';
import type { ExecutiveSummary } from '../../server/contract/executive.ts';
import type { Kpis } from '../../server/contract/kpis.ts';

test.beforeEach(async ({ context, baseURL }) => signIn(context, baseURL!));
test.use({ viewport: { width: 1440, height: 900 } });

/** Contacts of the three kinds, `day` days ago (the e2e server counts days in UTC). */
function contacts(tag: string, day: number): object[] {
  const base =
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - day * 86_400_000;
  const out: object[] = [];
  const ev = (id: string, n: number, type: string, extra: object) => ({
    id: `${id}-${n}`,
    type,
    at: base + 9 * 3_600_000 + n * 30_000,
    contactId: id,
    ...extra,
  });
  for (let i = 0; i < 3; i++) {
    const ai = `${tag}-d${day}-ai${i}`;
    out.push(
      ev(ai, 0, 'contact.started', { channel: 'chat', customerId: `${ai}-c` }),
      ev(ai, 1, 'bot.started', { botId: 'faq' }),
      ev(ai, 2, 'bot.ended', { outcome: 'contained' }),
      ev(ai, 3, 'contact.ended', { endedBy: 'bot' }),
      ev(ai, 4, 'survey.completed', { csat: 5, nps: 10 }),
    );
  }
  const hybrid = `${tag}-d${day}-hy`;
  out.push(
    ev(hybrid, 0, 'contact.started', { channel: 'voice', segment: 'vip' }),
    ev(hybrid, 1, 'bot.started', {}),
    ev(hybrid, 2, 'bot.ended', { outcome: 'escalated', reason: 'high_value' }),
    ev(hybrid, 3, 'queue.entered', { queue: 'vip_care' }),
    ev(hybrid, 4, 'queue.left', { queue: 'vip_care', outcome: 'answered', agentId: 'ag-1' }),
    ev(hybrid, 9, 'contact.ended', { endedBy: 'agent' }),
    ev(hybrid, 10, 'wrapup.completed', { agentId: 'ag-1' }),
    ev(hybrid, 11, 'contact.converted', { amount: 1200, currency: 'USD' }),
    ev(hybrid, 12, 'survey.completed', { csat: 3 }),
  );
  const human = `${tag}-d${day}-hu`;
  out.push(
    ev(human, 0, 'contact.started', { channel: 'voice' }),
    ev(human, 1, 'queue.entered', { queue: 'billing' }),
    ev(human, 3, 'queue.left', { queue: 'billing', outcome: 'answered', agentId: 'ag-2' }),
    ev(human, 8, 'contact.ended', { endedBy: 'customer' }),
    ev(human, 9, 'wrapup.completed', { agentId: 'ag-2' }),
    ev(human, 10, 'survey.completed', { csat: 4 }),
  );
  return out;
}

test('shows the KPI API’s figures, keeps the period in the address, drills down, exports and prints', async ({
  page,
  admin,
}, testInfo) => {
  const tag = uniqueName('ex').replace(/[^a-z0-9]/g, '');
  await admin.postEvents([...contacts(tag, 9), ...contacts(tag, 2), ...contacts(tag, 1)]);

  await page.goto('/summary?period=last7');
  await expect(page.getByRole('heading', { name: 'Executive summary', level: 1 })).toBeVisible();
  const cards = page.getByRole('region', { name: 'Key figures' });
  await expect(page.locator('[aria-busy="false"]')).toBeVisible();

  // The same range through the APIs: every card equals /api/kpis.
  const summary = (await (await page.request.get('/api/summary?period=last7')).json()) as ExecutiveSummary;
  const { fromMs, toMs } = summary.current.range;
  const kpis = ((await (await page.request.get(`/api/kpis?from=${fromMs}&to=${toMs}`)).json()) as { kpis: Kpis }).kpis;
  expect(kpis.contacts).toBeGreaterThanOrEqual(10);
  const fmt = new Intl.NumberFormat('en');
  const pct = (x: number | null) =>
    new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x!);
  await expect(cards.getByRole('article', { name: 'Contacts', exact: true })).toContainText(fmt.format(kpis.contacts));
  await expect(cards.getByRole('article', { name: 'CSAT', exact: true })).toContainText(pct(kpis.csat));
  await expect(cards.getByRole('article', { name: 'AI containment', exact: true })).toContainText(
    pct(kpis.containmentRate),
  );
  await expect(cards.getByRole('article', { name: 'Conversion', exact: true })).toContainText(pct(kpis.conversionRate));
  // And the comparison: the seven days before.
  const before = summary.comparison!.range;
  const prior = (
    (await (await page.request.get(`/api/kpis?from=${before.fromMs}&to=${before.toMs}`)).json()) as {
      kpis: Kpis;
    }
  ).kpis;
  await expect(cards.getByRole('article', { name: 'Contacts', exact: true })).toContainText(
    `was ${fmt.format(prior.contacts)}`,
  );

  const shot = await page.screenshot();
  await testInfo.attach('summary-1440x900', { body: shot, contentType: 'image/png' });

  // The period is in the address; back goes to the last one.
  await page.getByRole('combobox', { name: 'Period', exact: true }).selectOption('today');
  await expect(page).toHaveURL(/period=today/);
  await expect(page.getByText(/compared with/)).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/period=last7/);
  await expect(page.getByRole('combobox', { name: 'Period', exact: true })).toHaveValue('last7');

  // Export: a CSV DuckDB wrote, named for the dates.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^tandem-summary-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);

  // Print: no controls, the charts there, and a PDF of it.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('form', { name: 'Choose the period' })).toBeHidden();
  await expect(page.getByRole('group', { name: 'Contacts by handler' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Containment and escalation' })).toBeVisible();
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(30_000);
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBeGreaterThanOrEqual(2);
  await testInfo.attach('summary.pdf', { body: pdf, contentType: 'application/pdf' });
  await page.emulateMedia({ media: 'screen' });

  // A day's bar opens that day's contacts of that handler.
  const day = summary.current.range.lastDay;
  const bars = page.getByRole('group', { name: 'Contacts by handler' });
  await expect(bars.getByRole('link', { name: /AI only$/ }).last()).toHaveAttribute(
    'href',
    `/qa?from=${day}&to=${day}&handler=ai`,
  );

  // An admin prices an agent hour differently: the figures are asked for again and say so.
  await page.getByLabel('Cost per agent hour').fill('45');
  await page.getByRole('button', { name: 'Save costs' }).click();
  await expect(page.getByText('per bot session and $45.00 per agent hour')).toBeVisible();

  // A segment's figure opens that segment's contacts of that handler.
  const segments = page.getByRole('region', { name: 'By customer segment' });
  await expect(segments.getByRole('link', { name: 'Open the contacts behind vip · Bot → person' })).toHaveAttribute(
    'href',
    `/qa?from=${summary.current.range.firstDay}&to=${summary.current.range.lastDay}&handler=hybrid&segment=vip`,
  );

  // A chart opens the contacts behind it: the QA search with the range and the group set.
  const outcomes = page.getByRole('region', { name: 'Outcomes by handler' });
  await outcomes.getByRole('link', { name: 'Open the contacts behind AI only' }).first().click();
  await expect(page).toHaveURL(
    new RegExp(`/qa\\?from=${summary.current.range.firstDay}&to=${summary.current.range.lastDay}&handler=ai`),
  );
  await expect(page.getByRole('heading', { name: 'Search', level: 1 })).toBeVisible();
});

test('a pinned link shows the same dates; the page speaks Chinese', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/summary?period=yesterday&compare=previous');
  await expect(page.locator('[aria-busy="false"]')).toBeVisible();
  const range = await page.locator('.range b').textContent();
  await page.getByRole('button', { name: 'Copy link to these dates' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/period=custom&from=\d+&to=\d+&compare=custom&compareFrom=\d+&compareTo=\d+/);
  await page.goto(link);
  await expect(page.locator('[aria-busy="false"]')).toBeVisible();
  await expect(page.locator('.range b')).toHaveText(range!);

  // The language rides along in the address without upsetting the query.
  await page.goto('/summary?period=last30&lang=zh-CN');
  await expect(page.getByRole('heading', { name: '管理摘要', level: 1 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: '时段', exact: true })).toHaveValue('last30');
  await expect(page.locator('[aria-busy="false"]')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(
    page.getByRole('region', { name: '关键指标' }).getByRole('article', { name: '联系量', exact: true }),
  ).toBeVisible();
});
