// The browser-test harness: builds and starts the server on a free port, launches
// Debian's Chromium through playwright-core, and checks every page for CSP violations,
// console errors and accessibility problems (axe-core).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const shotsDir = path.join(root, 'screenshots');

let server, baseURL, browser;

/** Builds the binary and starts it on 127.0.0.1 with a free port. */
export async function start() {
  const bin = path.join(root, 'tmp', 'convatlas-e2e');
  mkdirSync(path.dirname(bin), { recursive: true });
  mkdirSync(shotsDir, { recursive: true });
  execFileSync('go', ['build', '-o', bin, './cmd/convatlas'], { cwd: root, stdio: 'inherit' });
  server = spawn(bin, ['serve', '--addr', '127.0.0.1:0'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  baseURL = await new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error('the server did not start: ' + log)), 20000);
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const m = log.match(/url=(http:\/\/[0-9.:]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error('the server exited with ' + code + ': ' + log)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return baseURL;
}

export async function stop() {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
}

/**
 * Opens a page and records what went wrong in it: CSP violations, console errors,
 * failed requests. Call problems() at the end of a test.
 */
export async function open(url, { width = 1280, height = 800, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true });
  const page = await context.newPage();
  const issues = [];
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  });
  page.on('console', (m) => { if (m.type() === 'error') issues.push('console: ' + m.text()); });
  page.on('pageerror', (e) => issues.push('page error: ' + e.message));
  page.on('requestfailed', (r) => issues.push('request failed: ' + r.url()));
  page.on('response', (r) => { if (r.status() >= 400) issues.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(baseURL + url);
  page.problems = async () => {
    const csp = await page.evaluate(() => window.__csp || []);
    return issues.concat(csp.map((v) => 'CSP violation: ' + v));
  };
  page.closeAll = () => context.close();
  return page;
}

/** The path of the binary the harness built, for command-line steps. */
export const binary = path.join(root, 'tmp', 'convatlas-e2e');

/** Opens a local file and records every request it makes besides itself. */
export async function openFile(file) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => { if (r.url() !== 'file://' + file) requests.push(r.url()); });
  await page.goto('file://' + file);
  page.requests = requests;
  page.closeAll = () => context.close();
  return page;
}

/** Runs axe-core and returns the serious and critical violations. */
export async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** Saves a full-page screenshot for people to look at. */
export async function shot(page, name) {
  await page.screenshot({ path: path.join(shotsDir, name + '.png'), fullPage: true });
}
