import type { ParamSpec } from '../src/engine/types.ts';

/*
 * "The largest sizes the parameters allow": per scenario, the parameters that count things in
 * the run (nodes, clients, shards, replicas, keys, accounts, users, topics, ring points), each
 * set to its spec's maximum. Rates, timeouts and service times stay at their defaults: a size
 * figure measures how the cost grows with the system, not with a heavier workload (twice the
 * request rate is simply twice the events per simulated second). A scenario not listed here,
 * or a listed parameter it no longer has, is reported, not guessed.
 */
export const sizeParams: Readonly<Record<string, readonly string[]>> = {
  ambassador: ['appCount', 'remoteCount'],
  'circuit-breaker': ['clientCount'],
  cqrs: ['clientCount', 'keyCount', 'replicaPoolSize', 'initialReplicas'],
  'event-sourcing': ['clientCount', 'accountCount', 'handlerCount'],
  'leader-election': ['nodeCount'],
  'pub-sub': ['publisherCount', 'subscriberCount', 'topicCount'],
  sharding: ['shardPoolSize', 'initialShards', 'keyCount', 'virtualNodes', 'clientCount'],
  'strangler-fig': ['clientCount', 'usersPerClient'],
};

/** The `--param key=value` list of a scenario's largest size, or why there is none. */
export function largestSizeParams(
  scenarioId: string,
  params: Readonly<Record<string, ParamSpec>>,
): { key: string; value: number }[] | string {
  const keys = sizeParams[scenarioId];
  if (keys === undefined)
    return `no size parameters listed for ${scenarioId} in bench/scenarioSizes.ts`;
  const sizes: { key: string; value: number }[] = [];
  for (const key of keys) {
    const spec = params[key];
    if (spec === undefined) return `${scenarioId} has no parameter ${key} (bench/scenarioSizes.ts)`;
    sizes.push({ key, value: spec.max });
  }
  return sizes;
}
