// A page that fits the room: nothing scrolls sideways on a phone or a projector,
// presentation mode shows the figures large and the diagram around the selection, the
// arrow keys step box by box without losing a press, and search finds networks and
// layers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, shot } from './harness.mjs';

let base;
before(async () => { base = await start(); });
after(stop);

const sizes = [[1024, 768], [1280, 720], [1440, 900], [390, 844]];

test('nothing overflows the viewport horizontally', async () => {
  const pages = ['/', '/a/alexnet', '/a/googlenet/layer/inception_3.inception_3a.b2.conv1', '/a/resnet50?view=table',
    '/a/alexnet/layer/conv1?present=1', '/a/vgg16?view=volumes', '/compare?ids=vgg16,googlenet,resnet50', '/concepts/', '/playground', '/a/resnet51'];
  for (const [width, height] of sizes) {
    const page = await open('/', { width, height });
    for (const url of pages) {
      await page.goto(base + url);
      const wide = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        view: document.documentElement.clientWidth,
        // What sticks out, to say where.
        culprits: [...document.querySelectorAll('body *')].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.right > document.documentElement.clientWidth + 1 && !el.closest('.table-wrap, .diagram-scroll, .side, .layer-find-results ul, .arch-figure');
        }).slice(0, 3).map((el) => el.tagName + '.' + el.className)
      }));
      assert.ok(wide.scroll <= wide.view, `${url} at ${width}×${height}: scrollWidth ${wide.scroll} > ${wide.view} (${wide.culprits.join(', ')})`);
      if (width === 390 && url === '/a/alexnet') await shot(page, 'room-alexnet-390x844');
    }
    await page.closeAll();
  }
});

/** The font size as drawn, and whether the element lies inside the viewport. */
async function seen(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return {
      text: el.textContent,
      size: parseFloat(getComputedStyle(el).fontSize),
      inside: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.width > 0,
    };
  });
}

test('presentation mode fits a projector: the whole inception module, CONV1\'s figures at 24 px', async () => {
  for (const [width, height] of [[1024, 768], [1280, 720]]) {
    const page = await open('/a/alexnet/layer/conv1?present=1', { width, height });
    for (const sel of ['[data-figure="params"] dd.value', '[data-figure="params"] dd.formula', '[data-figure="rf"] dd.value', '[data-figure="rf"] dd.formula',
      '[data-figure="out"] dd.formula', '[data-figure="macs"] dd.formula', '[data-figure="memory"] dd.formula']) {
      const s = await seen(page, '#layer-panel ' + sel);
      assert.ok(s.inside, `${width}×${height}: ${sel} (${s.text}) is not inside the viewport`);
      assert.ok(s.size >= 24, `${width}×${height}: ${sel} is ${s.size}px`);
    }
    assert.match((await seen(page, '#layer-panel [data-figure="params"] dd.value')).text, /^34,944$/);
    assert.match((await seen(page, '#layer-panel [data-figure="rf"] dd.value')).text, /^11, jump 4$/);
    // No chrome for downloads or embedding; a way out that can be seen.
    assert.equal(await page.locator('[data-png], .embed-code, [data-action="svg"], .site-header').count(), 0);
    assert.ok(await page.locator('[data-present-toggle]').isVisible());
    assert.ok(await page.locator('.present-hint').isVisible());
    assert.ok(await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1), 'the page scrolls');
    await shot(page, `room-present-alexnet-${width}x${height}`);
    // Esc leaves presentation mode at the same layer.
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/a\/alexnet\/layer\/conv1$/);
    assert.equal(await page.locator('html.present').count(), 0);
    await page.closeAll();

    const g = await open('/a/googlenet/layer/inception_3.inception_3a.b2.conv1?present=1', { width, height });
    await g.locator('svg.diagram .selected').waitFor();
    await g.waitForFunction(() => document.querySelector('[data-zoom-level]').textContent !== '100%');
    const module = await g.evaluate(() => {
      const sel = document.querySelector('svg.diagram .selected').getBoundingClientRect();
      const box = document.querySelector('.diagram-scroll').getBoundingClientRect();
      // The innermost frame around the selected box is its inception module.
      let best = null;
      for (const r of document.querySelectorAll('svg.diagram g.frame > rect')) {
        const f = r.getBoundingClientRect();
        if (f.left <= sel.left && f.right >= sel.right && f.top <= sel.top && f.bottom >= sel.bottom && (!best || f.width * f.height < best.width * best.height)) best = f;
      }
      return { left: best.left, right: best.right, width: best.width, box: { left: box.left, right: box.right }, sel: { top: sel.top, bottom: sel.bottom }, innerWidth, innerHeight };
    });
    assert.ok(module.width > 100, `${width}×${height}: the module is ${module.width}px wide`);
    assert.ok(module.left >= module.box.left - 1 && module.right <= module.box.right + 1 && module.right <= module.innerWidth,
      `${width}×${height}: the module spans ${module.left}–${module.right}, the diagram shows ${module.box.left}–${module.box.right}`);
    assert.ok(module.sel.top >= 0 && module.sel.bottom <= module.innerHeight, `${width}×${height}: the selected box is out of sight`);
    await shot(g, `room-present-googlenet-${width}x${height}`);
    assert.deepEqual(await g.problems(), []);
    await g.closeAll();
  }
});

/** The drawn boxes and joins in the order the network runs them. */
function boxOrder(page) {
  return page.evaluate(() => [...document.querySelectorAll('svg.diagram [data-layer]')]
    .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index)).map((g) => g.dataset.layer));
}

test('→ moves the highlight to the next box every time; Shift+→ walks the operations inside', async () => {
  const page = await open('/a/alexnet/layer/conv1');
  const boxes = await boxOrder(page);
  assert.equal(boxes[0], 'conv1');
  for (let i = 1; i < boxes.length; i++) {
    await page.keyboard.press('ArrowRight');
    await page.locator(`svg.diagram .selected[data-layer="${boxes[i]}"]`).waitFor({ timeout: 2000 });
    assert.equal(await page.locator('svg.diagram .selected').count(), 1);
  }
  await page.waitForURL(new RegExp('/layer/' + boxes.at(-1) + '$'));
  await page.locator(`#layer-panel[data-layer="${boxes.at(-1)}"]`).waitFor();
  // Home, then Shift+→ steps into conv1's box: its ReLU.
  await page.keyboard.press('Home');
  await page.locator('#layer-panel[data-layer="conv1"]').waitFor();
  await page.keyboard.press('Shift+ArrowRight');
  await page.locator('#layer-panel[data-layer="relu1"]').waitFor();
  assert.equal(await page.locator('svg.diagram .selected').getAttribute('data-layer'), 'conv1');
  await page.keyboard.press('ArrowRight');
  await page.locator('#layer-panel[data-layer="norm1"]').waitFor();
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('ten fast presses advance ten boxes, the URL is replaced, and the selection stays in view', async () => {
  // Every block drawn, so that the boxes' order is the steps' (one block per run, the
  // default, expands a stage when a step enters it: blocks.test.mjs).
  const page = await open('/a/resnet50/layer/conv1.conv1?view=full', { width: 1024, height: 768 });
  const boxes = await boxOrder(page);
  const entries = await page.evaluate(() => history.length);
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight', { delay: 5 }), await page.waitForTimeout(25);
  await page.locator(`#layer-panel[data-layer="${boxes[10]}"]`).waitFor();
  assert.equal(await page.locator('svg.diagram .selected').getAttribute('data-layer'), boxes[10]);
  assert.match(page.url(), new RegExp('/layer/' + boxes[10].replaceAll('.', '\\.') + '\\?view=full$'));
  assert.equal(await page.evaluate(() => history.length), entries, 'steps pushed history entries');
  const inView = await page.evaluate(() => {
    const s = document.querySelector('svg.diagram .selected').getBoundingClientRect();
    const b = document.querySelector('.diagram-scroll').getBoundingClientRect();
    return s.top >= b.top && s.bottom <= b.bottom && s.left >= b.left && s.right <= b.right;
  });
  assert.ok(inView, 'the selected box is scrolled out of the diagram');
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('search finds resnet50 from "res 50", on the atlas and in the compare chooser, and a layer by name', async () => {
  const atlas = await open('/');
  await atlas.keyboard.press('/');
  assert.equal(await atlas.evaluate(() => document.activeElement.id), 'network-q');
  await atlas.keyboard.type('res 50');
  await atlas.locator('.card[data-arch="resnet50"]').waitFor();
  assert.ok(await atlas.locator('.card[data-arch="resnet50"]').isVisible());
  assert.ok(!(await atlas.locator('.card[data-arch="vgg16"]').isVisible()));
  await atlas.closeAll();
  // Without a script the atlas filters on the server.
  const served = await open('/?q=res+50');
  assert.ok(await served.locator('.card[data-arch="resnet50"]').count() === 1);
  assert.equal(await served.locator('.card[data-arch="alexnet"]').count(), 0);
  await served.closeAll();

  const compare = await open('/compare?ids=vgg16');
  await compare.keyboard.press('/');
  await compare.keyboard.type('res 50');
  assert.ok(await compare.locator('.chooser-list li:has(input[value="resnet50"])').isVisible());
  assert.ok(!(await compare.locator('.chooser-list li:has(input[value="alexnet"])').isVisible()));
  await compare.closeAll();

  const net = await open('/a/resnet50');
  await net.keyboard.press('/');
  await net.keyboard.type('conv4_x.3.conv2');
  const hit = net.locator('[data-layer-hit="conv4_x.3.conv2"]');
  await hit.waitFor();
  await hit.click();
  await net.locator('#layer-panel[data-layer="conv4_x.3.conv2"]').waitFor();
  await net.locator('svg.diagram .selected[data-layer="conv4_x.3.conv2"]').waitFor();
  assert.deepEqual(await net.problems(), []);
  await net.closeAll();

  const missing = await open('/a/resnet51');
  assert.equal(await missing.locator('[data-suggestion="resnet50"]').count(), 1);
  await missing.closeAll();
});
