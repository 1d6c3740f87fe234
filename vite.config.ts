import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { modelsPlugin } from './tools/models-plugin.ts';

// Cross-origin isolation: WASM threads need SharedArrayBuffer (see FACTS.md).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), modelsPlugin()],
  server: { headers: isolation },
  preview: { headers: isolation, port: 4173, strictPort: true },
  // Threaded WASM hangs silently in a module worker unless workers are ES modules.
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
