import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, stop, open, openFile, axe, shot, binary } from './harness.mjs';

before(start);
after(stop);

test('convatlas notes: one HTML file, three diagrams, a table and math, no request', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'notes-'));
  const md = path.join(dir, 'week3.md');
  writeFileSync(md, [
    '# Week 3', '', 'The output is $\\lfloor (n + 2p - k)/s \\rfloor + 1$.', '',
    '```arch alexnet', '```', '',
    '| network | year |', '|---|---|', '| VGG | 2014 |', '',
    '```arch resnet50 stage=conv3_x dir=lr', '```', '',
    '```arch', 'id: tiny', 'input: {c: 3, h: 32, w: 32}', 'layers: [{conv: {out: 8, k: 3, p: 1}}, relu, {maxpool: 2}, gap, {fc: 10}]', '```', '',
  ].join('\n'));
  const html = path.join(dir, 'week3.html');
  execFileSync(binary, ['notes', md, '-o', html]);
  const page = await openFile(html);
  assert.equal(await page.locator('svg.diagram').count(), 3);
  assert.equal(await page.locator('table').count(), 1);
  assert.equal(await page.locator('math').count(), 1);
  assert.deepEqual(page.requests, []);
  await shot(page, 'notes-file-1280x800');
  await page.closeAll();
});

test('the notes editor previews as you type and keeps the notes', async () => {
  const page = await open('/notes?src=' + encodeURIComponent('# Start\n'));
  await page.locator('#notes-src').fill('# Mine\n\n```arch vgg16\n```\n\n```arch nope\n```\n');
  await page.locator('#notes-preview svg.diagram').waitFor();
  assert.match(await page.locator('#notes-preview .arch-error').textContent(), /no architecture "nope"/);
  assert.match(page.url(), /src=/);
  await page.goto(page.url().replace(/\?.*/, ''));
  assert.match(await page.locator('#notes-src').inputValue(), /# Mine/);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('the notes editor says why it cannot preview notes nested too deeply, then recovers', async () => {
  const page = await open('/notes?src=' + encodeURIComponent('# Start\n'));
  await page.locator('#notes-src').fill('# Deep\n\n' + '- '.repeat(150) + 'x\n');
  await page.locator('#notes-preview .arch-error', { hasText: 'line 3: quotes, lists and indentation nest more than 100 levels deep' }).waitFor();
  await page.locator('#notes-src').fill('# Shallow again\n\n- a\n  - b\n');
  await page.locator('#notes-preview h1', { hasText: 'Shallow again' }).waitFor();
  assert.equal(await page.locator('#notes-preview .arch-error').count(), 0);
  // The refusal is a 422, which the browser logs; nothing else may go wrong.
  assert.deepEqual((await page.problems()).filter((p) => !/HTTP 422 .*\/notes\/preview$|status of 422 \(Unprocessable Entity\)/.test(p)), []);
  await page.closeAll();
});

test('a diagram downloads as SVG and as a PNG at twice its size, and offers its embed code', async () => {
  const page = await open('/a/alexnet');
  const svgWidth = await page.evaluate(() => document.querySelector('svg.diagram').width.baseVal.value);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-png]').click()]);
  assert.equal(download.suggestedFilename(), 'alexnet.png');
  const file = await download.path();
  const { readFileSync } = await import('node:fs');
  const png = readFileSync(file);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.equal(png.readUInt32BE(16), Math.round(svgWidth * 2));
  await page.locator('.embed-code summary').click();
  const snippets = await page.locator('.embed-code textarea').evaluateAll((els) => els.map((e) => e.value));
  assert.match(snippets[0], /^<img src="http:\/\/127\.0\.0\.1:\d+\/embed\/alexnet\.svg" alt="AlexNet block diagram">$/);
  assert.match(snippets[2], /^!\[AlexNet block diagram\]\(http/);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});
