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

test('charts for slides keep every word inside the picture and apart, light and dark', async () => {
  const ids = 'vgg16,googlenet,resnet50,densenet121,mobilenet_v2,nasnet_a_mobile,lenet5,alexnet';
  for (const chart of ['accuracy', 'params', 'rf', 'layer-memory']) {
    for (const theme of ['light', 'dark']) {
      const page = await open(`/embed/chart/${chart}.svg?ids=${ids}&theme=${theme}`);
      const found = await page.evaluate(() => {
        const svg = document.documentElement;
        const box = svg.getBoundingClientRect();
        const outside = [], overlapping = [];
        const words = [];
        for (const t of svg.querySelectorAll('text')) {
          const r = t.getBoundingClientRect();
          if (r.width === 0) continue;
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) outside.push(t.textContent);
          // Names, legends, titles and notes must not cover one another; ticks and axis
          // labels have their own rows.
          if (!t.matches('.tick, .axis-label')) words.push([t.textContent, r]);
        }
        for (let i = 0; i < words.length; i++) {
          for (let k = i + 1; k < words.length; k++) {
            const [a, ra] = words[i], [b, rb] = words[k];
            const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
            const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
            if (w > 1 && h > 3) overlapping.push(`${a} / ${b}`);
          }
        }
        return { outside, overlapping, legend: svg.querySelectorAll('.legend-item').length };
      });
      assert.deepEqual(found.outside, [], `${chart} ${theme}: words outside the picture`);
      assert.deepEqual(found.overlapping, [], `${chart} ${theme}: words over one another`);
      if (chart === 'rf' || chart === 'layer-memory') assert.equal(found.legend, 8, `${chart}: one legend entry per network`);
      assert.deepEqual(await page.problems(), []);
      await page.closeAll();
    }
  }
});
