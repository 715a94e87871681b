import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, axe, shot } from './harness.mjs';

before(start);
after(stop);

// What the browser draws of the two timelines: the smallest text on screen, the flags'
// boxes as rendered, and whether the page itself overflows the viewport.
async function measure(page) {
  return page.evaluate(() => {
    const out = { minPx: Infinity, minText: '', flags: [], dots: 0, pageOverflow: document.documentElement.scrollWidth > window.innerWidth };
    for (const svg of document.querySelectorAll('.timeline svg')) {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      for (const t of svg.querySelectorAll('text')) {
        const px = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (px < out.minPx) { out.minPx = px; out.minText = t.textContent; }
      }
    }
    const chart = document.querySelector('[data-testid="accuracy-timeline"] svg');
    for (const a of chart.querySelectorAll('a[data-net]')) {
      const r = a.querySelector('text.flag').getBoundingClientRect();
      out.flags.push({ id: a.dataset.net, x: r.x, y: r.y, w: r.width, h: r.height });
      out.dots++;
    }
    return out;
  });
}

test('the accuracy timeline charts the networks since 2018, legibly, on a phone and a laptop', async () => {
  for (const [w, h] of [[390, 844], [1024, 768], [1440, 900]]) {
    const page = await open('/', { width: w, height: h });
    const m = await measure(page);
    assert.ok(m.dots >= 40, `${w}: only ${m.dots} networks on the accuracy timeline`);
    for (const id of ['efficientnet_b0', 'mobilenet_v3_large', 'mobilenet_v3_small', 'mnasnet1_0', 'regnet_x_400mf', 'regnet_y_400mf', 'convnext_tiny']) {
      assert.ok(m.flags.some((f) => f.id === id), `${w}: ${id} is not on the timeline`);
    }
    assert.ok(m.minPx >= 11, `${w}: "${m.minText}" is drawn at ${m.minPx.toFixed(1)} px`);
    assert.ok(!m.pageOverflow, `${w}: the page scrolls sideways`);
    // The layout measures text with diagram.TextWidth; what the browser renders must
    // not collide either.
    for (let i = 0; i < m.flags.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = m.flags[i], b = m.flags[j];
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h - 2 && b.y < a.y + a.h - 2;
        assert.ok(!overlap, `${w}: the flags of ${a.id} and ${b.id} overlap`);
      }
    }
    assert.deepEqual(await axe(page), []);
    await shot(page, `timeline-${w}x${h}`);
    assert.deepEqual(await page.problems(), []);
    await page.closeAll();
  }
});

test('in presentation mode the accuracy timeline is laid out with larger text', async () => {
  // The project's standard for presentation mode at 1024×768 is 18 px; a projector of
  // 1280 px and more gets 24 px.
  for (const [w, h, least] of [[1024, 768, 18], [1280, 720, 24]]) {
    const page = await open('/?present=1', { width: w, height: h });
    const m = await measure(page);
    assert.ok(m.minPx >= least, `${w}: "${m.minText}" is drawn at ${m.minPx.toFixed(1)} px`);
    await shot(page, `timeline-present-${w}x${h}`);
    assert.deepEqual(await page.problems(), []);
    await page.closeAll();
  }
});
