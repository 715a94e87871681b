import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, stop, open, openFile, axe, shot, binary, shotsDir } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

before(start);
after(stop);

// What a step's view must contain, read from the name it gives itself (data-view):
// "alexnet layer conv1", "resnet50 stage conv2_x layer conv2_x.2.conv2",
// "concept inception", "chart accuracy".
async function checkView(page, n) {
  const step = page.locator('#tour-step');
  assert.equal(await step.getAttribute('data-step'), String(n));
  const name = await step.getAttribute('data-view');
  const words = name.split(' ');
  const view = page.locator('[data-testid="tour-view"]');
  if (words[0] === 'concept') {
    await view.locator('#calc-results').waitFor();
    assert.match(await view.locator('.tour-more a').getAttribute('href'), new RegExp('^/concepts/' + words[1] + '(\\?|$)'), name);
  } else if (words[0] === 'chart') {
    const img = view.locator('img.tour-chart');
    assert.match(await img.getAttribute('src'), new RegExp('^/embed/chart/' + words[1] + '\\.svg\\?ids='), name);
    await page.waitForFunction(() => document.querySelector('img.tour-chart').complete);
    assert.ok(await img.evaluate((i) => i.naturalWidth > 0), name + ': the chart did not load');
  } else {
    const id = words[0];
    assert.ok(await view.locator('.tour-diagram svg.diagram').count() === 1, name);
    assert.match(await view.locator('.tour-more a').getAttribute('href'), new RegExp('^/a/' + id + '(/|\\?|$)'), name);
    const stage = words.indexOf('stage');
    if (stage > 0) {
      const s = words[stage + 1];
      // Only the stage is drawn: every layer of the diagram belongs to it.
      const layers = await view.locator('.tour-diagram [data-layer]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-layer')));
      assert.ok(layers.length > 0, name);
      for (const l of layers) assert.ok(l.startsWith(s + '.'), `${name}: ${l} is not in stage ${s}`);
    }
    const layer = words.indexOf('layer');
    if (layer > 0) {
      const l = words[layer + 1];
      const selected = await view.locator('.tour-diagram .selected').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-layer')));
      assert.deepEqual(selected, [l], name);
      // The layer's figures, unless the step asks for them.
      const asks = await page.locator('.tour-text .question').count();
      assert.equal(await page.locator('[data-testid="tour-layer"]').count(), asks ? 0 : 1, name);
    }
  }
  return name;
}

// The step fits the screen: nothing wider than the window, the step (its way on
// included) inside it, and its text not cut.
async function checkFits(page, name) {
  const m = await page.evaluate(() => {
    const s = document.getElementById('tour-step').getBoundingClientRect();
    const nav = document.querySelector('.tour-nav').getBoundingClientRect();
    const text = document.querySelector('.tour-text');
    const calc = document.querySelector('.tour-calc');
    return { bottom: s.bottom, right: s.right, nav: nav.bottom, sw: document.documentElement.scrollWidth, iw: innerWidth, ih: innerHeight,
      textOver: text.scrollHeight - text.clientHeight, calcOver: calc ? Math.max(calc.scrollWidth - calc.clientWidth, calc.scrollHeight - calc.clientHeight) : 0 };
  });
  assert.ok(m.sw <= m.iw, `${name}: the page is ${m.sw}px wide in a ${m.iw}px window`);
  assert.ok(m.right <= m.iw && m.bottom <= m.ih + 1 && m.nav <= m.ih, `${name}: the step ends at ${m.right}×${m.bottom}, outside ${m.iw}×${m.ih}`);
  assert.ok(m.textOver <= 2, `${name}: the text is cut by ${m.textOver}px`);
  assert.ok(m.calcOver <= 2, `${name}: the calculator is cut by ${m.calcOver}px`);
}

test('the lecture tour, walked with the keyboard at 1024×768: every step shows what it names, and fits', async () => {
  const page = await open('/tour/lecture9/1', { width: 1024, height: 768 });
  const count = Number((await page.locator('[data-testid="tour-count"]').textContent()).match(/of (\d+)/)[1]);
  assert.ok(count >= 20, `${count} steps`);
  const seen = [];
  for (let n = 1; n <= count; n++) {
    const name = await checkView(page, n);
    await checkFits(page, name);
    seen.push(name);
    if (n === 4 || n === 13 || n === 20 || n === 28) await shot(page, `tour-step${n}-1024x768`);
    if (n < count) {
      await Promise.all([page.waitForURL(new RegExp(`/tour/lecture9/${n + 1}$`)), page.keyboard.press('ArrowRight')]);
    }
  }
  // The lecture's order: transfer learning first, NASNet last, the networks between.
  assert.match(seen[0], /^concept transfer/);
  assert.match(seen[count - 1], /^nasnet_a_mobile/);
  for (const id of ['lenet5', 'alexnet', 'zfnet', 'vgg16', 'googlenet', 'resnet50', 'se_resnet50', 'nin', 'preact_resnet164', 'wrn28_10', 'resnext50_32x4d', 'fractalnet', 'densenet121', 'mobilenet_v1', 'shufflenet_v1']) {
    assert.ok(seen.some((s) => s.startsWith(id + ' ') || s === id), id + ' has no step');
  }
  // ← goes back.
  await Promise.all([page.waitForURL(new RegExp(`/tour/lecture9/${count - 1}$`)), page.keyboard.press('ArrowLeft')]);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('presentation mode: p, then the arrows keep it, and every step still fits', async () => {
  const page = await open('/tour/lecture9/1', { width: 1024, height: 768 });
  await Promise.all([page.waitForURL(/present=1/), page.keyboard.press('p')]);
  assert.equal(await page.locator('html.present').count(), 1);
  const count = Number(await page.locator('.tour-bar').getAttribute('data-count'));
  for (let n = 1; n <= count; n++) {
    const name = await checkView(page, n);
    await checkFits(page, 'presented ' + name);
    if (n === 4 || n === 14) await shot(page, `tour-present-step${n}-1024x768`);
    if (n < count) await Promise.all([page.waitForURL(new RegExp(`/tour/lecture9/${n + 1}\\?present=1$`)), page.keyboard.press('ArrowRight')]);
  }
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('AlexNet CONV1: wrong answers say which step differs, right ones show the formula; progress stays in the browser', async () => {
  const page = await open('/tour/lecture9/4', { width: 1024, height: 768 });
  const answer = page.locator('#a0');
  const verdict = page.locator('#v0');
  // Typing an arrow in the answer must not leave the step.
  await answer.fill('54x54x96');
  await answer.press('ArrowLeft');
  assert.match(page.url(), /\/tour\/lecture9\/4$/);
  await page.locator('#q0 button').click();
  await verdict.locator('[data-testid="mistake"]').waitFor();
  assert.equal(await verdict.getAttribute('data-state'), 'wrong');
  assert.match(await verdict.textContent(), /224/);
  await answer.fill('96×55×55');
  await page.locator('#q0 button').click();
  await page.locator('#v0[data-state="right"]').waitFor();
  assert.match(await page.locator('#v0').textContent(), /⌊\(227 \+ 2·0 − 11\)\/4⌋ \+ 1 = 55/);
  await shot(page, 'tour-answer-1024x768');

  await Promise.all([page.waitForURL(/\/tour\/lecture9\/5$/), page.keyboard.press('ArrowRight')]);
  await page.locator('#a0').fill('34848');
  await page.locator('#q0 button').click();
  await page.locator('#v0[data-state="wrong"]').waitFor();
  assert.match(await page.locator('#v0 [data-testid="mistake"]').textContent(), /bias/);
  await page.locator('#a0').fill('nonsense');
  await page.locator('#q0 button').click();
  await page.locator('#v0[data-state="invalid"]').waitFor();
  assert.match(await page.locator('#v0').textContent(), /not a number/);
  await page.locator('#a0').fill('34,944');
  await page.locator('#q0 button').click();
  await page.locator('#v0[data-state="right"]').waitFor();
  assert.match(await page.locator('#v0').textContent(), /11·11·3·96 \+ 96 = 34,944/);

  // The answers come back from this browser's storage on reload.
  await page.reload();
  assert.equal(await page.locator('#a0').inputValue(), '34,944');
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('the lecture worksheet without JavaScript: the form comes back checked', async () => {
  const page = await open('/tour/', { width: 1024, height: 768 });
  await Promise.all([page.waitForURL(/\/exercises\?/), page.locator('[data-testid="lecture-worksheet"]').click()]);
  const url = page.url();
  await page.closeAll();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 768 } });
  const p = await ctx.newPage();
  await p.goto(url);
  assert.ok(await p.locator('.question').count() >= 10);
  await p.locator('#a0').fill('55x55x96');
  await p.locator('#a1').fill('34944');
  await p.locator('#a2').fill('210830400');
  await Promise.all([p.waitForURL(/check=/), p.locator('#q0 button').click()]);
  assert.equal(await p.locator('#v0').getAttribute('data-state'), 'right');
  assert.equal(await p.locator('#v1').getAttribute('data-state'), 'right');
  assert.equal(await p.locator('#v2').getAttribute('data-state'), 'wrong');
  assert.match(await p.locator('#v2').textContent(), /FLOPs/);
  assert.equal(await p.locator('#v3').getAttribute('data-state'), 'open');
  await p.screenshot({ path: path.join(shotsDir, 'worksheet-nojs-1024x768.png'), fullPage: true });
  await browser.close();
});

test('every network page links to exercises on its layers, and the atlas to the tours', async () => {
  const page = await open('/a/vgg16', { width: 1280, height: 800 });
  await Promise.all([page.waitForURL(/\/exercises\/make\?net=vgg16/), page.locator('[data-testid="arch-exercises"]').click()]);
  await page.locator('input[name="layer"][value="conv1.conv1"]').check();
  await Promise.all([page.waitForURL(/\/exercises\?q=/), page.locator('.worksheet-builder button[type="submit"]:not([name])').click()]);
  assert.equal(await page.locator('.question').count(), 2);
  await page.goto(page.url().replace(/\/exercises.*/, '/'));
  await Promise.all([page.waitForURL(/\/tour\/$/), page.locator('nav a[href="/tour/"]').click()]);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('the static export: the tour works offline with the keys, and shows the worked answers', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'export-'));
  execFileSync(binary, ['export', dir]);
  const page = await openFile(path.join(dir, 'tour/lecture9/4.html'));
  assert.equal(await page.locator('#tour-step').getAttribute('data-view'), 'alexnet layer conv1');
  await Promise.all([page.waitForURL(/\/tour\/lecture9\/5\.html$/), page.keyboard.press('ArrowRight')]);
  await page.locator('#q0 details summary').click();
  assert.match(await page.locator('#q0 details').textContent(), /11·11·3·96 \+ 96 = 34,944/);
  assert.deepEqual(page.requests.filter((u) => !u.startsWith('file://')), []);
  await page.closeAll();
});
