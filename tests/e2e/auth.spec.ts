import { ADMIN, expect, PASSWORD, signIn, test, uniqueName, connectionBadge } from '../helpers/e2e.ts';

test('an anonymous visitor of the wall is sent to sign in, and comes back after it', async ({ page, admin }) => {
  const { user } = await admin.createUser({ username: uniqueName('sup'), roles: ['supervisor'] });

  await page.goto('/wall');
  await expect(page).toHaveURL('/login?next=%2Fwall');
  await expect(page.getByRole('heading', { name: 'Sign in to Tandem' })).toBeVisible();

  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Username or password is incorrect.');
  // An unknown account gets exactly the same answer.
  await page.getByLabel('Username').fill('nobody-by-this-name');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Username or password is incorrect.');

  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/wall');
  await expect(connectionBadge(page)).toBeVisible();

  // Signing out from the wall's account menu ends the session; the sign-in page leads back to the wall.
  await page.getByRole('button', { name: /^Account menu/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/login?next=%2Fwall');
  await page.goto('/wall');
  await expect(page).toHaveURL('/login?next=%2Fwall');
});

test('without a usable next, people land where their roles are for', async ({ page }) => {
  // A next pointing at another site is ignored.
  await page.goto('/login?next=%2F%2Fevil.example%2F');
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/admin');
  await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
});

test('a next inside the app is followed after sign-in', async ({ page }) => {
  await page.goto('/admin/audit?action=user.');
  await expect(page).toHaveURL('/login?next=%2Fadmin%2Faudit%3Faction%3Duser.');
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL('/admin/audit?action=user.');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
});

test('a signed-in user without the role is told, and offered what they may open', async ({ page, admin, baseURL }) => {
  const { user } = await admin.createUser({ username: uniqueName('sup'), roles: ['supervisor'] });
  await signIn(page.context(), baseURL!, { username: user.username, password: PASSWORD });

  await page.goto('/admin');
  await expect(page).toHaveURL('/?denied=%2Fadmin');
  await expect(page.getByRole('alert')).toContainText(`Your account (${user.username}) does not have access to /admin`);
  const views = page.getByRole('navigation', { name: 'Views' });
  await expect(views.getByRole('link', { name: /Wallboard/ })).toBeVisible();
  await expect(views.getByRole('link', { name: /Admin/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/login');
});

test('repeated failures are throttled and the page says how long to wait', async ({ page, admin }) => {
  const { user } = await admin.createUser({ username: uniqueName('slow'), roles: ['qa'] });
  await page.goto('/login');
  const alert = page.getByRole('alert');
  // Three failures are free; after that each one doubles the wait (1 s, 2 s, …) until the next attempt.
  for (let attempt = 1; attempt <= 6; attempt++) {
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(`wrong ${attempt}`);
    const [res] = await Promise.all([
      page.waitForResponse('**/api/auth/login'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    if (res.status() === 429) break;
    await expect(alert).toHaveText('Username or password is incorrect.');
  }
  await expect(alert).toContainText(/Too many sign-in attempts\. Try again in \d+ s\./);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  await expect(alert).toContainText('You can try again now.', { timeout: 10_000 });
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
});
