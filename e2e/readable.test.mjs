// Issue 14: every number on screen can be read, as text, and every drawn fact is true.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, axe, shot } from './harness.mjs';

before(start);
after(stop);

/** The text a reader (and a screen reader) gets from an element: what is not aria-hidden. */
const readable = (locator) => locator.evaluate((el) => {
  const walk = (n) => {
    if (n.nodeType === Node.TEXT_NODE) return n.textContent;
    if (n.nodeType !== Node.ELEMENT_NODE || n.getAttribute('aria-hidden') === 'true') return '';
    return [...n.childNodes].map(walk).join('');
  };
  return walk(el).replace(/\s+/g, ' ').trim();
});

test('VGG-16 table: fc1 prints its own 102,764,544 and the stages table the classifier\'s 123,642,856', async () => {
  for (const sort of ['', '&sort=params']) {
    const page = await open('/a/vgg16?view=table' + sort);
    const fc1 = page.locator('#layer-table tr[data-layer="classifier.fc1"]');
    assert.equal(await readable(fc1.locator('td[data-col="params"]')), '102,764,544');
    assert.equal(await readable(fc1.locator('td[data-col="macs"]')), '102,760,448');
    // The running total is labelled as such, and is not the only number on the row.
    assert.equal(await readable(fc1.locator('td[data-col="running-params"]')), '117,479,232');
    assert.match(await readable(page.locator('#layer-table thead')), /running Σ params/);
    const classifier = page.locator('.stages tr[data-stage="classifier"]');
    assert.equal(await readable(classifier.locator('td[data-col="params"]')), '123,642,856');
    assert.equal(await readable(classifier.locator('td[data-col="macs"]')), '123,633,664');
    // The lecture's memory | params table.
    const lecture = page.locator('#lecture-table');
    assert.equal(await readable(lecture.locator('tr[data-layer="classifier.fc1"] td[data-col="weights"]')), '7·7·512·4096 = 102,760,448');
    assert.equal(await readable(lecture.locator('tr[data-layer="conv1.conv1"] td[data-col="memory"]')), '224·224·64 = 3.2M');
    assert.equal(await readable(lecture.locator('tr[data-layer="conv1.conv1"] td[data-col="weights"]')), '3·3·3·64 = 1,728');
    assert.match(await readable(lecture.locator('tfoot')), /15,237,608 values/);
    assert.match(await readable(lecture), /24M × 4 bytes/);
    assert.deepEqual(await axe(page), []);
    if (sort === '') await shot(page, 'vgg16-table-1280x800');
    assert.deepEqual(await page.problems(), []);
    await page.closeAll();
  }
});

const stages = [
  ['googlenet', 'inception_4', 'inception_4: 5 × inception + 2 auxiliary heads', /^7×7×832 · /],
  ['inception_v3', 'mixed_6', 'mixed_6: reduction_b + 4 × inception_c + 1 auxiliary head', /^17×17×768 · /],
  ['nasnet_a_mobile', 'normal_2', 'normal_2: 4 × normal + 1 auxiliary head', /^14×14×528 · /],
];

test('collapsed stages count their main-path blocks and give the main path\'s output', async () => {
  for (const [id, stage, label, out] of stages) {
    const page = await open(`/a/${id}?collapse=${stage}`);
    const box = page.locator(`svg.diagram .box[data-stage="${stage}"]`);
    assert.equal(await box.locator('text.label').textContent(), label, id);
    assert.match(await box.locator('text.detail').textContent(), out, id);
    await page.closeAll();
  }
  // The same boxes on the compare page, where every stage is collapsed.
  const page = await open('/compare?ids=googlenet,inception_v3,nasnet_a_mobile');
  for (const [, stage, label, out] of stages) {
    const box = page.locator(`.box[data-stage="${stage}"]`);
    assert.equal(await box.locator('text.label').textContent(), label, stage);
    assert.match(await box.locator('text.detail').textContent(), out, stage);
  }
  // GoogLeNet has no top-1 accuracy: it is named under the chart, with the reason.
  assert.match(await readable(page.locator('[data-chart="accuracy"] [data-testid="left-out"]')), /GoogLeNet \(Inception v1\) \(only top-5 error published\)/);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('the papers\' names, the input and the concatenations\' outputs are drawn; the legend lists what is drawn', async () => {
  const page = await open('/a/alexnet');
  const labels = await page.locator('svg.diagram text.label').allTextContents();
  for (const name of ['CONV1', 'CONV2', 'CONV3', 'CONV4', 'CONV5', 'FC6', 'FC7', 'FC8']) {
    assert.ok(labels.some((l) => l.startsWith(name + ' · ')), `${name} not drawn: ${labels}`);
  }
  assert.ok(await page.locator('svg.diagram .box-port text.detail', { hasText: '227×227×3' }).count() === 1);
  const legend = await page.locator('.legend li').evaluateAll((lis) => lis.map((li) => li.dataset.kind));
  assert.ok(!legend.includes('dwconv') && !legend.includes('merge'), `AlexNet's legend: ${legend}`);
  await page.closeAll();

  const g = await open('/a/googlenet?expand=all');
  assert.ok(await g.locator('svg.diagram .frame-title', { hasText: 'inception (3a)' }).count() === 1);
  assert.equal(await g.locator('svg.diagram [data-merge="concat"] .join-tags').first().textContent(), '28×28×256');
  await g.closeAll();
});
