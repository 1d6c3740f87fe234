// Min/max of every MatMul input of the fp32 image graph over the calibration tensors
// (onnxruntime-node). usage: node bench/kernels/calibrate.mjs <dir with calib.onnx, calib.f32>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

const dir = process.argv[2];
const names = JSON.parse(readFileSync(join(dir, 'calib-names.json'), 'utf8'));
const s = await ort.InferenceSession.create(join(dir, 'calib.onnx'));
const buf = readFileSync(join(dir, 'calib.f32'));
const x = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
const per = 3 * 224 * 224;
const range = Object.fromEntries(names.map((n) => [n, [Infinity, -Infinity]]));
for (let i = 0; i < x.length / per; i++) {
  const out = await s.run({ pixel_values: new ort.Tensor('float32', x.slice(i * per, (i + 1) * per), [1, 3, 224, 224]) }, names);
  for (const n of names) {
    const r = range[n];
    for (const v of out[n].data) {
      if (v < r[0]) r[0] = v;
      if (v > r[1]) r[1] = v;
    }
  }
}
writeFileSync(join(dir, 'calib.json'), JSON.stringify(range));
console.log(`${names.length} ranges written`);
