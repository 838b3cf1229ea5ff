/// <reference types="vitest/config" />
// One config for `vite build`, `vite preview` and `vitest run --root web`.
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset URLs: the page works under any path and inside an iframe.
  base: './',
  plugins: [preact()],
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The worker and the WASM module are separate files anyway; keep the
    // warning for genuinely large chunks only.
    chunkSizeWarningLimit: 800,
  },
  preview: { host: '127.0.0.1' },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
