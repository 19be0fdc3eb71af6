// Runs the mocha suite INSIDE code-server's (Node) extension host, the way @vscode/test-electron does on a
// desktop: the workbench is opened with extensionDevelopmentPath / extensionTestsPath in the URL "payload";
// VS Code reports mocha's output through window.codeAutomationLog and its end through window.codeAutomationExit.
// Usage: node test/e2e/run-exthost-tests.js EXT_DEV_PATH TESTS_PATH WORKSPACE   (CS_URL = code-server URL)
const { chromium } = require('playwright-core');
const fs = require('fs');
const util = require('util');

const BASE = process.env.CS_URL || 'http://127.0.0.1:18080';
const authority = new URL(BASE).host;
const remote = (p) => `vscode-remote://${authority}${p}`;
const [extDev, testsPath, folder] = process.argv.slice(2);
const TIMEOUT = +(process.env.E2E_TIMEOUT_MS || 300000);

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let done;
  const exited = new Promise((r) => (done = r));
  let passing = 0, failing = 0, pending = 0;
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...(args || []));
    let m;
    if ((m = /^\s*(\d+) passing/.exec(line))) passing = +m[1];
    if ((m = /^\s*(\d+) failing/.exec(line))) failing = +m[1];
    if ((m = /^\s*(\d+) pending/.exec(line))) pending = +m[1];
    if (!process.env.VERBOSE && /^(Resolv|Creat|Updating additional|\[Service Worker\]|ChatSessionStore)/.test(line)) return;
    console.log('[exthost]', line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => done(code));
  if (process.env.VERBOSE) page.on('console', (m) => console.log('[console]', m.text()));
  const payload = JSON.stringify([['extensionDevelopmentPath', remote(extDev)], ['extensionTestsPath', remote(testsPath)]]);
  await page.goto(`${BASE}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
  const timer = setTimeout(() => done('timeout'), TIMEOUT);
  const code = await exited;
  clearTimeout(timer);
  if (process.env.SHOTS) {
    fs.mkdirSync(process.env.SHOTS, { recursive: true });
    await page.screenshot({ path: `${process.env.SHOTS}/exthost-tests.png` }).catch(() => {});
  }
  await browser.close();
  if (code !== 0 && failing === 0) failing = 1; // crashed or timed out before mocha's summary
  console.log(`extension host tests: exit code ${code} after ${Date.now() - t0} ms (${pending} pending)`);
  console.log(`${passing} passed, ${failing} failed`);
  process.exit(code === 0 ? 0 : 1);
})().catch((e) => { console.error(e); console.log('0 passed, 1 failed'); process.exit(2); });
