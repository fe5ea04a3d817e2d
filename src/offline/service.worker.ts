import { isSkipWaitingMessage } from './messages.ts';
import {
  type PrecacheManifest,
  cacheNameFor,
  createPrecacheLookup,
  isStaleCache,
  precacheUrls,
} from './precache.ts';

/*
 * The service worker that makes DistSim work offline after the first visit. The build compiles
 * this file to `sw.js` at the site root with the list of every built file and a version made
 * from their contents (scripts/build/serviceWorker.ts), so each deploy is a byte-different
 * sw.js, which is how the browser notices it.
 *
 * 1. Install: fetch every built file into a cache named after the scope and version.
 * 2. A first install takes over the open page at once (clients.claim), so the very first visit
 *    already works offline. A later install waits: the page shows "A new version of DistSim is
 *    available" (src/offline/updates.ts) and sends skip-waiting when the person says so.
 * 3. Activate: drop this site's caches from older deploys.
 * 4. Fetch: answer this build's files and the page itself from the cache (cache first: a page
 *    and its scripts always come from the same deploy); leave every other request alone.
 */

declare const self: ServiceWorkerGlobalScope;
/** Replaced at build time with this build's manifest. */
declare const __DISTSIM_PRECACHE__: PrecacheManifest;

const manifest = __DISTSIM_PRECACHE__;
const scope = self.registration.scope;
const cacheName = cacheNameFor(scope, manifest.version);
const lookup = createPrecacheLookup(manifest, scope);

async function precache(): Promise<void> {
  const cache = await caches.open(cacheName);
  // 'reload' skips the HTTP cache, so a stale index.html cannot end up beside new scripts.
  await cache.addAll(
    precacheUrls(manifest, scope).map((url) => new Request(url, { cache: 'reload' })),
  );
}

async function dropStaleCaches(): Promise<void> {
  const names = await caches.keys();
  const stale = names.filter((name) => isStaleCache(name, scope, manifest.version));
  await Promise.all(stale.map((name) => caches.delete(name)));
  await self.clients.claim();
}

async function respond(request: Request, file: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(new URL(file, scope).href);
  return cached ?? fetch(request);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(dropStaleCaches());
});

self.addEventListener('fetch', (event) => {
  const file = lookup(event.request);
  if (file !== null) event.respondWith(respond(event.request, file));
});

self.addEventListener('message', (event) => {
  if (isSkipWaitingMessage(event.data)) event.waitUntil(self.skipWaiting());
});
