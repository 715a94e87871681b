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
  const page = await open('/a/resnet152');
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
