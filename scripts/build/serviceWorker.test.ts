import { describe, expect, it } from 'vitest';
import { type BuiltFiles, precacheManifestOf } from './serviceWorker.ts';

const build: BuiltFiles = {
  'index.html': { type: 'asset', source: '<!doctype html>' },
  'assets/index-abc.js': { type: 'chunk', code: 'console.log(1)' },
  'assets/index-abc.js.map': { type: 'asset', source: '{}' },
  'assets/sim.worker-def.js': { type: 'asset', source: new Uint8Array([1, 2, 3]) },
  'assets/index-ghi.css': { type: 'asset', source: 'body{}' },
  'sw.js': { type: 'asset', source: 'self' },
  _headers: { type: 'asset', source: '/*' },
};

describe('precacheManifestOf', () => {
  it('keeps every served file of the build, in a stable order, and nothing else', () => {
    expect(precacheManifestOf(build).files).toEqual([
      'assets/index-abc.js',
      'assets/index-ghi.css',
      'assets/sim.worker-def.js',
      'index.html',
    ]);
  });

  it('gives the same version for the same files, whatever order the bundle lists them in', () => {
    const reversed = Object.fromEntries(Object.entries(build).reverse()) as BuiltFiles;
    expect(precacheManifestOf(reversed).version).toBe(precacheManifestOf(build).version);
    expect(precacheManifestOf(build).version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives a new version when any kept file changes, and only then', () => {
    const { version } = precacheManifestOf(build);
    const changedPage = { ...build, 'index.html': { type: 'asset', source: '<!doctype html>!' } };
    const changedChunk = { ...build, 'assets/index-abc.js': { type: 'chunk', code: 'x' } };
    const changedMap = { ...build, 'assets/index-abc.js.map': { type: 'asset', source: '[]' } };
    const renamed: BuiltFiles = {
      ...Object.fromEntries(Object.entries(build).filter(([name]) => name !== 'index.html')),
      'other.html': { type: 'asset', source: '<!doctype html>' },
    };
    expect(precacheManifestOf(changedPage as BuiltFiles).version).not.toBe(version);
    expect(precacheManifestOf(changedChunk as BuiltFiles).version).not.toBe(version);
    expect(precacheManifestOf(renamed).version).not.toBe(version);
    expect(precacheManifestOf(changedMap as BuiltFiles).version).toBe(version);
  });
});
