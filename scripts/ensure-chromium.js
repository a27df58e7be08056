#!/usr/bin/env node
// Makes sure the browser tests have a Chromium (and CJK fonts for Chinese text): Debian's packages,
// installed with apt-get when missing (CI runs as root on a clean machine). Playwright's own browser
// download cannot be used here, so playwright.config.ts points at this binary.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';
const CJK_FONT_DIR = '/usr/share/fonts/opentype/noto';

const missing = [];
if (!existsSync(CHROMIUM)) missing.push('chromium');
if (!existsSync(CJK_FONT_DIR)) missing.push('fonts-noto-cjk');

if (missing.length === 0) {
  console.log(`browser tests: using ${CHROMIUM}`);
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  console.error(`browser tests need ${missing.join(' and ')}: run  sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.log(`browser tests: installing ${missing.join(', ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
if (!existsSync(CHROMIUM)) {
  console.error(`chromium was installed but ${CHROMIUM} is missing`);
  process.exit(1);
}
