import { SourceMap } from 'node:module';
import type { Page } from 'playwright-core';

/*
 * Where the page's main thread spends its time: a CPU profile over a window (Chrome DevTools
 * Protocol), self time per function, mapped back to the source through the build's source maps.
 */

interface ProfileNode {
  readonly id: number;
  readonly hitCount?: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

/** One function's share of the window. */
export interface HotSpot {
  readonly where: string;
  readonly selfMs: number;
}

async function sourceMapOf(
  url: string,
  cache: Map<string, SourceMap | null>,
): Promise<SourceMap | null> {
  if (cache.has(url)) return cache.get(url) ?? null;
  let map: SourceMap | null = null;
  try {
    const response = await fetch(`${url}.map`);
    if (response.ok)
      map = new SourceMap((await response.json()) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    map = null;
  }
  cache.set(url, map);
  return map;
}

async function describeFrame(
  node: ProfileNode,
  cache: Map<string, SourceMap | null>,
): Promise<string> {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  if (url === '') return functionName === '' ? '(anonymous)' : functionName;
  const map = url.startsWith('http') ? await sourceMapOf(url, cache) : null;
  const entry = map?.findEntry(lineNumber, columnNumber);
  // An empty object when the map has nothing at that position.
  if (
    entry !== undefined &&
    'originalSource' in entry &&
    typeof entry.originalSource === 'string'
  ) {
    const source = entry.originalSource.replace(/^.*?\/(src|node_modules)\//, '$1/');
    const name = 'name' in entry && typeof entry.name === 'string' ? entry.name : functionName;
    return `${name || '(anonymous)'} ${source}:${entry.originalLine + 1}`;
  }
  return `${functionName || '(anonymous)'} ${url.replace(/^.*\//, '')}:${lineNumber + 1}`;
}

/** Profiles the page's main thread for `durationMs` and returns the top functions by self time. */
export async function profileMainThread(
  page: Page,
  durationMs: number,
  count: number,
): Promise<HotSpot[]> {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 500 });
  await session.send('Profiler.start');
  await new Promise((done) => setTimeout(done, durationMs));
  const { profile } = (await session.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await session.detach();
  const totalHits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const msPerHit = (profile.endTime - profile.startTime) / 1000 / Math.max(1, totalHits);
  const cache = new Map<string, SourceMap | null>();
  const selfMs = new Map<string, number>();
  for (const node of profile.nodes) {
    if ((node.hitCount ?? 0) === 0) continue;
    const where = await describeFrame(node, cache);
    selfMs.set(where, (selfMs.get(where) ?? 0) + (node.hitCount ?? 0) * msPerHit);
  }
  return [...selfMs.entries()]
    .map(([where, ms]) => ({ where, selfMs: ms }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, count);
}
