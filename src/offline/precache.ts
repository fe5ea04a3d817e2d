/*
 * The pure half of the service worker: which files a build keeps for offline use, what its cache
 * is called, which caches are left over from older deploys, and which requests the worker answers
 * from the cache. No worker globals here, so it is unit tested in Node.
 */

/** What a build keeps offline; the build writes it into sw.js (scripts/build/serviceWorker.ts). */
export interface PrecacheManifest {
  /** Derived from the content of every file below: a new deploy gives a new version. */
  readonly version: string;
  /** Paths relative to the folder sw.js and index.html live in, e.g. `assets/index-abc123.js`. */
  readonly files: readonly string[];
}

/** The page every navigation inside the scope is answered with (runs live in the fragment). */
export const entryFile = 'index.html';

/** The part of a fetch request the lookup reads (a real `Request` has all three). */
export interface RequestFacts {
  readonly url: string;
  readonly method: string;
  readonly mode: string;
}

const cachePrefix = 'distsim-precache';

/**
 * The cache one deploy's files live in. The scope is part of the name because every site on an
 * origin shares its caches (two GitHub Pages project sites share `user.github.io`): a deploy
 * must never delete or read another site's files.
 */
export function cacheNameFor(scope: string, version: string): string {
  return `${cachePrefix} ${scope} ${version}`;
}

/** True for a cache an older deploy of this same site left behind (the activate step drops it). */
export function isStaleCache(cacheName: string, scope: string, version: string): boolean {
  return (
    cacheName.startsWith(`${cachePrefix} ${scope} `) && cacheName !== cacheNameFor(scope, version)
  );
}

/** The absolute URL of every file the install step fetches into the cache. */
export function precacheUrls(manifest: PrecacheManifest, scope: string): string[] {
  return manifest.files.map((file) => new URL(file, scope).href);
}

/**
 * Builds the function that says which cached file answers a request, or null when the request is
 * not ours to answer (another origin, outside the scope, not a GET, not a file of this build) and
 * must go to the network untouched. Navigations to the scope itself or to its index.html get the
 * cached page, and navigations to another page of the build (embed.html) that page, whatever
 * their query string; the fragment never reaches a service worker.
 */
export function createPrecacheLookup(
  manifest: PrecacheManifest,
  scope: string,
): (request: RequestFacts) => string | null {
  const scopeUrl = new URL(scope);
  const fileByPath = new Map(manifest.files.map((file) => [new URL(file, scope).pathname, file]));
  const entryPath = new URL(entryFile, scope).pathname;
  return (request) => {
    if (request.method !== 'GET') return null;
    const url = new URL(request.url);
    if (url.origin !== scopeUrl.origin) return null;
    if (request.mode === 'navigate') {
      const isEntry = url.pathname === scopeUrl.pathname || url.pathname === entryPath;
      if (isEntry) return fileByPath.has(entryPath) ? entryFile : null;
      const page = fileByPath.get(url.pathname);
      return page?.endsWith('.html') === true ? page : null;
    }
    // Built files are named by their content hash and never carry a query: anything else is
    // not a file of this build.
    if (url.search !== '') return null;
    return fileByPath.get(url.pathname) ?? null;
  };
}
