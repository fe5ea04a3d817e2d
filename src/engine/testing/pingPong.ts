import type { LinkConfig } from '../network.ts';
import type { Behaviour, Message, RunDescription, ScenarioModel } from '../types.ts';

/*
 * A small model used by engine tests and benchmarks: every node pings a random peer on a timer
 * and answers pings with pongs. It exercises sends, timers, randomness, durable state, metrics,
 * a monitor and both kinds of invariant, without depending on the scenarios layer.
 */

interface Ping extends Message {
  readonly type: 'ping' | 'pong';
  readonly seq: number;
}

interface PingState {
  readonly sent: number;
  readonly pongs: number;
  readonly pingsSeen: number;
}

interface PingDurable {
  readonly restarts: number;
}

const peerCache = new WeakMap<readonly string[], Map<string, readonly string[]>>();

/** The other nodes, computed once per node (a run's id list is one array that never changes). */
function peersOf(self: string, nodeIds: readonly string[]): readonly string[] {
  let bySelf = peerCache.get(nodeIds);
  if (bySelf === undefined) {
    bySelf = new Map();
    peerCache.set(nodeIds, bySelf);
  }
  let peers = bySelf.get(self);
  if (peers === undefined) {
    peers = nodeIds.filter((id) => id !== self);
    bySelf.set(self, peers);
  }
  return peers;
}

const pinger: Behaviour<PingState, Ping, PingDurable> = {
  initialDurable: () => ({ restarts: -1 }),
  init(ctx) {
    ctx.persist({ restarts: ctx.durable.restarts + 1 });
    ctx.setTimer('ping', ctx.random.intBetween(1, ctx.params.intervalUs ?? 1000));
    return { sent: 0, pongs: 0, pingsSeen: 0 };
  },
  receive(state, event, ctx) {
    switch (event.kind) {
      case 'timer': {
        const peers = peersOf(ctx.self, ctx.nodeIds);
        ctx.send(ctx.random.pick(peers), { type: 'ping', seq: state.sent });
        ctx.setTimer('ping', ctx.params.intervalUs ?? 1000);
        // Whole literals rather than `{ ...state, sent }`: an object spread with an override
        // costs V8 several times more, and this model is the engine's speed benchmark.
        return { sent: state.sent + 1, pongs: state.pongs, pingsSeen: state.pingsSeen };
      }
      case 'message':
        if (event.message.type === 'ping') {
          ctx.send(event.from, { type: 'pong', seq: event.message.seq });
          return { sent: state.sent, pongs: state.pongs, pingsSeen: state.pingsSeen + 1 };
        }
        ctx.metric('pongs', 1);
        return { sent: state.sent, pongs: state.pongs + 1, pingsSeen: state.pingsSeen };
      case 'fault':
        ctx.annotate(`fault ${event.fault}`);
        return state;
    }
  },
  summarize(state, durable) {
    // Counters stay out of the badge: a badge change is a traced state change, and a counter
    // would make every event one.
    return {
      label: state.sent > 0 ? 'pinging' : 'pinger',
      badge: `restarts ${durable.restarts}`,
      health: 'ok',
    };
  },
};

/** Builds the ping-pong model with `nodeCount` nodes and the given link. */
interface PingMonitorMemory {
  samples: number;
  /** Nodes last seen crashed. */
  down: readonly string[];
}

export function pingPongModel(link: LinkConfig, nodeCountMax = 64): ScenarioModel {
  return {
    id: 'ping-pong',
    version: 1,
    title: 'Ping pong',
    summary: 'Nodes ping random peers.',
    baselineLabel: 'same',
    params: {
      nodeCount: {
        label: 'Nodes',
        default: 4,
        min: 2,
        max: nodeCountMax,
        step: 1,
        unit: '',
        help: '',
      },
      intervalUs: {
        label: 'Interval',
        default: 1000,
        min: 1,
        max: 1e9,
        step: 1,
        unit: 'µs',
        help: '',
        isLive: true,
      },
    },
    topology: (params) => ({
      nodes: Array.from({ length: params.nodeCount ?? 4 }, (_, i) => ({
        id: `p${i + 1}`,
        role: 'pinger',
        behaviour: pinger,
      })),
      links: 'full',
      linkConfig: link,
    }),
    metrics: [
      { name: 'pongs', unit: '', description: 'pongs received', aggregate: 'sum' },
      { name: 'up', unit: 'nodes', description: 'nodes up', aggregate: 'last' },
    ],
    monitor: {
      sampleIntervalUs: 50_000,
      createMemory: (): PingMonitorMemory => ({ samples: 0, down: [] }),
      observe(world, node, memory, moment) {
        // A moment when a node is first seen down, and when it is seen up again.
        // Only the node that had the event can have changed (all of them after a command), which
        // keeps this cheap: the model is also the engine's speed benchmark.
        const seen = memory as PingMonitorMemory;
        for (const each of node === undefined ? world.nodes : [node]) {
          const wasDown = seen.down.includes(each.id);
          if (each.status === 'crashed' && !wasDown) {
            seen.down = [...seen.down, each.id];
            moment('node-down', `${each.id} went down`, [each.id]);
          } else if (each.status === 'up' && wasDown) {
            seen.down = seen.down.filter((id) => id !== each.id);
            moment('node-back', `${each.id} is back`, [each.id]);
          }
        }
      },
      sample(world, memory, record) {
        (memory as PingMonitorMemory).samples++;
        record('up', world.nodes.filter((node) => node.status === 'up').length);
      },
    },
    moments: [
      { id: 'node-down', label: 'Node down' },
      { id: 'node-back', label: 'Node back' },
    ],
    invariants: [
      {
        id: 'pongs-answer-pings',
        kind: 'safety',
        description: 'A node never has more pongs than pings sent',
        createMemory: () => null,
        check(_world, node) {
          const state = node?.state as PingState | undefined;
          if (state !== undefined && state.pongs > state.sent) {
            return {
              message: `${node?.id ?? '?'} has ${state.pongs} pongs for ${state.sent} pings`,
              nodes: [node?.id ?? '?'],
            };
          }
          return null;
        },
      },
      {
        id: 'all-up',
        kind: 'liveness',
        description: 'Every node is up',
        boundUs: () => 200_000,
        isExpected: (world) => !world.hasActiveFaults,
        holds: (world) => world.nodes.every((node) => node.status === 'up'),
      },
    ],
    faults: [{ id: 'poke', label: 'Poke', help: 'Annotates.', roles: ['pinger'], args: {} }],
    defaultDurationUs: 1_000_000,
  };
}

/** A run description for the ping-pong model. */
export function pingPongRun(
  seed: number,
  params: Record<string, number> = {},
  commands: RunDescription['commands'] = [],
): RunDescription {
  return {
    scenarioId: 'ping-pong',
    scenarioVersion: 1,
    seed,
    variant: 'pattern',
    params,
    commands,
  };
}
