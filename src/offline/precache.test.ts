import { describe, expect, it } from 'vitest';
import {
  type PrecacheManifest,
  cacheNameFor,
  createPrecacheLookup,
  isStaleCache,
  precacheUrls,
} from './precache.ts';

const scope = 'https://user.github.io/distsim/';
const manifest: PrecacheManifest = {
  version: 'abc123',
  files: [
    'index.html',
    'embed.html',
    'assets/index-1a2b.js',
    'assets/sim.worker-3c4d.js',
    'assets/index-5e.css',
  ],
};
const lookup = createPrecacheLookup(manifest, scope);

function get(url: string, mode = 'no-cors') {
  return lookup({ url, method: 'GET', mode });
}

describe('precache lookup', () => {
  it('answers every built file under the scope from the cache', () => {
    expect(get(`${scope}assets/index-1a2b.js`, 'cors')).toBe('assets/index-1a2b.js');
    expect(get(`${scope}assets/sim.worker-3c4d.js`, 'same-origin')).toBe(
      'assets/sim.worker-3c4d.js',
    );
    expect(get(`${scope}assets/index-5e.css`)).toBe('assets/index-5e.css');
  });

  it('answers navigations to the scope or its index.html with the page, whatever the query', () => {
    expect(get(scope, 'navigate')).toBe('index.html');
    expect(get(`${scope}index.html`, 'navigate')).toBe('index.html');
    expect(get(`${scope}?utm_source=chat`, 'navigate')).toBe('index.html');
  });

  it('answers navigations to another page of the build (the embed) with that page', () => {
    expect(get(`${scope}embed.html`, 'navigate')).toBe('embed.html');
    expect(get(`${scope}embed.html?x=1`, 'navigate')).toBe('embed.html');
  });

  it('leaves everything else to the network', () => {
    expect(get(`${scope}assets/unknown-9999.js`)).toBeNull();
    expect(get(`${scope}assets/index-1a2b.js?v=2`)).toBeNull();
    expect(get(`${scope}elsewhere/`, 'navigate')).toBeNull();
    expect(get(`${scope}assets/index-1a2b.js`, 'navigate')).toBeNull();
    expect(get('https://user.github.io/other-site/assets/index-1a2b.js')).toBeNull();
    expect(get('https://example.com/distsim/assets/index-1a2b.js')).toBeNull();
    expect(lookup({ url: `${scope}index.html`, method: 'POST', mode: 'navigate' })).toBeNull();
  });

  it('has no page to offer when the build listed none', () => {
    const withoutPage = createPrecacheLookup({ version: 'x', files: ['assets/a.js'] }, scope);
    expect(withoutPage({ url: scope, method: 'GET', mode: 'navigate' })).toBeNull();
  });

  it('resolves every file against the scope for the install step', () => {
    expect(precacheUrls(manifest, 'http://127.0.0.1:4185/some/deep/path/')).toEqual([
      'http://127.0.0.1:4185/some/deep/path/index.html',
      'http://127.0.0.1:4185/some/deep/path/embed.html',
      'http://127.0.0.1:4185/some/deep/path/assets/index-1a2b.js',
      'http://127.0.0.1:4185/some/deep/path/assets/sim.worker-3c4d.js',
      'http://127.0.0.1:4185/some/deep/path/assets/index-5e.css',
    ]);
  });
});

describe('cache names', () => {
  it('drops only caches from older deploys of the same site', () => {
    const current = cacheNameFor(scope, 'v2');
    expect(isStaleCache(cacheNameFor(scope, 'v1'), scope, 'v2')).toBe(true);
    expect(isStaleCache(current, scope, 'v2')).toBe(false);
    expect(isStaleCache(cacheNameFor('https://user.github.io/other/', 'v1'), scope, 'v2')).toBe(
      false,
    );
    expect(isStaleCache(cacheNameFor(`${scope}nested/`, 'v1'), scope, 'v2')).toBe(false);
    expect(isStaleCache('some-other-library-cache', scope, 'v2')).toBe(false);
  });

  it('gives each version of a site its own cache', () => {
    expect(cacheNameFor(scope, 'v1')).not.toBe(cacheNameFor(scope, 'v2'));
    expect(cacheNameFor(scope, 'v1')).not.toBe(cacheNameFor('https://user.github.io/x/', 'v1'));
  });
});
