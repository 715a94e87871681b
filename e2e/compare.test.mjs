import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, axe, shot } from './harness.mjs';

before(start);
after(stop);

test('compare: the lecture trio, every chart with its data, accessible', async () => {
  const page = await open('/compare?ids=vgg16,googlenet,resnet50');
  for (const id of ['accuracy', 'params', 'memory', 'depth', 'rf', 'layer-memory', 'layer-params']) {
    assert.equal(await page.locator(`[data-chart="${id}"] svg`).count(), 1, id);
  }
  assert.equal(await page.locator('[data-chart="accuracy"] .bubble').count(), 2);
  // Ticking a network updates the page through htmx and the URL follows.
  await page.locator('input[name="id"][value="mobilenet_v2"]').check();
  await page.waitForURL(/mobilenet_v2/);
  await page.locator('[data-chart="accuracy"] .bubble[data-name="MobileNetV2"]').waitFor();
  assert.deepEqual(await axe(page), []);
  await shot(page, 'compare-1280x800');
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('concepts: changing an input recomputes the figures', async () => {
  const page = await open('/concepts/inception');
  const ops = () => page.locator('tr[data-row="multiply-adds"] .calc-value').allTextContents();
  assert.deepEqual(await ops(), ['854,196,224', '271,351,808']);
  await page.locator('input[name="r"]').fill('32');
  await page.waitForURL(/r=32/);
  await page.waitForFunction(() => document.querySelector('tr[data-row="multiply-adds"] td:nth-child(3) .calc-value').textContent !== '271,351,808');
  const [, bottleneck] = await ops();
  assert.notEqual(bottleneck, '271,351,808');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('concepts: transfer learning marks the frozen layers', async () => {
  const page = await open('/concepts/transfer?net=resnet50&data=little&similar=similar');
  assert.match(await page.locator('tr[data-row="trainable parameters"]').textContent(), /2,049,000 of 25,557,032/);
  assert.ok(await page.locator('svg.diagram .frozen').count() > 3);
  await page.locator('.transfer-table a', { hasText: 'Fine-tune a large number' }).click();
  await page.waitForURL(/data=much&similar=different/);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'transfer-1280x800');
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('charts stay legible in presentation mode', async () => {
  const page = await open('/compare?ids=vgg16,googlenet,resnet50&present=1', { width: 1024, height: 768 });
  const smallest = await page.evaluate(() => {
    let min = Infinity;
    for (const el of document.querySelectorAll('.chart-section svg text')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      const m = el.getScreenCTM();
      min = Math.min(min, parseFloat(getComputedStyle(el).fontSize) * Math.hypot(m.a, m.b));
    }
    return min;
  });
  assert.ok(smallest >= 18, `smallest chart text ${smallest}px`);
  await shot(page, 'compare-present-1024x768');
  await page.closeAll();
});
