import { cpSync, createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';

/**
 * Model bundles live in public/models/<id>/ but can be gigabytes (the full-size fixture), so they
 * are not copied into dist/ and never reach the service worker's precache. This plugin serves
 * /models/** straight from public/models in `vite` and `vite preview`, and copies the rest of
 * public/ into dist/ at build time.
 */
/** The bundles served here (`/models/index.json`): every folder with a readable manifest.json. */
export interface ServedBundle {
  baseUrl: string;
  id: string;
  name: string;
  demo: boolean;
  /** Sum of the manifest's files. */
  bytes: number;
}

export function servedIndex(modelsDir: string): { bundles: ServedBundle[] } {
  const bundles: ServedBundle[] = [];
  if (!existsSync(modelsDir)) return { bundles };
  for (const dir of readdirSync(modelsDir).sort()) {
    const file = join(modelsDir, dir, 'manifest.json');
    if (!existsSync(file)) continue;
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as { id: string; name: string; demo: boolean; files: Record<string, { bytes: number }> };
      if (m.id !== dir) continue;
      const bytes = Object.values(m.files).reduce((n, f) => n + f.bytes, 0);
      bundles.push({ baseUrl: `/models/${dir}`, id: m.id, name: m.name, demo: m.demo, bytes });
    } catch {
      // Not a readable bundle: not offered.
    }
  }
  return { bundles };
}

export function modelsPlugin(root = process.cwd()): Plugin {
  const publicDir = resolve(root, 'public');
  const modelsDir = join(publicDir, 'models');
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith('/models/')) return next();
    const rel = decodeURIComponent(url.pathname.slice('/models/'.length));
    if (rel === 'index.json') {
      const body = JSON.stringify(servedIndex(modelsDir));
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-cache');
      res.end(body);
      return;
    }
    const file = normalize(join(modelsDir, rel));
    if (!file.startsWith(modelsDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', String(statSync(file).size));
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'dermlip-models',
    config: () => ({ publicDir: false, build: { copyPublicDir: false } }),
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
    writeBundle(options) {
      const out = options.dir ?? resolve(root, 'dist');
      if (!existsSync(publicDir)) return;
      for (const entry of readdirSync(publicDir)) {
        if (entry === 'models') continue;
        cpSync(join(publicDir, entry), join(out, entry), { recursive: true });
      }
    },
  };
}
