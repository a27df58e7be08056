/**
 * QA scorecards in the browser: an admin builds one (the server's refusal lands on the row it is about),
 * and a QA reviewer scores a contact in a calibration session with the evaluation form, watching the
 * score move as they answer, then sees the spread.
 */
import { expect, PASSWORD, signIn, test, uniqueName } from '../helpers/e2e.ts';

test('an admin builds a weighted scorecard, fixing what the server refuses on its row', async ({
  context,
  baseURL,
  page,
}) => {
  await signIn(context, baseURL!);
  const name = uniqueName('Billing QA');
  await page.goto('/admin/scorecards');
  await page.getByRole('button', { name: 'New scorecard' }).click();
  const form = page.getByRole('form', { name: 'New scorecard' });
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByRole('textbox', { name: 'Title' }).first().fill('Bot and hand-off');
  await form.getByRole('textbox', { name: 'Question' }).first().fill('The bot understood the intent');
  await form.getByRole('combobox', { name: 'Judges' }).first().selectOption({ label: 'Bot' });
  await form.getByRole('button', { name: '+ Add question' }).first().click();
  await form.getByRole('textbox', { name: 'Question' }).nth(1).fill('Context reached the agent');
  await form.getByRole('combobox', { name: 'Judges' }).nth(1).selectOption({ label: 'Hand-off' });
  await form.getByRole('combobox', { name: 'Kind' }).nth(1).selectOption({ label: 'Scale' });
  await form.getByRole('button', { name: '+ Add section' }).click();
  await form.getByRole('textbox', { name: 'Title' }).nth(1).fill('Agent');
  await form.getByRole('textbox', { name: 'Question' }).nth(2).fill('Verified the customer');
  await form.getByRole('checkbox', { name: 'Critical' }).nth(2).check();
  await form.getByRole('checkbox', { name: 'N/A allowed' }).nth(2).check();
  // A weight of 0 is refused, and the reason shows on question 2.1, not somewhere at the bottom.
  await form.getByRole('spinbutton', { name: 'Weight' }).nth(4).fill('0');
  await form.getByRole('button', { name: 'Save scorecard' }).click();
  await expect(form.getByRole('listitem').filter({ has: page.getByRole('alert') })).toContainText(
    'Question 2.1 · Weight: must be more than 0',
  );
  await form.getByRole('spinbutton', { name: 'Weight' }).nth(4).fill('2');
  await form.getByRole('button', { name: 'Save scorecard' }).click();
  await expect(page.getByRole('status')).toHaveText(`Saved “${name}”, version 1.`);
  const row = page.getByRole('table', { name: 'Scorecards' }).getByRole('row', { name: new RegExp(name) });
  await expect(row.getByRole('cell').first()).toHaveText('3');

  const stored = await page.request.get('/api/qa/scorecards');
  const card = ((await stored.json()) as { scorecards: { name: string; sections: unknown }[] }).scorecards.find(
    (c) => c.name === name,
  );
  expect(card?.sections).toEqual([
    {
      title: 'Bot and hand-off',
      weight: 1,
      questions: [
        expect.objectContaining({ id: 'q1', kind: 'yesno', part: 'bot', critical: false }),
        expect.objectContaining({ id: 'q2', kind: 'scale', scaleMax: 5, part: 'handoff' }),
      ],
    },
    {
      title: 'Agent',
      weight: 1,
      questions: [expect.objectContaining({ id: 'q3', part: 'agent', weight: 2, critical: true, allowNa: true })],
    },
  ]);
});

test('a QA reviewer scores a contact in a calibration session and sees the score and the spread', async ({
  admin,
  browser,
  baseURL,
  csp,
}) => {
  const contactId = uniqueName('chat');
  const now = Date.now() - 10 * 60_000;
  await admin.postEvents([
    { id: `${contactId}-1`, type: 'contact.started', at: now, contactId, channel: 'chat' },
    { id: `${contactId}-2`, type: 'bot.started', at: now + 1000, contactId, botId: 'faq-bot' },
  ]);
  const reviewer = uniqueName('qa');
  const other = uniqueName('qa');
  await admin.createUser({ username: reviewer, roles: ['qa'] });
  await admin.createUser({ username: other, roles: ['qa'] });
  const created = await admin.request.post('/api/qa/scorecards', {
    data: {
      name: uniqueName('Chat QA'),
      sections: [
        {
          title: 'Conversation',
          questions: [
            { id: 'intent', text: 'Bot understood the intent', kind: 'yesno', part: 'bot' },
            { id: 'verify', text: 'Agent verified the customer', kind: 'yesno', part: 'agent', critical: true },
          ],
        },
        {
          title: 'Hand-off',
          questions: [{ id: 'context', text: 'Context carried over', kind: 'scale', scaleMax: 5, part: 'handoff' }],
        },
      ],
    },
  });
  expect(created.status()).toBe(201);
  const { scorecard } = (await created.json()) as { scorecard: { id: string } };
  const session = await admin.request.post('/api/qa/calibrations', {
    data: { contactId, scorecardId: scorecard.id, reviewers: [reviewer, other] },
  });
  expect(session.status(), await session.text()).toBe(201);

  const context = await browser.newContext({ baseURL });
  await csp.watch(context);
  await signIn(context, baseURL!, { username: reviewer, password: PASSWORD });
  const page = await context.newPage();
  await page.goto('/qa/calibration');
  await page.getByRole('button', { name: `Contact ${contactId}` }).click();
  await expect(page.getByText('Score it on your own')).toBeVisible();

  const form = page.getByRole('form', { name: `Evaluate contact ${contactId}` });
  const group = (text: string) => form.getByRole('group', { name: new RegExp(text) });
  await group('Bot understood').getByRole('radio', { name: 'Yes' }).check();
  await group('Agent verified').getByRole('radio', { name: 'No' }).check();
  // The critical question fails the evaluation at once, in the preview.
  await expect(form.getByRole('alert')).toContainText('Critical question failed: “Agent verified the customer”');
  await group('Agent verified').getByRole('radio', { name: 'Yes' }).check();
  await expect(form.getByRole('alert')).toHaveCount(0);
  await group('Context carried').getByRole('radio', { name: '4 of 5' }).check();
  // Conversation 100, hand-off (4 - 1) / 4 = 75: overall 87.5; bot 100, agent 100, hand-off 75.
  const preview = form.locator('.preview');
  await expect(preview).toContainText('3 of 3 answered');
  await expect(preview.getByRole('definition')).toHaveText(['87.5', '100', '100', '75']);
  await form.getByRole('button', { name: 'Save evaluation' }).click();
  // Saved: the page turns to the spread at once (the form's own "saved" line may be gone by then).
  // Submitted: the spread opens to this reviewer, the other still to come.
  await expect(page.getByRole('heading', { name: 'Spread across 1 reviewers' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Context carried over/ })).toContainText('4–4');
  await expect(page.getByRole('button', { name: `Contact ${contactId}` }).locator('..')).toContainText(
    '1 of 2 submitted',
  );
  await context.close();
});
