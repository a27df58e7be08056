#!/usr/bin/env node
// Makes sure the tests have what they run against, from Debian's packages, installed with apt-get when
// missing (CI runs as root on a clean machine): a Chromium (and CJK fonts for Chinese text) for the
// browser tests, since Playwright's own browser download cannot be used here, so playwright.config.ts
// points at this binary; and nats-server for the scale-out tests, which use the machine's NATS on
// 127.0.0.1:4222 when it runs and start a server of their own when it does not.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';
const CJK_FONT_DIR = '/usr/share/fonts/opentype/noto';
const NATS_SERVER = ['/usr/sbin/nats-server', '/usr/bin/nats-server'];

const missing = [];
if (!existsSync(CHROMIUM)) missing.push('chromium');
if (!existsSync(CJK_FONT_DIR)) missing.push('fonts-noto-cjk');
if (!process.env.NATS_SERVER_BIN && !NATS_SERVER.some((p) => existsSync(p))) missing.push('nats-server');

if (missing.length === 0) {
  console.log(`tests: using ${CHROMIUM} and nats-server`);
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  console.error(`the tests need ${missing.join(' and ')}: run  sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.log(`tests: installing ${missing.join(', ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
if (!existsSync(CHROMIUM)) {
  console.error(`chromium was installed but ${CHROMIUM} is missing`);
  process.exit(1);
}
