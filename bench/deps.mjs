// The benchmark-only packages (bench/package.json: transformers.js, the baseline; `webgpu`, Dawn
// for Node) live in bench/node_modules, installed here on first use, so `npm install` of the app
// does not bring them (about 300 MB). From the same npm registry as the app's packages, with
// install scripts off (nothing else is downloaded); CI runs it through `npm run bench` like anyone.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const BENCH_MODULES = join(BENCH_DIR, 'node_modules');

/** Install bench/node_modules from bench/package-lock.json unless every package is there. */
export function ensureBenchDeps(log = console.log) {
  const need = ['@huggingface/transformers', 'webgpu'];
  if (need.every((p) => existsSync(join(BENCH_MODULES, p, 'package.json')))) return;
  log('installing the benchmark-only packages into bench/node_modules (npm ci, once)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: BENCH_DIR, stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}
