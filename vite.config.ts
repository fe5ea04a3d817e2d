/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './scripts/build/securityPolicy.ts';
import { serviceWorker } from './scripts/build/serviceWorker.ts';

export default defineConfig({
  // Relative URLs everywhere, so the same dist/ works from any sub-path (GitHub Pages serves a
  // project at /<repository>/) without rebuilding.
  base: './',
  plugins: [
    react(),
    contentSecurityPolicy(),
    serviceWorker({
      entry: fileURLToPath(new URL('src/offline/service.worker.ts', import.meta.url)),
    }),
  ],
  // Module workers get real code-split chunks (STACK.md, pitfall P4).
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The bundler's report of which plugin callbacks were slow is for people tuning the build;
    // to someone running `npm start` for the first time it reads like a problem.
    rolldownOptions: {
      checks: { bundlerTimings: false },
      // Two pages (the app, and the embed other sites frame) and the <distsim-run> script.
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        embed: fileURLToPath(new URL('embed.html', import.meta.url)),
        'distsim-run': fileURLToPath(new URL('src/embed/distsimRun.ts', import.meta.url)),
      },
      output: {
        // Pages include the web component by name, so its file name has no hash; the rest keep
        // Vite's default hashed names.
        entryFileNames: (chunk) =>
          chunk.name === 'distsim-run' ? 'distsim-run.js' : 'assets/[name]-[hash].js',
      },
    },
  },
  test: {
    environment: 'node',
    // Keep Playwright specs out of vitest (STACK.md, pitfall P6).
    include: ['src/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
