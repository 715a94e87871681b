// The representative view: a deep network opens on one block per run with its ×N
// brackets; a click on a bracket draws that stage's every block in place (an htmx swap,
// the page not reloaded, the URL the expanded view's); the stage's toggle draws it once
// per run again; the iframe embed opens legibly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, axe, shot } from './harness.mjs';

before(async () => { await start(); });
after(stop);

const counts = (page) => page.$$eval('#diagram g.bracket', (gs) => gs.map((g) => g.dataset.stage + ' ×' + g.dataset.count));
const adds = (page, stage) => page.$$eval(`#diagram g.join[data-merge="add"]`, (js, stage) => js.filter((j) => j.dataset.layer.startsWith(stage + '.')).length, stage);

test('a bracket expands its stage in place, and the stage toggle draws it once again', async () => {
  const page = await open('/a/resnet50');
  assert.deepEqual(await counts(page), ['conv2_x ×3', 'conv3_x ×4', 'conv4_x ×6', 'conv5_x ×3']);
  assert.equal(await adds(page, 'conv4_x'), 1);
  assert.deepEqual(await axe(page), []);
  await page.evaluate(() => { window.__stayed = true; }); // gone if the page reloads
  await page.click('#diagram g.bracket[data-stage="conv4_x"] a');
  await page.waitForFunction(() => document.querySelectorAll('#diagram g.join[data-layer^="conv4_x."]').length === 6);
  assert.ok(await page.evaluate(() => window.__stayed), 'the page reloaded');
  assert.match(page.url(), /\/a\/resnet50\?expand=conv4_x$/);
  assert.deepEqual(await counts(page), ['conv2_x ×3', 'conv3_x ×4', 'conv5_x ×3']);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'blocks-resnet50-conv4-expanded');
  await page.click('#diagram g.frame[data-stage="conv4_x"] a.stage-link');
  await page.waitForFunction(() => document.querySelectorAll('#diagram g.join[data-layer^="conv4_x."]').length === 1);
  assert.match(page.url(), /\/a\/resnet50$/);
  assert.ok(await page.evaluate(() => window.__stayed), 'the page reloaded');
  // The switcher draws every block, in place too.
  await page.click('.mode-switch a[data-mode="full"]');
  await page.waitForFunction(() => document.querySelectorAll('#diagram g.join[data-merge="add"]').length === 16);
  assert.match(page.url(), /view=full/);
  assert.equal(await page.getAttribute('a[data-action="svg"]', 'href'), '/embed/resnet50.svg?view=full');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('stepping into a block that a bracket stands for draws its stage whole', async () => {
  const page = await open('/a/resnet50/layer/conv2_x.1.add');
  assert.equal(await adds(page, 'conv2_x'), 1);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('#layer-panel')?.dataset.layer === 'conv2_x.2.conv1');
  await page.waitForFunction(() => document.querySelectorAll('#diagram g.join[data-layer^="conv2_x."]').length === 3);
  assert.match(page.url(), /\/a\/resnet50\/layer\/conv2_x\.2\.conv1\?expand=conv2_x$/);
  assert.equal(await page.$$eval('#diagram g.box.selected', (bs) => bs.map((b) => b.dataset.layer).join()), 'conv2_x.2.conv1');
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('the iframe embed of ResNet-50 opens at a legible size in 800×600', async () => {
  const page = await open('/embed/resnet50', { width: 800, height: 600 });
  await page.waitForTimeout(100);
  const sizes = await page.$$eval('svg text', (ts) => ts.map((t) => parseFloat(t.getAttribute('font-size')) * t.ownerSVGElement.getBoundingClientRect().width / t.ownerSVGElement.width.baseVal.value));
  assert.ok(Math.min(...sizes) >= 11, `text drawn at ${Math.min(...sizes).toFixed(1)} px`);
  const box = await page.$eval('svg', (s) => s.getBoundingClientRect().toJSON());
  assert.ok(box.left >= 0 && box.right <= 800, `the diagram is ${box.width} px wide in an 800 px frame`);
  // The wheel pans down the diagram, as it scrolls a page.
  await page.mouse.move(400, 300);
  await page.mouse.wheel(0, 500);
  await page.waitForTimeout(100);
  const after = await page.$eval('svg', (s) => s.getBoundingClientRect().top);
  assert.ok(after < box.top - 400, `the wheel moved the diagram from ${box.top} to ${after}`);
  await shot(page, 'blocks-embed-resnet50-800x600');
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});
