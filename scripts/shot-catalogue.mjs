// Screenshots of every catalogue network's page in its default view, for people to look
// at (not a test):
//   node scripts/shot-catalogue.mjs http://127.0.0.1:8080 OUTDIR [WIDTHxHEIGHT] [query]
// It writes OUTDIR/ID.png, the first screenful of /a/ID, and OUTDIR/ID.embed.png, the
// default embed (/embed/ID.svg) at its natural size, and prints each embed's size.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [base, outDir, size = '1440x900', query = ''] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
mkdirSync(outDir, { recursive: true });
const ids = (await (await fetch(`${base}/api/archs`)).json()).map((a) => a.id);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width, height } });
for (const id of ids) {
  await page.goto(`${base}/a/${id}${query}`);
  await page.screenshot({ path: `${outDir}/${id}.png` });
  const svg = await (await fetch(`${base}/embed/${id}.svg${query}`)).text();
  const [, w, h] = svg.match(/width="([\d.]+)" height="([\d.]+)"/) || [];
  await page.setViewportSize({ width: Math.ceil(Number(w) || width), height: Math.ceil(Number(h) || height) });
  await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
  await page.screenshot({ path: `${outDir}/${id}.embed.png`, fullPage: true });
  await page.setViewportSize({ width, height });
  console.log(`${id}\tembed ${w}×${h}`);
}
await browser.close();
