/**
 * No egress from any context of the app: the Content-Security-Policy comes as a header with every
 * response (tools/csp-plugin.ts), so workers, which take their policy from their own script's
 * response and not from the page's meta tag, are covered too. A server on another origin counts
 * the requests that reach it; a fetch to it is tried from the page, the inference worker,
 * onnxruntime-web's thread workers, the unzip worker and the service worker.
 */
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { expect, test, type Worker } from '@playwright/test';
import { openApp, serviceWorkerReady } from './app';

const FOREIGN_PORT = Number(process.env.E2E_PORT ?? 4173) + 1000;
const FOREIGN = `http://127.0.0.1:${FOREIGN_PORT}/egress-probe`;
let server: Server;
let hits: string[] = [];

test.beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    // Everything a cross-origin fetch needs to succeed: only the policy can stop it.
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin', 'Content-Type': 'text/plain' });
    res.end('leaked');
  });
  await new Promise<void>((r) => server.listen(FOREIGN_PORT, '127.0.0.1', r));
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Run in a worker (or the page): a same-origin fetch, then one to the foreign server. */
async function tryEgress(ctx: Pick<Worker, 'evaluate'>, url: string) {
  return ctx.evaluate(async (target) => {
    const violations: string[] = [];
    const g = globalThis as unknown as EventTarget;
    g.addEventListener('securitypolicyviolation', (e) => violations.push((e as SecurityPolicyViolationEvent).effectiveDirective));
    const own = await fetch('/manifest.webmanifest').then((r) => r.status, (e: Error) => `failed: ${e.message}`);
    const foreign = await fetch(target, { mode: 'cors', cache: 'no-store' }).then((r) => `reached: ${r.status}`, (e: Error) => `blocked: ${e.name}`);
    await new Promise((r) => setTimeout(r, 50));
    return { own, foreign, violations };
  }, url);
}

test('a fetch to another origin is blocked in the page, every worker and the service worker', async ({ page, context, request }) => {
  // The probe server answers anyone who asks (control: a request from outside the browser reaches it).
  expect(await (await request.get(FOREIGN + '?control')).text()).toBe('leaked');
  expect(hits).toEqual(['/egress-probe?control']);
  hits = [];

  const res = await page.goto('/?backend=wasm');
  expect(res!.headers()['content-security-policy']).toContain("connect-src 'self' blob: data:");
  await openApp(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  const results: Record<string, Awaited<ReturnType<typeof tryEgress>>> = {};
  results.page = await tryEgress(page, FOREIGN + '?from=page');

  // The inference worker and onnxruntime-web's thread workers (WASM threads are on: 2 cores, isolated).
  const workers = page.workers();
  const engine = workers.find((w) => /\/assets\/worker-[^/]+\.js$/.test(w.url()));
  expect(engine, workers.map((w) => w.url()).join(', ')).toBeTruthy();
  results.engine = await tryEgress(engine!, FOREIGN + '?from=engine');
  // The thread workers sit in Atomics.wait inside WASM and cannot run a probe: their scripts come
  // with the same policy in their own response headers (what a worker's policy is taken from).
  const threads = workers.filter((w) => w !== engine);
  for (const w of threads) {
    const script = await request.get(w.url());
    expect(script.headers()['content-security-policy'], w.url()).toBe(res!.headers()['content-security-policy']);
  }

  // The unzip worker, started from its built script as an import starts it.
  const unzipScript = readdirSync('dist/assets').find((f) => /^unzip-worker-.*\.js$/.test(f))!;
  const [unzip] = await Promise.all([page.waitForEvent('worker', (w) => w.url().includes(unzipScript)), page.evaluate((u) => void new Worker(u, { type: 'module' }), `/assets/${unzipScript}`)]);
  results.unzip = await tryEgress(unzip, FOREIGN + '?from=unzip');

  // The service worker.
  await serviceWorkerReady(page);
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  results.serviceWorker = await tryEgress(sw, FOREIGN + '?from=sw');

  for (const [where, r] of Object.entries(results)) {
    expect(r.own, `${where}: its own origin works`).toBe(200);
    expect(r.foreign, `${where}: another origin`).toBe('blocked: TypeError');
    expect(r.violations, `${where}: the policy blocked it`).toContain('connect-src');
  }
  expect(Object.keys(results)).toEqual(expect.arrayContaining(['page', 'engine', 'unzip', 'serviceWorker']));
  expect(threads.length).toBeGreaterThan(0);
  expect(hits).toEqual([]);
});
