/**
 * The agent board: a card per logged-in agent with the time in state ticking, and a state past its
 * limit highlighted; chosen by the wall's address.
 */
import { connectionBadge, expect, signIn, test, uniqueName } from '../helpers/e2e.ts';

test.beforeEach(async ({ context, baseURL }) => signIn(context, baseURL!));

test('the agent board shows each agent, ticks their time in state, and flags a long wrap-up', async ({
  page,
  admin,
}) => {
  const name = uniqueName('Wrap');
  const away = uniqueName('Away');
  const now = Date.now();
  await admin.postEvents([
    { id: `${name}-1`, type: 'agent.state', at: now - 170_000, agentId: name, name, state: 'wrap_up', remote: true },
    { id: `${away}-1`, type: 'agent.state', at: now - 60_000, agentId: away, name: away, state: 'offline' },
  ]);
  await page.goto('/wall?board=agents');
  await expect(connectionBadge(page)).toBeVisible();
  const board = page.getByRole('region', { name: 'Agent board' });
  const card = board.getByRole('article', { name });
  await expect(card).toContainText('Wrap-up');
  await expect(card).toContainText('remote');
  // Past the 2-minute limit for wrap-up: said in words, not only in red.
  await expect(card).toContainText('over 2:00');
  const first = await card.getByText(/^\d+:\d\d$/).textContent();
  await expect(card.getByText(/^\d+:\d\d$/)).not.toHaveText(first!, { timeout: 3000 });
  // Logged-out agents have no card.
  await expect(board.getByRole('article', { name: away })).toHaveCount(0);
});

test('the agent board speaks Chinese too', async ({ page }) => {
  await page.goto('/wall?board=agents&lang=zh-TW');
  await expect(connectionBadge(page, '即時')).toBeVisible();
  await expect(page.getByRole('region', { name: '客服人員看板' })).toBeVisible();
});
