import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, axe, shot } from './harness.mjs';

let base;
before(async () => { base = await start(); });
after(stop);

/** The labels of the boxes inside each device's frame, by the frame's title. */
function streams(page) {
  return page.evaluate(() => {
    const out = {};
    for (const f of document.querySelectorAll('svg.diagram .frame-device')) {
      const r = f.querySelector('rect').getBoundingClientRect();
      out[f.querySelector('.frame-title').textContent] = [...document.querySelectorAll('svg.diagram g.box[data-layer]')].filter((g) => {
        const b = g.getBoundingClientRect();
        return b.left >= r.left && b.right <= r.right && b.top >= r.top && b.bottom <= r.bottom;
      }).map((g) => g.dataset.layer);
    }
    return out;
  });
}

test('AlexNet: the toolbar turns the diagram into the paper\'s two streams, and back', async () => {
  const page = await open('/a/alexnet');
  await page.getByRole('link', { name: 'Two streams (as the paper\'s Figure 2)' }).click();
  await page.waitForURL(/\/a\/alexnet\?view=streams$/);
  await page.locator('svg.diagram .frame-device').first().waitFor();
  const gpus = await streams(page);
  assert.deepEqual(Object.keys(gpus), ['GPU 1', 'GPU 2']);
  const layers = ['conv1', 'norm1', 'pool1', 'conv2', 'norm2', 'pool2', 'conv3', 'conv4', 'conv5', 'pool5', 'flatten', 'fc6', 'fc7'];
  assert.deepEqual(gpus['GPU 1'], layers);
  assert.deepEqual(gpus['GPU 2'], layers);
  assert.equal(await page.locator('svg.diagram g.box[data-layer="fc8"]').count(), 1);
  assert.match(await page.locator('svg.diagram g.box[data-layer="conv2"]').first().textContent(), /CONV2 · 5×5 conv, 128/);
  // Both streams fit the diagram's width: neither is cut off at 1280 px.
  const fits = await page.evaluate(() => {
    const s = document.querySelector('svg.diagram').getBoundingClientRect();
    const box = document.querySelector('.diagram-scroll').getBoundingClientRect();
    return s.right <= box.right + 1;
  });
  assert.ok(fits, 'the second stream is cut off');
  // The downloads follow the view on screen.
  const png = await page.locator('[data-png]').getAttribute('data-png');
  assert.match(png, /view=streams/);
  const answer = await page.request.get(base + png);
  assert.equal(answer.status(), 200);
  assert.equal(answer.headers()['content-type'], 'image/png');
  assert.match(await page.locator('[data-action="svg"]').getAttribute('href'), /\/embed\/alexnet\.svg\?view=streams$/);
  assert.deepEqual(await axe(page), []);
  // A click on a box selects its layer on both GPUs.
  await page.locator('svg.diagram g.box[data-layer="conv3"] a').first().click();
  await page.waitForURL(/\/a\/alexnet\/layer\/conv3\?view=streams$/);
  await page.locator('#layer-panel[data-layer="conv3"]').waitFor();
  assert.equal(await page.locator('svg.diagram g.box.selected[data-layer="conv3"]').count(), 2);
  await page.keyboard.press('ArrowRight');
  await page.locator('#layer-panel[data-layer="conv4"]').waitFor();
  assert.equal(await page.locator('svg.diagram g.box.selected').count(), 2);
  assert.equal(await page.locator('svg.diagram g.box.selected[data-layer="conv4"]').count(), 2);
  await page.getByRole('link', { name: 'One stream' }).click();
  await page.waitForURL((u) => !u.search.includes('view=streams'));
  await page.locator('svg.diagram .frame-device').waitFor({ state: 'detached' });
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('AlexNet\'s streams in an iframe embed and at every screen size', async () => {
  const embed = await open('/embed/alexnet?view=streams', { width: 800, height: 600 });
  assert.equal(await embed.locator('svg.diagram g.box[data-layer="conv3"]').count(), 2);
  assert.deepEqual(Object.keys(await streams(embed)), ['GPU 1', 'GPU 2']);
  await shot(embed, 'streams-embed-800x600');
  assert.deepEqual(await embed.problems(), []);
  await embed.closeAll();
  for (const [width, height] of [[1440, 900], [1280, 720], [1024, 768], [390, 844]]) {
    for (const q of ['', '&present=1']) {
      const page = await open('/a/alexnet?view=streams' + q, { width, height });
      await page.locator('svg.diagram .frame-device').first().waitFor();
      await shot(page, `streams-alexnet${q ? '-present' : ''}-${width}x${height}`);
      // A phone shows the whole drawing first, zoomed out to its width; at 100% (the zoom
      // bar's +, or zoom=100) it reads as on a larger screen, scrolled sideways.
      if (width < 800) {
        await page.goto(base + '/a/alexnet?view=streams&zoom=100' + q);
        await page.locator('svg.diagram .frame-device').first().waitFor();
        await shot(page, `streams-alexnet${q ? '-present' : ''}-${width}x${height}-100`);
      }
      const text = await page.evaluate(() => Math.min(...[...document.querySelectorAll('svg.diagram text')].map((t) => t.getBoundingClientRect().height)));
      assert.ok(text >= (q ? 16 : 11), `${width}×${height}${q}: text ${text.toFixed(1)} px high`);
      assert.deepEqual(await page.problems(), []);
      await page.closeAll();
    }
  }
});
