// Tensor volumes as the browser draws them: with the real font, no two lines of text
// overlap and none lies on a volume, text is at least 11 px, in the page and in the
// standalone SVG of downloads and embeds; a branching network has its main path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, axe, shot } from './harness.mjs';

let base;
before(async () => { base = await start(); });
after(stop);

const networks = ['alexnet', 'vgg16', 'resnet50', 'googlenet', 'densenet121', 'lenet5', 'nasnet_a_mobile', 'unet'];

/** Text boxes and volume boxes of the volumes drawn in svg, in its own units. */
function measure(svg) {
  const boxes = (sel) => [...svg.querySelectorAll(sel)].map((el) => {
    const b = el.getBBox();
    return { what: (el.closest('.volume')?.dataset.layer || '') + ' ' + (el.textContent || el.getAttribute('class')), x: b.x, y: b.y, w: b.width, h: b.height, size: parseFloat(getComputedStyle(el).fontSize) };
  });
  const texts = boxes('.volume text');
  const bodies = [...svg.querySelectorAll('.volume')].map((g) => {
    const parts = [...g.querySelectorAll('polygon.volume-top, polygon.volume-side, rect.volume-front')].map((el) => el.getBBox());
    const x = Math.min(...parts.map((b) => b.x)), y = Math.min(...parts.map((b) => b.y));
    return { what: g.dataset.layer, x, y, w: Math.max(...parts.map((b) => b.x + b.width)) - x, h: Math.max(...parts.map((b) => b.y + b.height)) - y };
  });
  const meet = (a, b) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
  const clashes = [];
  texts.forEach((a, i) => {
    texts.slice(i + 1).forEach((b) => { if (meet(a, b)) clashes.push(`"${a.what}" on "${b.what}"`); });
    bodies.forEach((b) => { if (meet(a, b)) clashes.push(`"${a.what}" on the volume of ${b.what}`); });
  });
  return { clashes, smallest: Math.min(...texts.map((t) => t.size)), volumes: bodies.length, names: texts.map((t) => t.what) };
}

test('the page draws every network\'s volumes without collisions, text at 11 px or more', async () => {
  for (const [width, height] of [[1440, 900], [390, 844]]) {
    const page = await open('/', { width, height });
    for (const id of networks) {
      await page.goto(base + '/a/' + id + '?view=volumes');
      const m = await page.locator('svg.volumes-svg').evaluate(measure);
      assert.deepEqual(m.clashes, [], `${id} at ${width}×${height}`);
      assert.ok(m.smallest >= 11, `${id}: text at ${m.smallest}px`);
      assert.ok(m.volumes >= 5, `${id}: ${m.volumes} volumes`);
      const caption = await page.locator('[data-testid="volumes-caption"]').textContent();
      assert.match(caption, /Height is the map's side (on a log scale|to scale, linear)/, id);
      if (id !== 'alexnet') assert.doesNotMatch(caption, /GPU|AlexNet/, id);
      if (width === 390 && id === 'resnet50') await shot(page, 'volumes-resnet50-390x844');
    }
    assert.deepEqual(await page.problems(), []);
    await page.closeAll();
  }
  const page = await open('/a/resnet50?view=volumes');
  assert.deepEqual(await axe(page), []);
  const labels = await page.locator('svg.volumes-svg text.volume-label').allTextContents();
  for (const want of ['bottleneck ×3', 'bottleneck ×4', 'bottleneck ×6']) assert.ok(labels.includes(want), `ResNet-50 lacks ${want}: ${labels}`);
  await page.closeAll();
});

test('the standalone SVG (download, embed) carries the caption and collides nowhere', async () => {
  const page = await open('/');
  for (const id of networks) {
    await page.goto(base + '/embed/' + id + '.svg?view=volumes');
    const m = await page.locator('svg').first().evaluate(measure);
    assert.deepEqual(m.clashes, [], id);
    assert.ok(m.smallest >= 11, `${id}: text at ${m.smallest}px`);
    const caption = await page.locator('.volume-caption').textContent();
    assert.match(caption, /Length is the number of channels/, id);
    // The caption's lines stay inside the drawing.
    const inside = await page.locator('svg').first().evaluate((svg) => {
      const vb = svg.viewBox.baseVal;
      return [...svg.querySelectorAll('.volume-caption text')].every((t) => { const b = t.getBBox(); return b.x >= 0 && b.x + b.width <= vb.width && b.y + b.height <= vb.height; });
    });
    assert.ok(inside, `${id}: a caption line leaves the drawing`);
  }
  await page.closeAll();
});
