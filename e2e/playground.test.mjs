import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, axe, shot } from './harness.mjs';

before(start);
after(stop);

const start_ = `id: mynet
name: My network
input: {c: 3, h: 32, w: 32}
layers:
  - conv: {out: 16, k: 3, p: 1}
  - relu
  - branch:
      merge: concat
      paths:
        - [{conv: {out: 16, k: 1}}]
        - [{conv: {out: 16, k: 3, p: 1}}]
  - gap
  - fc: 10
`;

test('the playground redraws as you type, and keeps the last good diagram through a typo', async () => {
  const page = await open('/playground');
  const area = page.locator('#pg-src');
  await area.fill(start_);
  await page.locator('#pg-result [data-merge="concat"]').waitFor();
  const params = () => page.locator('[data-total="params"]').textContent();
  const before = await params();
  assert.equal(await page.locator('#pg-result .box[data-layer]').count(), 5);
  // Add an inception branch: a third path with a 5×5 convolution.
  await area.fill(start_.replace("        - [{conv: {out: 16, k: 3, p: 1}}]\n", "        - [{conv: {out: 16, k: 3, p: 1}}]\n        - [{conv: {out: 8, k: 1}}, {conv: {out: 8, k: 5, p: 2}}]\n"));
  await page.waitForFunction((b) => document.querySelector('[data-total="params"]').textContent !== b, before);
  assert.equal(await page.locator('#pg-result .box[data-layer]').count(), 7);
  // A typo: the error names line and column, the line is marked, the diagram stays greyed.
  await area.fill(start_.replace('k: 1}', 'k: 1').replace('gap', 'gapp'));
  await page.locator('#pg-error:not(:empty)').waitFor();
  assert.match(await page.locator('#pg-error').textContent(), /Line \d+, column \d+/);
  await page.locator('.pg-gutter mark').waitFor();
  assert.equal(await page.locator('#pg-result.stale').count(), 1);
  assert.equal(await page.locator('#pg-result .box[data-layer]').count(), 7);
  await shot(page, 'playground-error-1280x800');
  await area.fill(start_);
  await page.waitForFunction(() => !document.querySelector('#pg-error').textContent.trim());
  assert.equal(await page.locator('#pg-result.stale').count(), 0);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('a share link opens the playground in the same state', async () => {
  const page = await open('/playground?from=alexnet');
  await page.locator('[data-share]').click();
  await page.waitForURL(/def=/);
  const link = page.url();
  const page2 = await open(link.replace(/^https?:\/\/[^/]+/, ''));
  assert.equal(await page2.locator('#pg-src').inputValue(), await page.locator('#pg-src').inputValue());
  assert.equal(await page2.locator('[data-total="params"]').textContent(), '60,965,224');
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
  await page2.closeAll();
});
