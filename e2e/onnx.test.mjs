import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, stop, open, axe } from './harness.mjs';

before(start);
after(stop);

const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'onnx', 'testdata');
const model = (id) => gunzipSync(readFileSync(path.join(testdata, id + '.onnx.gz')));
// ResNet-18 with its ReLUs renamed to an operator nobody has.
const unknownOp = () => Buffer.from(model('resnet18').toString('latin1').replaceAll('Relu', 'Relx'), 'latin1');

test('an ONNX file chosen on the playground is drawn and analysed, its definition in the editor', async () => {
  const page = await open('/playground');
  await Promise.all([
    page.waitForURL(/\/playground\/onnx$/),
    page.locator('[data-onnx-file]').setInputFiles({ name: 'my_mobilenet.onnx', mimeType: 'application/octet-stream', buffer: model('mobilenet_v3_small') }),
  ]);
  assert.equal(await page.locator('[data-total="params"]').textContent(), '2,542,856');
  assert.equal(await page.locator('[data-total="macs"]').textContent(), '56,510,400');
  const src = await page.locator('#pg-src').inputValue();
  assert.match(src, /^# Imported from my_mobilenet\.onnx\./);
  assert.match(src, /se: \{squeeze: 8, act: relu, gate: hsigmoid\}/);
  assert.ok(await page.locator('#pg-result svg .box').count() > 10);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(await page.problems(), []);
  await page.closeAll();
});

test('an ONNX file dropped on the form is imported; an unsupported one says which node', async () => {
  const page = await open('/playground');
  const drop = async (buf) => {
    const bytes = [...buf];
    const dt = await page.evaluateHandle((b) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], 'dropped.onnx', { type: 'application/octet-stream' }));
      return dt;
    }, bytes);
    await Promise.all([page.waitForLoadState('load'), page.waitForURL(/\/playground\/onnx$/),
      page.locator('[data-onnx-drop]').dispatchEvent('drop', { dataTransfer: dt })]);
  };
  await drop(model('squeezenet1_1'));
  assert.equal(await page.locator('[data-total="params"]').textContent(), '1,235,496');
  await page.goto(page.url().replace(/\/playground\/onnx$/, '/playground'));
  await drop(unknownOp());
  assert.match(await page.locator('#pg-error').textContent(), /unsupported operators: Relx \(node "\/relu\/Relx"\)/);
  await page.closeAll();
});
