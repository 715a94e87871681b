// Takes a full-page screenshot in headless Chromium, for people to look at what they build:
//   node scripts/shot.mjs URL|FILE.svg OUT.png [WIDTHxHEIGHT] [light|dark]
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [target, out, size = '1280x800', colorScheme = 'light'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width, height }, colorScheme });
if (target.endsWith('.svg') && !target.includes('://')) {
  // Chromium will not screenshot a bare SVG document; show it in a page.
  await page.setContent(`<html><body style="margin:0">${readFileSync(target, 'utf8')}</body></html>`);
} else {
  await page.goto(target);
}
await page.screenshot({ path: out, fullPage: true });
await browser.close();
