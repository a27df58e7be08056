/**
 * Takes the README's screenshots: starts Tandem with demo traffic on a temporary database, opens the
 * wall and the agent board (signed in, in English and Chinese), the sign-in page, the admin users and KPI definitions pages and a display link in
 * Debian's Chromium, and writes PNGs to docs/screenshots/.
 * Run: npx tsx scripts/screenshots.ts [name …]  (after npm run build; names, e.g. login-zh-CN, take only those)
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tempDbPath, testConfig } from '../tests/helpers/server.ts';
import { chromiumLaunchOptions } from '../tests/helpers/chromium.ts';
import { startServer } from '../server/server.ts';
import { DEFAULT_TARGETS } from '../server/contract/kpi-settings.ts';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });
const db = tempDbPath();
const server = await startServer(
  testConfig({ dbPath: db.path, demo: true, demoRate: 14, demoSeed: 7, timeZone: 'Asia/Shanghai' }),
);
const t = server.tandem;
const by = { actor: { kind: 'system', id: null, name: 'screenshots' } };

// A believable set of accounts for the admin page; the first one is who the browser signs in as.
const password = 'screenshot password';
const admin = await t.admin.createUser(by, {
  username: 'ana.souza',
  displayName: 'Ana Souza',
  password,
  roles: ['admin'],
});
await t.admin.createUser(by, {
  username: 'wei.zhang',
  displayName: '张伟',
  password,
  roles: ['supervisor'],
  scopeQueues: ['billing', 'sales'],
});
await t.admin.createUser(by, {
  username: 'k.okafor',
  displayName: 'Kemi Okafor',
  password,
  roles: ['supervisor', 'qa'],
  scopeTeams: ['north'],
});
await t.admin.createUser(by, { username: 'l.meyer', displayName: 'Lena Meyer', password, roles: ['executive'] });
const gone = await t.admin.createUser(by, { username: 'temp.agency', password, roles: ['qa'] });
await t.admin.updateUser(by, gone.id, { disabled: true });
// KPI definitions as a contact center might keep them: office hours with a lunch break, and two queues
// that count differently.
const split: [string, string][] = [
  ['08:30', '12:00'],
  ['13:00', '18:00'],
];
await t.updateKpiSettings(
  null,
  {
    settings: {
      slThresholdSeconds: 20,
      shortAbandonSeconds: 5,
      slVariant: 'exits',
      fcrHorizonDays: 7,
      timeZone: 'Asia/Shanghai',
      businessHours: { mon: split, tue: split, wed: split, thu: split, fri: split, sat: [['09:00', '13:00']] },
    },
    targets: { ...DEFAULT_TARGETS, ahtSeconds: { target: 300, warn: 360, alert: 480 } },
  },
  'screenshots',
);
await t.updateKpiSettings(
  'vip_care',
  {
    settings: { slThresholdSeconds: 10, slVariant: 'answeredOnly' },
    targets: { serviceLevel: { target: 0.9, warn: 0.85, alert: 0.75 } },
  },
  'screenshots',
);
await t.updateKpiSettings(
  'tech_support',
  // A demanding target, so the wall shows what a breach looks like.
  {
    settings: { shortAbandonSeconds: 10, businessHours: { sat: [['10:00', '16:00']] } },
    targets: { serviceLevel: { target: 0.95, warn: 0.9, alert: 0.85 } },
  },
  'screenshots',
);
const { token } = await t.auth.sessions.create(admin.id);
// Accounts made behind the first-run setup's back: retire its link, or the sign-in page would offer it.
if (t.auth.setupToken) t.auth.takeSetupToken(t.auth.setupToken);

const only = process.argv.slice(2);
const browser = await chromium.launch(chromiumLaunchOptions);
async function shoot(
  name: string,
  path: string,
  ready: string,
  options: { width?: number; height?: number; signedIn?: boolean } = {},
) {
  if (only.length && !only.includes(name)) return;
  const { width = 1920, height = 1080, signedIn = false } = options;
  const context: BrowserContext = await browser.newContext({ viewport: { width, height } });
  if (signedIn) await context.addCookies([{ name: 'tandem_session', value: token, url: server.url }]);
  const page = await context.newPage();
  await page.goto(new URL(path, server.url).href);
  // Exact: "Connecting to live data…" must not count as LIVE.
  await page.getByText(ready, { exact: true }).first().waitFor();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${out}${name}-${width}x${height}.png` });
  await context.close();
}

try {
  await shoot('wall', '/wall', 'LIVE', { signedIn: true });
  await shoot('wall', '/wall', 'LIVE', { width: 3840, height: 2160, signedIn: true });
  await shoot('wall-zh-CN', '/wall?lang=zh-CN', '实时', { signedIn: true });
  await shoot('wall-zh-TW', '/wall?lang=zh-TW', '即時', { width: 3840, height: 2160, signedIn: true });
  await shoot('wall-light', '/wall?theme=light', 'LIVE', { signedIn: true });
  await shoot('agents', '/wall?board=agents', 'LIVE', { signedIn: true });
  await shoot('agents-zh-CN', '/wall?board=agents&lang=zh-CN', '实时', { width: 3840, height: 2160, signedIn: true });
  await shoot('queues-zh-CN', '/wall?board=queues&lang=zh-CN', '实时', { signedIn: true });
  await shoot('human-ai', '/wall?board=human-ai', 'LIVE', { signedIn: true });
  await shoot('human-ai', '/wall?board=human-ai&density=large', 'LIVE', { width: 3840, height: 2160, signedIn: true });
  await shoot('admin-boards', '/admin/boards', 'Human and AI', { signedIn: true });
  await shoot('login', '/login', 'Sign in to Tandem');
  await shoot('login-zh-CN', '/login?lang=zh-CN', '登录 Tandem');
  await shoot('admin-users', '/admin', 'temp.agency', { signedIn: true });
  await shoot('admin-users-zh-TW', '/admin?lang=zh-TW', 'temp.agency', { signedIn: true });
  await shoot('admin-kpis', '/admin/kpis', 'vip_care', { signedIn: true });
  await shoot('display', server.links.demoDisplay!, 'LIVE');
} finally {
  await browser.close();
  await server.close();
  db.cleanup();
}
console.log(`screenshots written to ${out}`);
