import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, axe, shot } from './harness.mjs';

before(start);
after(stop);

const sizes = [[1280, 800], [1920, 1080]];

test('the atlas lists every architecture, accessibly', async () => {
  for (const [w, h] of sizes) {
    const page = await open('/', { width: w, height: h });
    const cards = await page.locator('.card').count();
    assert.ok(cards >= 20, `only ${cards} cards`);
    assert.deepEqual(await axe(page), []);
    await shot(page, `atlas-${w}x${h}`);
    assert.deepEqual(await page.problems(), []);
    await page.closeAll();
  }
});

test('GoogLeNet: nine inception modules and two auxiliary classifiers', async () => {
  const page = await open('/a/googlenet?expand=all');
  assert.equal(await page.locator('svg.diagram [data-merge="concat"]').count(), 9);
  assert.equal(await page.locator('svg.diagram [data-aux]').count(), 2);
  assert.deepEqual(await axe(page), []);
  for (const [w, h] of sizes) {
    await page.setViewportSize({ width: w, height: h });
    await shot(page, `googlenet-${w}x${h}`);
  }
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('ResNet-152: a stage expands and collapses in place, and the URL follows', async () => {
  // Every block drawn, where conv4_x's 36 start collapsed (one block per run, the
  // default, draws one with ×36: blocks.test.mjs).
  const page = await open('/a/resnet152?view=full');
  const collapsed = page.locator('svg.diagram .box[data-stage="conv4_x"]');
  assert.equal(await collapsed.getAttribute('data-repeat'), '36');
  await shot(page, 'resnet152-1280x800');
  await collapsed.locator('a').click();
  await page.waitForURL(/expand=conv4_x/);
  await page.locator('svg.diagram .frame[data-stage="conv4_x"]').waitFor();
  assert.equal(await page.locator('svg.diagram .box[data-stage="conv4_x"]').count(), 0);
  assert.ok(await page.locator('svg.diagram [data-layer^="conv4_x.36."]').count() > 0);
  await page.locator('svg.diagram .frame[data-stage="conv4_x"] a').click();
  await page.waitForURL((u) => !u.search.includes('expand=conv4_x'));
  await page.locator('svg.diagram .box[data-stage="conv4_x"]').waitFor();
  // Back restores the expanded view from history.
  await page.goBack();
  await page.waitForURL(/expand=conv4_x/);
  assert.deepEqual(await axe(page), []);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await shot(page, 'resnet152-1920x1080');
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('DenseNet-121: four dense blocks', async () => {
  const page = await open('/a/densenet121?expand=all');
  assert.equal(await page.locator('svg.diagram .frame-dense').count(), 4);
  assert.deepEqual(await axe(page), []);
  for (const [w, h] of sizes) {
    await page.setViewportSize({ width: w, height: h });
    await shot(page, `densenet121-${w}x${h}`);
  }
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('the theme switches and is remembered', async () => {
  const page = await open('/a/alexnet');
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.locator('[data-theme-toggle]').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.notEqual(await bg(), light);
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.deepEqual(await axe(page), []);
  await shot(page, 'alexnet-dark-1280x800');
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('labels fit their boxes as the browser draws them', async () => {
  for (const id of ['alexnet', 'googlenet', 'resnet50', 'densenet121', 'mobilenet_v2', 'inception_v3']) {
    const page = await open(`/a/${id}?expand=all`);
    const overflow = await page.evaluate(() => {
      const bad = [];
      for (const g of document.querySelectorAll('svg.diagram .box')) {
        const rect = g.querySelector('rect').getBBox();
        for (const t of g.querySelectorAll('text')) {
          const b = t.getBBox();
          if (b.x < rect.x - 0.5 || b.x + b.width > rect.x + rect.width + 0.5) bad.push(t.textContent);
        }
      }
      return bad;
    });
    assert.deepEqual(overflow, [], `${id}: labels overflow their boxes`);
    await page.closeAll();
  }
});

test('stepping through AlexNet: the panel follows the keys, the URL and the highlight follow the panel', async () => {
  const page = await open('/a/alexnet/layer/conv1');
  const panel = page.locator('#layer-panel');
  assert.match(await panel.textContent(), /55×55×96/);
  assert.match(await panel.textContent(), /34,944/);
  assert.match(await panel.textContent(), /⌊\(227 \+ 2·0 − 11\)\/4⌋ \+ 1 = 55/);
  // → steps by drawn box (relu1 is drawn inside conv1's box); Shift+→ by operation.
  await page.keyboard.press('ArrowRight');
  await page.waitForURL(/\/layer\/norm1$/);
  await page.locator('svg.diagram .selected[data-layer="norm1"]').waitFor();
  await page.keyboard.press('Shift+ArrowLeft');
  await page.waitForURL(/\/layer\/relu1$/);
  // relu1 is drawn inside conv1's box.
  await page.locator('svg.diagram .selected[data-layer="conv1"]').waitFor();
  assert.equal(await page.locator('svg.diagram .selected').count(), 1);
  // The last box draws fc8 with the softmax folded in.
  await page.keyboard.press('End');
  await page.waitForURL(/\/layer\/fc8$/);
  await page.keyboard.press('Home');
  await page.waitForURL(/\/layer\/conv1$/);
  await page.locator('#layer-panel[data-layer="conv1"]').waitFor();
  await page.reload();
  assert.equal(await page.locator('#layer-panel').getAttribute('data-layer'), 'conv1');
  // Steps replace the URL; a click on a box is a navigation of its own.
  await page.locator('svg.diagram [data-layer="pool5"] a').click();
  await page.waitForURL(/\/layer\/pool5$/);
  await page.goBack();
  await page.waitForURL(/\/layer\/conv1$/);
  await page.keyboard.press('Escape');
  await page.waitForURL(/\/a\/alexnet$/);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('GoogLeNet: five steps from the stem walk into the first inception module', async () => {
  const page = await open('/a/googlenet');
  const names = await page.evaluate(() => [...document.querySelectorAll('svg.diagram [data-layer]')].map((g) => g.getAttribute('data-layer')));
  const first = names.findIndex((n) => n.includes('inception_3a.'));
  assert.ok(first > 0, 'no inception_3a layer in the diagram');
  // Start at the last layer before the module and step five times.
  await page.goto(page.url().replace(/\/a\/googlenet.*/, '/a/googlenet/layer/' + encodeURIComponent(names[first - 1])));
  for (let i = 0; i < 5; i++) {
    const before = await page.evaluate(() => location.href);
    await page.keyboard.press('ArrowRight');
    // Steps replace the address (history.replaceState): no navigation to wait for.
    await page.waitForFunction((b) => location.href !== b, before);
  }
  assert.match(page.url(), /\/layer\/inception_3\.inception_3a\.b\d\./);
  await page.reload();
  assert.match(await page.locator('#layer-panel').getAttribute('data-layer'), /^inception_3\.inception_3a\.b\d\./);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('ResNet-50: the last stage sees more than the image', async () => {
  const page = await open('/a/resnet50/layer/conv5_x.3.relu3');
  assert.equal(await page.locator('.field-centre').getAttribute('data-outside'), 'true');
  assert.match(await page.locator('#layer-panel .caption').textContent(), /larger than the 224×224 image/);
  await shot(page, 'resnet50-field-1280x800');
  await page.closeAll();
});

test('a layer inside a collapsed stage expands it', async () => {
  const page = await open('/a/resnet152?view=full');
  assert.equal(await page.locator('svg.diagram .box[data-stage="conv4_x"]').count(), 1);
  await page.goto(page.url().replace(/\/a\/resnet152.*/, '/a/resnet152/layer/conv4_x.20.conv2'));
  assert.equal(await page.locator('svg.diagram .box[data-stage="conv4_x"]').count(), 0);
  assert.equal(await page.locator('svg.diagram .selected').getAttribute('data-layer'), 'conv4_x.20.conv2');
  await page.closeAll();
});

test('presentation mode is legible at 1024×768', async () => {
  for (const url of ['/a/alexnet/layer/conv1?present=1', '/a/resnet50?present=1']) {
    const page = await open(url, { width: 1024, height: 768 });
    assert.equal(await page.locator('.site-header').count(), 0);
    // Text as drawn: the font size times the scale of any SVG it sits in. Charts
    // inside the panel are left out (their text scales with the panel).
    const smallest = await page.evaluate(() => {
      let min = Infinity;
      for (const el of document.querySelectorAll('main *')) {
        if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
        if (el.closest('title, .field-picture, .line-chart, .visually-hidden')) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        let size = parseFloat(getComputedStyle(el).fontSize);
        if (el instanceof SVGElement && el.getScreenCTM()) size *= el.getScreenCTM().a;
        min = Math.min(min, size);
      }
      return min;
    });
    assert.ok(smallest >= 18, `${url}: smallest text ${smallest}px`);
    await shot(page, 'present-' + url.split('/')[2] + '-1024x768');
    assert.deepEqual(await page.problems(), []);
    await page.closeAll();
  }
});
