import { ESCALATION_REASONS } from '../../server/contract/events.ts';
import { expect, signIn, test, connectionBadge } from '../helpers/e2e.ts';

/** The value shown in the KPI tile with the given label. */
const tile = (page: import('@playwright/test').Page, label: string) =>
  page.getByRole('region', { name: label, exact: true }).getByTestId('value');

// The wall needs a signed-in supervisor or admin; events come from a producer with an ingest key.
test.beforeEach(async ({ context, baseURL }) => signIn(context, baseURL!));

test('the wallboard shows an event within a second of it being posted', async ({ page, admin }) => {
  await page.goto('/wall');
  await expect(connectionBadge(page)).toBeVisible();
  const waitingBefore = Number(await tile(page, 'Waiting').textContent());

  const at = Date.now() - 45_000;
  const res = await admin.postEvents([
    { id: 'e2e-1', type: 'contact.started', at, contactId: 'e2e-c1', channel: 'chat' },
    { id: 'e2e-2', type: 'bot.started', at: at + 1000, contactId: 'e2e-c1' },
    {
      id: 'e2e-3',
      type: 'bot.ended',
      at: at + 20_000,
      contactId: 'e2e-c1',
      outcome: 'escalated',
      reason: 'complex_issue',
    },
    { id: 'e2e-4', type: 'queue.entered', at: at + 21_000, contactId: 'e2e-c1', queue: 'vip_care' },
  ]);
  expect(res.accepted).toBe(4);

  await expect(tile(page, 'Waiting')).toHaveText(String(waitingBefore + 1), { timeout: 1500 });
  const queues = page.getByRole('table', { name: 'Queues' });
  const row = queues.getByRole('row', { name: /vip care/i });
  await expect(row).toBeVisible();
  // The longest wait ticks on the client: ~24 s now, and growing.
  await expect(tile(page, 'Longest wait')).toHaveText(/^0:2\d$/);
  await expect(page.getByText('1 from bot')).toBeVisible();
  await expect(page.getByText('Bot → person').first()).toBeVisible();
});

test('the wallboard fits a 4K screen without scrollbars', async ({ page }) => {
  await page.setViewportSize({ width: 3840, height: 2160 });
  await page.goto('/wall');
  await expect(connectionBadge(page)).toBeVisible();
  const overflow = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth > window.innerWidth,
    y: document.documentElement.scrollHeight > window.innerHeight,
  }));
  expect(overflow).toEqual({ x: false, y: false });
  // Text must be large enough to read from across the room: KPI values at least 100 px tall on 4K.
  const size = await tile(page, 'Service level').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(100);
});

test('every panel of the wall fits its box at 1920x1080', async ({ page, admin }) => {
  // A busy board: six queues, every escalation reason, agents in every state.
  const at = Date.now() - 120_000;
  const reasons = ESCALATION_REASONS;
  const queues = ['billing', 'returns', 'sales', 'tech_support', 'vip_care', 'loyalty'];
  const events = reasons.flatMap((reason, i) => [
    { id: `fit-b${i}`, type: 'bot.ended', at, contactId: `fit-c${i}`, outcome: 'escalated', reason },
    { id: `fit-q${i}`, type: 'queue.entered', at: at + 1000, contactId: `fit-c${i}`, queue: queues[i % queues.length] },
  ]);
  const states = ['available', 'on_contact', 'wrap_up', 'break', 'offline'];
  states.forEach((state, i) =>
    events.push({ id: `fit-a${i}`, type: 'agent.state', at, agentId: `fit-a${i}`, state, queues } as never),
  );
  await admin.postEvents(events);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/wall');
  await expect(page.getByRole('table', { name: 'Queues' }).getByRole('row', { name: /loyalty/i })).toBeVisible();
  await expect(connectionBadge(page)).toBeVisible();
  // Content cut off at the bottom of a panel is a bug on a wall: nobody can scroll a TV.
  const clipped = await page.evaluate(() =>
    [...document.querySelectorAll('section')]
      .filter((s) => s.scrollHeight > s.clientHeight + 1)
      .map((s) => s.getAttribute('aria-labelledby') ?? s.className),
  );
  expect(clipped).toEqual([]);
});
