/**
 * What the browser tests share: the admin the e2e server starts with (playwright.config.ts), an
 * admin API client, signing a browser in, and a watch on Content Security Policy violations that
 * fails any test whose pages break the policy.
 */
import { expect, test as base, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';

export const ADMIN = { username: 'e2e-admin', password: process.env.TANDEM_E2E_PASSWORD ?? '' };
export const PASSWORD = 'correct horse battery staple';

let counter = 0;
/** A username no other test uses in this run. */
export const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

/**
 * The wall's connection badge showing `label` (LIVE, or its translation) as its state. Anchored: the
 * loading line "Connecting to live data…" is a status too, and a plain text match would find "live" in it.
 */
export const connectionBadge = (page: Page, label = 'LIVE') =>
  page.getByRole('status').filter({ hasText: new RegExp(`^\\s*${label}(\\s|$)`) });

/** Signs a browser context in through the API: its pages then carry the session cookie. */
export async function signIn(context: BrowserContext, baseURL: string, user = ADMIN): Promise<void> {
  // API requests carry no Origin of their own; the server wants one on every cookie-authenticated write.
  const res = await context.request.post('/api/auth/login', { data: user, headers: { origin: baseURL } });
  expect(res.status(), await res.text()).toBe(200);
}

/** The admin API, signed in as the e2e admin on its own request context. */
export class AdminClient {
  #key: string | null = null;
  constructor(readonly request: APIRequestContext) {}

  async #json<T>(res: Promise<import('@playwright/test').APIResponse>, status = 200): Promise<T> {
    const r = await res;
    expect(r.status(), await r.text()).toBe(status);
    return (await r.json()) as T;
  }

  createUser(body: { username: string; password?: string; roles: string[]; scopeQueues?: string[] }) {
    return this.#json<{ user: { id: string; username: string } }>(
      this.request.post('/api/admin/users', { data: { password: PASSWORD, ...body } }),
      201,
    );
  }

  createDisplay(name: string) {
    return this.#json<{ display: { id: string; name: string }; url: string }>(
      this.request.post('/api/admin/displays', { data: { name } }),
      201,
    );
  }

  revokeDisplay(id: string) {
    return this.#json(this.request.post(`/api/admin/displays/${id}/revoke`, { data: {} }));
  }

  /** Posts events as a producer would, with an ingest key made for this test. */
  async postEvents(events: unknown[]): Promise<{ accepted: number }> {
    this.#key ??= (
      await this.#json<{ secret: string }>(
        this.request.post('/api/admin/keys', { data: { name: uniqueName('e2e key') } }),
        201,
      )
    ).secret;
    return this.#json(
      this.request.post('/api/events', { data: events, headers: { authorization: `Bearer ${this.#key}` } }),
      202,
    );
  }
}

/** Collects CSP violations from every page of the contexts it watches. */
export class CspWatch {
  readonly violations: string[] = [];

  async watch(context: BrowserContext): Promise<void> {
    // Chromium logs blocked content to the console; the event also catches what it does not log.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(
          `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`,
        ),
      );
    });
    context.on('console', (msg) => {
      if (/Content Security Policy|CSP violation/i.test(msg.text())) {
        this.violations.push(`${msg.page()?.url() ?? '?'}: ${msg.text()}`);
      }
    });
  }
}

type Fixtures = {
  /** Every test fails on a CSP violation in its pages (add extra contexts with `csp.watch`). */
  csp: CspWatch;
  admin: AdminClient;
  /** A second browser, signed in as the admin: for tests that also need an anonymous `page`. */
  adminPage: Page;
};

export const test = base.extend<Fixtures>({
  csp: [
    async ({ context }, use) => {
      const csp = new CspWatch();
      await csp.watch(context);
      await use(csp);
      expect(csp.violations, 'Content Security Policy violations').toEqual([]);
    },
    { auto: true },
  ],
  admin: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
    const res = await request.post('/api/auth/login', { data: ADMIN });
    expect(res.status(), await res.text()).toBe(200);
    await use(new AdminClient(request));
    await request.dispose();
  },
  adminPage: async ({ browser, baseURL, csp }, use) => {
    const context = await browser.newContext({ baseURL });
    await csp.watch(context);
    await signIn(context, baseURL!);
    await use(await context.newPage());
    await context.close();
  },
});

export { expect };
