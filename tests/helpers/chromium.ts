/**
 * How Tandem's browser tests and scripts launch Chromium: Debian's build (scripts/ensure-test-tools.js
 * installs it), because Playwright's own download is not available. Running as root needs --no-sandbox;
 * the rest keeps Chromium from calling out to the network at start-up.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
