// The benchmark-only packages (bench/deps/package.json: transformers.js, the baseline of
// `npm run bench` and `npm run bench:index`; `webgpu`, Dawn for Node, `npm run bench:gpu`) live in
// bench/deps/node_modules, installed here on first use, so `npm install` of the app does not bring
// them (about 300 MB). From the same npm registry as the app's packages, with install scripts off
// (nothing else is downloaded). A folder of its own: the bench scripts keep resolving the app's own
// onnxruntime-web and onnxruntime-node from the root node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const DEPS = join(dirname(fileURLToPath(import.meta.url)), 'deps');
const MODULES = join(DEPS, 'node_modules');

/** Install bench/deps/node_modules from its lock unless every package is there. */
export function ensureBenchDeps(log = console.log) {
  if (['@huggingface/transformers', 'webgpu'].every((p) => existsSync(join(MODULES, p, 'package.json')))) return;
  log('installing the benchmark-only packages into bench/deps/node_modules (npm ci, once)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: DEPS, stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}

/** Where a bench-only package is (for serving its files or reading its version). */
export function benchPackageDir(name) {
  return join(MODULES, name);
}

/** Load a bench-only CommonJS package such as `webgpu` (installing the bench packages first if needed). */
export function requireBenchPackage(name, log) {
  ensureBenchDeps(log);
  return createRequire(join(DEPS, 'package.json'))(name);
}
