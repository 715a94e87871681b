// The static export away from the server: opened from disk (file://) and from a plain
// static file server on loopback, it keeps its interactions, and makes no request
// outside its folder. And the iframe embed from a page opened from disk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { start, stop, binary } from './harness.mjs';

let site, staticServer, staticURL, browser, atlasURL;

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

before(async () => {
  atlasURL = await start();
  site = mkdtempSync(path.join(tmpdir(), 'convatlas-export-'));
  execFileSync(binary, ['export', site], { stdio: 'ignore' });
  // A plain static server, as a course site would have: files only, nothing else.
  staticServer = createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.join(site, path.normalize(p));
    if (!file.startsWith(site)) { res.writeHead(403).end(); return; }
    try { if (statSync(file).isDirectory()) file = path.join(file, 'index.html'); } catch { /* 404 below */ }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' }).end(body);
    } catch { res.writeHead(404).end('not found'); }
  });
  await new Promise((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
  staticURL = `http://127.0.0.1:${staticServer.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (staticServer) staticServer.close();
  await stop();
});

/** Opens a page of the export; records console errors and every request outside it. */
async function openExport(root, file) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const issues = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') issues.push('console: ' + m.text()); });
  page.on('pageerror', (e) => issues.push('page error: ' + e.message));
  page.on('requestfailed', (r) => issues.push('request failed: ' + r.url()));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(root + '/') && !u.startsWith('blob:') && !u.startsWith('data:')) issues.push('request outside the export: ' + u);
  });
  page.on('response', (r) => { if (r.status() >= 400) issues.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(root + '/' + file);
  page.issues = issues;
  page.closeAll = () => context.close();
  return page;
}

for (const where of ['file', 'static server']) {
  const root = () => (where === 'file' ? 'file://' + site : staticURL);

  test(`export from ${where}: AlexNet's panels, stepping, presentation mode, PNG download`, async () => {
    const page = await openExport(root(), 'a/alexnet/index.html');
    await page.locator('svg.diagram [data-layer="conv1"] a').click();
    const panel = page.locator('#layer-panel[data-layer="conv1"]');
    await panel.waitFor();
    assert.match(await panel.textContent(), /34,944/);
    assert.match(page.url(), /#layer=conv1$/);
    // → steps by drawn box, as on the server (conv1's box folds its ReLU).
    await page.keyboard.press('ArrowRight');
    await page.locator('#layer-panel[data-layer="norm1"]').waitFor();
    assert.match(page.url(), /#layer=norm1$/);
    await page.keyboard.press('ArrowRight');
    await page.locator('#layer-panel[data-layer="pool1"]').waitFor();
    assert.equal(await page.locator('svg.diagram .selected').count(), 1);
    await page.keyboard.press('ArrowLeft');
    await page.locator('#layer-panel[data-layer="norm1"]').waitFor();
    // The layer search works offline: the server's list, filtered in the page.
    await page.locator('#layer-find-q').fill('norm 55');
    const hit = page.locator('#layer-find-results [data-layer-hit="norm1"]');
    await hit.waitFor();
    assert.equal(await page.locator('#layer-find-results [data-layer-hit]').count(), 1);
    await hit.click();
    await page.locator('#layer-panel[data-layer="norm1"]').waitFor();
    await page.locator('#layer-find-q').fill('no such layer');
    await page.locator('#layer-find-results .find-none').waitFor();
    // A permalink opens the page with its layer's panel.
    await page.goto(root() + '/a/alexnet/index.html#layer=fc6');
    await page.locator('#layer-panel[data-layer="fc6"]').waitFor();
    // Presentation mode.
    await page.keyboard.press('p');
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('present')));
    assert.ok(await page.locator('.site-header').isHidden());
    await page.keyboard.press('p');
    assert.ok(!(await page.evaluate(() => document.documentElement.classList.contains('present'))));
    // Download PNG, in the theme on screen.
    await page.locator('[data-theme-toggle]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-png]').click()]);
    assert.equal(download.suggestedFilename(), 'alexnet.png');
    const png = readFileSync(await download.path());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.length > 10000, `a PNG of ${png.length} bytes`);
    assert.deepEqual(page.issues, []);
    await page.closeAll();
  });

  test(`export from ${where}: compare leads to an exported comparison`, async () => {
    const page = await openExport(root(), 'compare/index.html');
    await page.locator('form.chooser input[value="alexnet"]').click();
    const note = page.locator('form.chooser .offline-note');
    await note.waitFor();
    await note.locator('a', { hasText: 'vgg11' }).click();
    await page.waitForURL(/compare\/ids-vgg11-.*\.html$/);
    assert.equal(await page.locator('form.chooser input:checked').count(), 8);
    assert.match(await page.locator('.compare-totals').textContent(), /VGG-16/);
    assert.deepEqual(page.issues, []);
    await page.closeAll();
  });

  test(`export from ${where}: ResNet-152 expands all, and steps into a block drawn once`, async () => {
    const page = await openExport(root(), 'a/resnet152/index.html');
    // One block per run: conv4_x's 36 bottlenecks drawn once, its bracket leading to the
    // page of every block.
    assert.equal(await page.locator('svg.diagram g.bracket[data-stage="conv4_x"][data-count="36"]').count(), 1);
    assert.equal(await page.locator('svg.diagram g.bracket[data-stage="conv4_x"] a').getAttribute('href'), 'expand-all.html');
    await page.locator('[data-action="expand-all"]').click();
    await page.waitForURL(/expand-all\.html$/);
    assert.equal(await page.locator('svg.diagram .box-stage').count(), 0);
    assert.equal(await page.locator('svg.diagram g.bracket').count(), 0);
    assert.ok(await page.locator('svg.diagram [data-layer^="conv4_x.36."]').count() > 0);
    await page.locator('[data-action="direction"]').click();
    await page.waitForURL(/dir-lr\.html$/);
    assert.equal(await page.locator('svg.diagram').getAttribute('data-dir'), 'lr');
    // From the last layer of conv4_x's first block, → goes on into its second, which the
    // bracket stands for here: to the page where it is drawn.
    await page.goto(root() + '/a/resnet152/index.html#layer=conv4_x.1.relu3');
    await page.locator('#layer-panel[data-layer="conv4_x.1.relu3"]').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/expand-all\.html#layer=conv4_x\.2\./);
    await page.locator('#layer-panel[data-index]').waitFor();
    assert.match(await page.locator('#layer-panel').getAttribute('data-layer'), /^conv4_x\.2\./);
    assert.equal(await page.locator('svg.diagram g.bracket[data-stage="conv4_x"]').count(), 0);
    assert.deepEqual(page.issues, []);
    await page.closeAll();
  });
}

test('the iframe embed works in a page opened from disk, fits once shown, and enlarges', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'convatlas-frame-'));
  const file = path.join(dir, 'slides.html');
  writeFileSync(file, `<!DOCTYPE html><title>slides</title>
    <section id="shown"><iframe id="a" src="${atlasURL}/embed/alexnet?dir=lr" width="1200" height="400" title="AlexNet"></iframe></section>
    <section id="later" style="display:none"><iframe id="b" src="${atlasURL}/embed/lenet5" width="900" height="600" title="LeNet"></iframe></section>`);
  const context = await browser.newContext({ viewport: { width: 1300, height: 1200 } });
  const page = await context.newPage();
  const issues = [];
  page.on('console', (m) => { if (m.type() === 'error') issues.push('console: ' + m.text()); });
  await page.goto('file://' + file);
  const scaleOf = async (id) => {
    const frame = page.frame({ url: new RegExp(id) });
    assert.ok(frame, 'no frame for ' + id);
    await frame.locator('svg.diagram').waitFor();
    const t = await frame.evaluate(() => document.querySelector('[data-panzoom] svg').style.transform);
    const m = /scale\(([\d.]+)\)/.exec(t);
    return m ? parseFloat(m[1]) : 0;
  };
  assert.ok((await scaleOf('alexnet')) > 0.1, 'the shown frame is not fitted');
  // The hidden slide's frame has no size yet; once shown, it fits, enlarging LeNet-5.
  await page.evaluate(() => { document.getElementById('later').style.display = 'block'; });
  let s = 0;
  for (let i = 0; i < 50 && s <= 1; i++) { s = await scaleOf('lenet5'); if (s <= 1) await page.waitForTimeout(100); }
  assert.ok(s > 1, `LeNet-5 in a 900×600 frame is drawn at ${s}×, want more than 1×`);
  assert.deepEqual(issues, []);
  await context.close();
});
