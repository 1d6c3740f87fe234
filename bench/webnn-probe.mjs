// Does this machine's Chromium offer WebNN? A secure context (http://127.0.0.1, cross-origin
// isolated like the app), headless Chromium as the benches start it, without and with
// `--enable-features=WebMachineLearningNeuralNetwork`: is `navigator.ml` there, and what does
// `navigator.ml.createContext()` answer for the default and each device type. Prints JSON.
// usage: BENCH_PORT=4360 node bench/webnn-probe.mjs
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { launch } from './browser.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4360);
const server = createServer((req, res) => {
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  res.setHeader('Content-Type', 'text/html');
  res.end('<!doctype html><title>webnn probe</title>');
});
await new Promise((r) => server.listen(PORT, '127.0.0.1', r));

async function probe(args) {
  const { ctx, dir, page } = await launch(() => undefined, { args });
  try {
    await page.goto(`http://127.0.0.1:${PORT}/`);
    return await page.evaluate(async () => {
      const out = { userAgent: navigator.userAgent, isSecureContext, crossOriginIsolated, ml: typeof navigator.ml, contexts: {} };
      if (!navigator.ml) return out;
      for (const opts of [undefined, { deviceType: 'cpu' }, { deviceType: 'gpu' }, { deviceType: 'npu' }, { powerPreference: 'low-power' }]) {
        const key = opts ? JSON.stringify(opts) : 'default';
        try {
          const c = await navigator.ml.createContext(opts);
          out.contexts[key] = { ok: true, opSupportLimits: typeof c.opSupportLimits === 'function' ? Object.keys(c.opSupportLimits()).length : null };
        } catch (e) {
          out.contexts[key] = { ok: false, error: `${e.name}: ${e.message}` };
        }
      }
      return out;
    });
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const result = {
  date: new Date().toISOString(),
  default: await probe([]),
  withFeature: await probe(['--enable-features=WebMachineLearningNeuralNetwork']),
  withFeatureAndExperimental: await probe(['--enable-features=WebMachineLearningNeuralNetwork', '--enable-experimental-web-platform-features']),
};
server.close();
console.log(JSON.stringify(result, null, 1));
