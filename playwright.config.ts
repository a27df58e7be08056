import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/helpers/chromium.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PORT = Number(process.env.TANDEM_E2E_PORT ?? 3210);
// A fresh database per run; demo traffic off so the test controls every number.
const dbDir = mkdtempSync(join(tmpdir(), 'tandem-e2e-'));
// The run's admin password, chosen once in the runner: the workers inherit it (tests/helpers/e2e.ts).
process.env.TANDEM_E2E_PASSWORD ??= `e2e-${randomBytes(12).toString('hex')}`;

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 30_000,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    // The database starts empty, so the admin the tests sign in as is made with the CLI first (it
    // opens TANDEM_DB directly, before the server holds it); the password goes in on stdin.
    command:
      'sh -c \'printf "%s" "$TANDEM_E2E_PASSWORD" | node bin/tandem.js user add e2e-admin --role admin --password-stdin' +
      " && exec node bin/tandem.js serve'",
    url: `http://127.0.0.1:${PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      TANDEM_DB: join(dbDir, 'e2e.duckdb'),
      TANDEM_DEMO: '0',
      TANDEM_TZ: 'UTC',
      TANDEM_LOG_LEVEL: 'warn',
      TANDEM_E2E_PASSWORD: process.env.TANDEM_E2E_PASSWORD,
    },
  },
});
