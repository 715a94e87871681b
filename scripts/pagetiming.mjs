// Measures, in headless Chromium, how long pages take to reach DOMContentLoaded and how
// long a layer step takes (→ pressed until the panel shows the next box's layer). A
// measurement for docs/PERFORMANCE.md, never a test:
//   node scripts/pagetiming.mjs [BASE_URL] [--all] [--only=id,id] [--runs=3]
// BASE_URL defaults to http://127.0.0.1:8080 (a running `convatlas serve`). Without
// --all it measures the heavy views only; with it every network of /api/archs in the
// diagram view, the table view and with every stage expanded. Each page is opened
// --runs times in a fresh context and the median DOMContentLoaded reported (a shared
// machine's load makes single loads vary by 2×); the steps are taken on the last load.
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const base = (args.find((a) => !a.startsWith('--')) || 'http://127.0.0.1:8080').replace(/\/$/, '');
const all = args.includes('--all');
const only = (args.find((a) => a.startsWith('--only=')) || '').slice(7).split(',').filter(Boolean);
const steps = 9; // layer steps per page; the median is reported
const runs = Number((args.find((a) => a.startsWith('--runs=')) || '--runs=3').slice(7));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

async function load(path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(base + path, { waitUntil: 'load', timeout: 60000 });
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { dcl: n.domContentLoadedEventEnd, bytes: n.transferSize, nodes: document.getElementsByTagName('*').length };
  });
  return { context, page, nav };
}

async function measure(path) {
  const dcls = [];
  let context, page, nav;
  for (let k = 0; k < runs; k++) {
    if (context) await context.close();
    ({ context, page, nav } = await load(path));
    dcls.push(nav.dcl);
  }
  nav.dcl = median(dcls);
  const times = [];
  if (await page.locator('#layer-panel').count()) {
    for (let i = 0; i < steps; i++) {
      const before = await page.locator('#layer-panel').getAttribute('data-layer');
      const t0 = Date.now();
      await page.keyboard.press('ArrowRight');
      try {
        await page.waitForFunction((b) => {
          const p = document.getElementById('layer-panel');
          return p && p.dataset.layer && p.dataset.layer !== b && !document.querySelector('.htmx-request');
        }, before, { timeout: 10000, polling: 'raf' });
      } catch { break; }
      times.push(Date.now() - t0);
    }
  }
  await context.close();
  return { path, dcl: Math.round(nav.dcl), kb: Math.round(nav.bytes / 1024), nodes: nav.nodes, step: median(times), slowest: Math.max(...times, 0) };
}

let paths = ['/a/resnet1202?view=table', '/a/resnet1202?expand=all', '/a/resnet152?expand=all', '/a/densenet201?view=table', '/a/alexnet', '/a/resnet50'];
if (all || only.length) {
  const ids = only.length ? only : (await (await fetch(base + '/api/archs')).json()).map((a) => a.id);
  paths = ids.flatMap((id) => ['/a/' + id, '/a/' + id + '?view=table', '/a/' + id + '?expand=all']);
}
console.log('page\tDOMContentLoaded ms\tKB on the wire\tDOM nodes\tstep ms (median)\tslowest step ms');
for (const p of paths) {
  const r = await measure(p);
  console.log(`${r.path}\t${r.dcl}\t${r.kb}\t${r.nodes}\t${r.step}\t${r.slowest}`);
}
await browser.close();
