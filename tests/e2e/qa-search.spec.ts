/**
 * A reviewer's path through the QA workspace: search words among filtered contacts, the filters in the
 * address (back undoes one), the CSV of the same list, then the contact: its lanes, the handoff and the
 * sentiment line.
 */
import { expect, signIn, test, uniqueName } from '../helpers/e2e.ts';

test.beforeEach(async ({ context, baseURL }) => signIn(context, baseURL!));

function contactEvents(id: string, start: number, opts: { channel: string; escalate: boolean; angry: boolean }) {
  let n = 0;
  const at = () => start + n * 20_000;
  const e = (type: string, extra: object) => ({ id: `${id}-${n}`, type, at: at(), contactId: id, ...extra, _: n++ });
  const strip = ({ _, ...rest }: { _: number }) => rest;
  const list = [
    e('contact.started', { channel: opts.channel, customerId: `cust-${id}` }),
    e('bot.started', { botId: 'helper-bot' }),
    e('transcript.segment', { speaker: 'customer', text: 'I was charged twice for my subscription' }),
    e('transcript.segment', { speaker: 'bot', text: 'I can help with billing. Could you confirm your account?' }),
    ...(opts.escalate
      ? [
          e('bot.ended', { outcome: 'escalated', reason: 'complex_issue', intent: 'billing_dispute' }),
          e('queue.entered', { queue: 'billing' }),
          e('queue.left', { queue: 'billing', outcome: 'answered', agentId: 'agent-7' }),
          e('transcript.segment', {
            speaker: 'agent',
            agentId: 'agent-7',
            text: 'I have refunded the duplicate charge.',
          }),
          e('transcript.segment', {
            speaker: 'customer',
            text: opts.angry ? 'This is unacceptable, I am furious' : 'Thank you so much, that was really helpful',
          }),
          e('contact.ended', { endedBy: 'customer' }),
          e('wrapup.completed', { agentId: 'agent-7', disposition: 'refund' }),
        ]
      : [e('bot.ended', { outcome: 'contained', intent: 'billing_dispute' }), e('contact.ended', { endedBy: 'bot' })]),
  ];
  return list.map(strip);
}

test('search, filter, share and go back, export, read the contact and evaluate it', async ({ page, admin }) => {
  const tag = uniqueName('qa').replace(/[^a-z0-9]/g, '');
  const start = Date.now() - 30 * 60_000;
  const ids = { angryChat: `${tag}-1`, happyChat: `${tag}-2`, angryVoice: `${tag}-3`, botOnly: `${tag}-4` };
  await admin.postEvents([
    ...contactEvents(ids.angryChat, start, { channel: 'chat', escalate: true, angry: true }),
    ...contactEvents(ids.happyChat, start + 60_000, { channel: 'chat', escalate: true, angry: false }),
    ...contactEvents(ids.angryVoice, start + 120_000, { channel: 'voice', escalate: true, angry: true }),
    ...contactEvents(ids.botOnly, start + 180_000, { channel: 'chat', escalate: false, angry: false }),
  ]);

  await page.goto('/qa');
  await expect(page.getByRole('heading', { name: 'Search', level: 1 })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search transcripts' }).fill('furious');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\?q=furious$/);
  const results = page.getByRole('region', { name: 'Contacts found' });
  await expect(results.getByRole('status')).toHaveText('2 matching segments');
  await expect(results.getByRole('link', { name: `Open ${ids.angryChat}` })).toBeVisible();
  await expect(results.locator('mark').first()).toHaveText('furious');

  // A filter narrows the words' result and goes into the address.
  await page.getByText('Filters', { exact: true }).click();
  await page.getByRole('group', { name: 'Channel' }).getByRole('checkbox', { name: 'voice' }).check();
  await expect(page).toHaveURL(/\?q=furious&channel=voice$/);
  await expect(results.getByRole('status')).toHaveText('1 matching segment');
  await expect(results.getByRole('link', { name: `Open ${ids.angryVoice}` })).toBeVisible();

  // The address is the search: a fresh page on it shows the same, and back undoes the filter.
  const shared = page.url();
  await page.goBack();
  await expect(page).toHaveURL(/\?q=furious$/);
  await expect(results.getByRole('status')).toHaveText('2 matching segments');
  // With no filter set the panel is folded again.
  await page.getByText('Filters', { exact: true }).click();
  await expect(page.getByRole('group', { name: 'Channel' }).getByRole('checkbox', { name: 'voice' })).not.toBeChecked();
  await page.goto(shared);
  await expect(results.getByRole('status')).toHaveText('1 matching segment');
  await expect(page.getByRole('group', { name: 'Channel' }).getByRole('checkbox', { name: 'voice' })).toBeChecked();

  // The CSV holds the same rows.
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  const csv = await (await page.request.get(href!)).text();
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]!.startsWith(`${ids.angryVoice},`)).toBe(true);

  // Flags: the negative ending is flagged on the contact.
  await results.getByRole('link', { name: `Open ${ids.angryVoice}` }).click();
  await expect(page.getByRole('heading', { name: `Contact ${ids.angryVoice}` })).toBeVisible();
  const lanes = page.getByRole('list', { name: 'Conversation in speaker lanes' });
  await expect(lanes.getByRole('listitem')).toHaveCount(5); // four turns and the handoff
  const handoff = lanes.getByRole('listitem', { name: 'Handed off to a person' });
  await expect(handoff).toContainText('reason: Complex issue');
  await expect(handoff).toContainText('intent: billing_dispute');
  await expect(page.getByRole('img', { name: 'Sentiment over the conversation' }).locator('circle')).toHaveCount(4);
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText('Negative at the end');

  // Evaluate it: the bot part and the agent part of one contact, on one scorecard.
  const cardName = uniqueName('Billing QA');
  const created = await admin.request.post('/api/qa/scorecards', {
    data: {
      name: cardName,
      sections: [
        {
          title: 'Bot',
          questions: [{ id: 'intent', text: 'Bot understood the intent', kind: 'yesno', part: 'bot' }],
        },
        {
          title: 'Agent',
          questions: [{ id: 'tone', text: 'Agent kept a calm tone', kind: 'scale', scaleMax: 5, part: 'agent' }],
        },
      ],
    },
  });
  expect(created.status()).toBe(201);
  const evaluations = page.getByRole('region', { name: 'QA evaluations' });
  await expect(evaluations).toContainText('Not evaluated yet.');
  await page.reload();
  const form = page.getByRole('form', { name: `Evaluate contact ${ids.angryVoice}` });
  await form.getByRole('combobox', { name: 'Scorecard' }).selectOption({ label: cardName });
  await form
    .getByRole('group', { name: /Bot understood/ })
    .getByRole('radio', { name: 'No' })
    .check();
  await form
    .getByRole('group', { name: /calm tone/ })
    .getByRole('radio', { name: '5 of 5' })
    .check();
  await form.getByRole('button', { name: 'Save evaluation' }).click();
  await expect(form.getByRole('status')).toHaveText('Evaluation saved. Overall score 50.');
  const row = evaluations.getByRole('row', { name: new RegExp(cardName) });
  await expect(row.getByRole('cell')).toHaveText(['e2e-admin', `${cardName} v1`, /./, '50.0', '0.0', '100.0', '—']);

  // The score is in the list now: the evaluated filter finds it, with its QA score.
  await page.getByRole('link', { name: 'Back to results' }).click();
  await expect(page).toHaveURL(/\/qa\?q=furious&channel=voice$/);
  await page.goto('/qa?evaluated=yes&qaMax=60&q=furious');
  await expect(results.getByRole('link', { name: `Open ${ids.angryVoice}` })).toBeVisible();
  await expect(results.getByRole('status')).toHaveText('1 matching segment');
});

test('Chinese words find Chinese segments, in a Chinese page', async ({ page, admin }) => {
  const id = `${uniqueName('zh').replace(/[^a-z0-9]/g, '')}-1`;
  const start = Date.now() - 10 * 60_000;
  await admin.postEvents([
    { id: `${id}-a`, type: 'contact.started', at: start, contactId: id, channel: 'app' },
    {
      id: `${id}-b`,
      type: 'transcript.segment',
      at: start + 1000,
      contactId: id,
      speaker: 'customer',
      text: '我的包裹还没有到，我要投诉',
    },
  ]);
  await page.goto('/qa?lang=zh-CN&q=投诉');
  const results = page.getByRole('region', { name: '找到的联络' });
  await expect(results.getByRole('link', { name: `打开 ${id}` })).toBeVisible();
  await expect(results.locator('mark').first()).toHaveText('投诉');
  await expect(page.getByRole('navigation', { name: '质检栏目' }).getByRole('link', { name: '搜索' })).toHaveAttribute(
    'aria-current',
    'page',
  );
});
