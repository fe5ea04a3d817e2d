import { createHash } from 'node:crypto';
import { type Plugin, build } from 'vite';
import type { PrecacheManifest } from '../../src/offline/precache.ts';

/** Where the service worker is written, next to index.html; the page registers `./sw.js`. */
const serviceWorkerFile = 'sw.js';

/**
 * Files the service worker does not keep: itself, source maps (for devtools only, and the largest
 * files of the build) and host configuration such as `_headers`, which hosts never serve.
 */
function isPrecached(fileName: string): boolean {
  return fileName !== serviceWorkerFile && !fileName.endsWith('.map') && !fileName.startsWith('_');
}

function compareText(left: string, right: string): number {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

/** The part of a build's output the manifest reads (Rolldown's `OutputBundle` has it). */
export type BuiltFiles = Readonly<
  Record<
    string,
    | { readonly type: 'chunk'; readonly code: string }
    | { readonly type: 'asset'; readonly source: string | Uint8Array }
  >
>;

/** Lists the files to keep offline and derives the version from their names and contents. */
export function precacheManifestOf(bundle: BuiltFiles): PrecacheManifest {
  const files = Object.keys(bundle).filter(isPrecached).sort(compareText);
  const hash = createHash('sha256');
  for (const file of files) {
    const output = bundle[file];
    if (output === undefined) continue;
    hash.update(file).update('\0');
    hash.update(output.type === 'chunk' ? output.code : output.source).update('\0');
  }
  return { version: hash.digest('hex').slice(0, 16), files };
}

/**
 * Compiles the service worker source into one classic script (every browser with service workers
 * runs those; module service workers are newer) with the manifest written in. A separate small
 * build, so that the worker shares no chunk with the page.
 */
async function compileServiceWorker(
  root: string,
  entry: string,
  manifest: PrecacheManifest,
): Promise<string> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    define: { __DISTSIM_PRECACHE__: JSON.stringify(manifest) },
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      modulePreload: false,
      copyPublicDir: false,
      rolldownOptions: {
        input: entry,
        output: { format: 'iife', entryFileNames: serviceWorkerFile },
      },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const output of outputs) {
    if (!('output' in output)) continue;
    const chunk = output.output.find((file) => file.fileName === serviceWorkerFile);
    if (chunk?.type === 'chunk') return chunk.code;
  }
  throw new Error(`The service worker build of ${entry} produced no ${serviceWorkerFile}.`);
}

/**
 * A Vite plugin (build only) that writes `sw.js` at the root of the build: the service worker
 * compiled from `entry`, with the list of every emitted file and a version derived from their
 * contents. Any change to the app changes the version, so a new deploy is a new sw.js and open
 * pages learn of it. It runs after every other plugin has emitted its files (index.html, the
 * simulation worker's chunks, CSS), so the list is complete.
 */
export function serviceWorker({ entry }: { readonly entry: string }): Plugin {
  let root = process.cwd();
  return {
    name: 'distsim:service-worker',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    generateBundle: {
      order: 'post',
      async handler(_options, bundle) {
        const manifest = precacheManifestOf(bundle);
        this.emitFile({
          type: 'asset',
          fileName: serviceWorkerFile,
          source: await compileServiceWorker(root, entry, manifest),
        });
      },
    },
  };
}
