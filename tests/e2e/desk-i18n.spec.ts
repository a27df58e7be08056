/**
 * The desk pages (sign-in, admin) in Chinese: chosen by the address, or with the language picker, whose
 * choice the address and the browser keep. Located by role and Chinese name, as a Chinese reader sees them.
 */
import { ADMIN, expect, signIn, test, uniqueName } from '../helpers/e2e.ts';

const lang = (page: import('@playwright/test').Page) => page.evaluate(() => document.documentElement.lang);

test('the sign-in page speaks Simplified Chinese when its address says so, errors included', async ({ page }) => {
  await page.goto('/login?lang=zh-CN');
  await expect(page.getByRole('heading', { name: '登录 Tandem' })).toBeVisible();
  await expect(page).toHaveTitle('登录 · Tandem');
  expect(await lang(page)).toBe('zh-CN');

  // A name no account has: one wrong attempt, which throttles no one else's sign-in.
  await page.getByLabel('用户名').fill(uniqueName('nobody'));
  await page.getByLabel('密码').fill('not the password');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误。');
  await expect(page.getByText(/Username|Password|Sign in/)).toHaveCount(0);
});

test('an admin signs in in Traditional Chinese and manages users in it', async ({ page }) => {
  await page.goto('/login?lang=zh-TW');
  await page.getByLabel('帳號').fill(ADMIN.username);
  await page.getByLabel('密碼').fill(ADMIN.password);
  await page.getByRole('button', { name: '登入', exact: true }).click();

  // The language the address asked for stays in it on the next page, so a reload keeps it.
  await expect(page).toHaveURL('/admin?lang=zh-TW');
  await expect(page.getByRole('heading', { level: 1, name: '使用者' })).toBeVisible();
  await expect(page).toHaveTitle('使用者 · Tandem 管理');
  const nav = page.getByRole('navigation', { name: '管理' });
  await expect(nav.getByRole('link', { name: '接入金鑰' })).toBeVisible();
  await expect(nav.getByRole('link', { name: '稽核紀錄' })).toBeVisible();

  const accounts = page.getByRole('table', { name: '帳號' });
  await expect(accounts.getByRole('columnheader', { name: '角色' })).toBeVisible();
  const row = accounts.getByRole('row', { name: new RegExp(ADMIN.username) });
  await expect(row).toContainText('管理員');
  await expect(row).toContainText('有效');

  // A new user: roles by their Chinese names, the server's field errors in Chinese next to the fields.
  const form = page.getByRole('form', { name: '新增使用者' });
  await expect(form.getByRole('checkbox', { name: '主管', exact: true })).toBeChecked();
  await form.getByLabel('帳號').fill(uniqueName('tw'));
  await form.getByLabel('密碼').fill('short');
  await form.getByRole('button', { name: '建立使用者' }).click();
  await expect(form.getByLabel('密碼')).toHaveAccessibleDescription(/至少 10 個字元/);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '使用者' })).toBeVisible();
  expect(await lang(page)).toBe('zh-TW');
});

test('the language picker switches the page at once, and the browser remembers the choice', async ({
  page,
  context,
  baseURL,
}) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in to Tandem' })).toBeVisible();
  await page.getByLabel('Language').selectOption('zh-TW');
  await expect(page.getByRole('heading', { name: '登入 Tandem' })).toBeVisible();
  await expect(page.getByLabel('帳號')).toBeVisible();
  await expect(page).toHaveURL('/login?lang=zh-TW');
  expect(await lang(page)).toBe('zh-TW');

  await page.reload();
  await expect(page.getByRole('heading', { name: '登入 Tandem' })).toBeVisible();
  // Without ?lang the remembered choice applies; with it, the address wins.
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: '登入 Tandem' })).toBeVisible();
  await page.goto('/login?lang=en');
  await expect(page.getByRole('heading', { name: 'Sign in to Tandem' })).toBeVisible();

  // The admin pages have it in their header.
  await signIn(context, baseURL!);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { level: 1, name: '使用者' })).toBeVisible();
  await page.getByLabel('語言').selectOption('zh-CN');
  await expect(page.getByRole('heading', { level: 1, name: '用户' })).toBeVisible();
  await expect(page).toHaveURL('/admin?lang=zh-CN');
  await page.getByRole('navigation', { name: '管理' }).getByRole('link', { name: '接入密钥' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '接入密钥' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '接入密钥' })).toBeVisible();
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Ingest keys' })).toBeVisible();
});
