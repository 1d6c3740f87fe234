import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { cspPlugin, SECURITY_HEADERS } from './tools/csp-plugin.ts';
import { modelsPlugin } from './tools/models-plugin.ts';

// Cross-origin isolation: WASM threads need SharedArrayBuffer (see FACTS.md).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [
    react(),
    modelsPlugin(),
    cspPlugin(),
    // The app shell (including onnxruntime-web's .wasm files) is precached so the app opens with
    // no network; model files are not precached: they live in the weight cache (src/storage/).
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'DermLIP Explorer',
        short_name: 'DermLIP',
        description: 'Zero-shot dermatology in your browser; photos never leave your device.',
        theme_color: '#0b5cad',
        background_color: '#f6f6f3',
        display: 'standalone',
        start_url: '/',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // packs/: the sample teaching pack; convert/: the converter's graphs, layouts and tokenizer
        // (gzipped, about 1.1 MB), so the real weights can be converted offline.
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,mjs,webmanifest}', 'packs/*.zip', 'convert/**/*.gz'],
        // onnxruntime-web's WebGPU build is 27 MB (Workbox's default limit is 2 MiB).
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/models\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: { headers: isolation },
  // Preview (and so the end-to-end tests) serves what production must: the policy as a header on
  // every response, so workers get it too (tools/csp-plugin.ts).
  preview: { headers: SECURITY_HEADERS, port: 4173, strictPort: true },
  // Threaded WASM hangs silently in a module worker unless workers are ES modules.
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
