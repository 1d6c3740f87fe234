// Runs ONNX models with onnxruntime-node for the Python toolchain (there is no onnxruntime for
// Python here). Usage: node ort_run.mjs jobs.json
// jobs.json: [{ "model": path, "input": name, "dtype": "float32"|"int64", "shape": [..],
//               "data": raw little-endian input file, "out": file for the float32 output }]
// Prints one JSON line per job: { model, ms } (ms = median of 3 runs after a warm-up).
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const jobs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const job of jobs) {
  const session = await ort.InferenceSession.create(job.model);
  const buf = readFileSync(job.data);
  const data = job.dtype === 'int64'
    ? new BigInt64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8)
    : new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const feeds = { [job.input]: new ort.Tensor(job.dtype, data, job.shape) };
  let result = await session.run(feeds);
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = await session.run(feeds);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const out = result[session.outputNames[0]];
  writeFileSync(job.out, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
  console.log(JSON.stringify({ model: job.model, ms: +times[1].toFixed(1), dims: out.dims }));
  await session.release();
}
