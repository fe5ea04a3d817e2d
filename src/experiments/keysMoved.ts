import { shardingParams } from '../scenarios/sharding/params.ts';
import {
  initialTable,
  movedKeyCount,
  shardId,
  strategyConsistent,
  strategyModN,
  withShardAdded,
} from '../scenarios/sharding/placement.ts';
import type { ComputedExperiment, RunSpec } from './types.ts';

/*
 * Keys moved when a shard joins N shards, hash mod N against consistent hashing. Where a key
 * lives is a pure function of the routing table, so each point is computed with the Sharding
 * scenario's own placement functions (placement.ts) over its key space, not simulated: the
 * `moved-keys` metric of a run that adds a shard is this same count divided by the key count
 * (a test holds them equal for seed 1). Notes [n] are at the end of the file.
 */

const seriesModN = 'mod-n';
const seriesConsistent = 'consistent';

const keyCount = shardingParams.keyCount.default;
const virtualNodes = shardingParams.virtualNodes.default;
/** Pool positions per seed: seed s names its shards from (s − 1) · this + 1 on [2]. */
const namesPerSeed = shardingParams.shardPoolSize.max;

function strategyOf(series: string): number {
  return series === seriesModN ? strategyModN : strategyConsistent;
}

/** [1] The share of keys whose owner changes when shard N+1 joins shards 1…N. */
export function movedShare(shards: number, strategy: number, seed: number): number {
  const base = (seed - 1) * namesPerSeed;
  const ids = Array.from({ length: shards }, (_, index) => shardId(base + index + 1));
  const before = initialTable(strategy, keyCount, virtualNodes, ids);
  const after = withShardAdded(before, shardId(base + shards + 1));
  return movedKeyCount(before, after) / keyCount;
}

/** The storyline adds a shard early, and a fast migration makes the rebalance finish soon. */
const addShardAtS = 1;
const fastMigrationKeysPerS = 1000;
const openedRunMs = 20_000;

export const keysMoved: ComputedExperiment = {
  kind: 'computed',
  id: 'keys-moved',
  title: 'Keys moved when adding a shard',
  summary:
    `A shard joins N shards (N = 2…7) holding ${keyCount} keys: the share of keys that change ` +
    `owner, with hash mod N and with consistent hashing (${virtualNodes} virtual nodes per ` +
    'shard). Theory: N/(N+1) for mod N, 1/(N+1) for consistent hashing. Computed with the ' +
    "scenario's placement functions; each seed names the shards differently, which moves " +
    'their points on the ring (mod N does not depend on names, so its seeds agree).',
  reproduces:
    'Karger et al., "Consistent hashing and random trees" (STOC 1997): adding a bucket moves ' +
    'about 1/(N+1) of the items, where hash mod N moves about N/(N+1).',
  scenarioId: 'sharding',
  x: { label: 'N, the shards before one joins', unit: 'shards', values: [2, 3, 4, 5, 6, 7] },
  y: { label: 'share of keys moved', unit: 'ratio', measure: 'moved' },
  series: [
    { id: seriesModN, label: 'hash mod N' },
    { id: seriesConsistent, label: 'consistent hashing' },
  ],
  alsoShown: [],
  defaultSeeds: 20,
  theory: [
    { id: 'n-over-n-plus-1', label: 'N/(N+1)', series: seriesModN, at: (n) => n / (n + 1) },
    { id: 'one-over-n-plus-1', label: '1/(N+1)', series: seriesConsistent, at: (n) => 1 / (n + 1) },
  ],
  compute(x, series, seed) {
    return { moved: movedShare(x, strategyOf(series), seed) };
  },
  runOf(x, series): RunSpec {
    return {
      variant: 'pattern',
      params: {
        shardPoolSize: x + 1,
        initialShards: x,
        strategy: strategyOf(series),
        storylineStartS: addShardAtS,
        migrationRate: fastMigrationKeysPerS,
      },
      durationMs: openedRunMs,
    };
  },
};

/** How far a measured share may be from theory by chance alone, for the keys counted [3]. */
export function keySamplingSd(share: number): number {
  return Math.sqrt((share * (1 - share)) / keyCount);
}

/*
 * Notes
 *
 * [1] Hash mod N moves a key unless hash mod N = hash mod (N+1), which holds for 1 hash in N+1,
 *     so N/(N+1) of the keys move. On a ring, the new shard's points take the arcs in front of
 *     them: 1/(N+1) of the ring on average, with a spread that shrinks as 1/√(virtual nodes)
 *     (placement.ts, note [3]).
 * [2] The ring points of a shard are a hash of its pool position (`ringPoint`), so naming the
 *     shards differently is a fresh, independent draw of the ring: the seed's role here. Seed 1
 *     names them s1…s(N+1), exactly as the scenario does.
 * [3] The keys are a sample of the hash space: a share p measured over K keys has a binomial
 *     standard deviation of √(p(1−p)/K). For consistent hashing the ring's own spread comes on
 *     top, which is why its seeds differ and are averaged.
 */
