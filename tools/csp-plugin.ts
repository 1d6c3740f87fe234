import type { Plugin } from 'vite';

/**
 * No egress: the app allows only its own origin (plus blob: and data: where it needs them).
 * onnxruntime-web compiles WebAssembly, hence 'wasm-unsafe-eval'.
 *
 * The policy must arrive as an HTTP header on every response, not only in the page: a meta tag
 * covers the document alone, and a worker (the inference worker, onnxruntime's thread workers,
 * the unzip worker, the service worker) is governed by the policy delivered with its own script.
 * `vite preview` sends these headers (vite.config.ts); the build writes them as `dist/_headers`
 * for static hosts that read one (Netlify, Cloudflare Pages); docs/hosting.md has the same for
 * nginx. The meta tag stays as a fallback for hosts that cannot set headers (documents only).
 * Build only: the dev server injects inline scripts.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];

/** The policy in the page's meta tag. */
export const CSP = DIRECTIVES.join('; ');

/** The policy as a header: the same, and no framing by other sites (only a header can say that). */
export const CSP_HEADER = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** Every response of the app: cross-origin isolation (WASM threads, FACTS.md) and the policy. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Content-Security-Policy': CSP_HEADER,
};

/** The same headers in the `_headers` format of Netlify and Cloudflare Pages, for every path. */
export function headersFile(): string {
  const lines = Object.entries(SECURITY_HEADERS).map(([k, v]) => `  ${k}: ${v}`);
  return ['# Security headers for every response (written by tools/csp-plugin.ts; see docs/hosting.md).', '/*', ...lines, ''].join('\n');
}

export function cspPlugin(): Plugin {
  return {
    name: 'dermlip-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile() });
    },
  };
}
