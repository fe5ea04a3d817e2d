import type { LinkConfig } from '../../engine/network.ts';
import type {
  Behaviour,
  LayoutHint,
  LivenessInvariant,
  Message,
  Monitor,
  NodeSummary,
  ParamSpec,
  SafetyInvariant,
  Topology,
  TopologyNode,
} from '../../engine/types.ts';
import { defineScenario } from '../define.ts';

/*
 * A benchmark fixture, not a lesson: `nodeCount` nodes on a full mesh, each pinging a random peer
 * every `intervalMs`, each ping answered by a pong. By Little's law the network holds about
 * rate × latency = (2 × nodeCount / intervalMs) × linkLatencyMs messages at once: with the
 * defaults (100 nodes, 10 ms, 100 ms) 20,000 messages/s × 0.1 s = 2,000 in flight, the load
 * BENCHMARKS.md's animation target names. Hidden: loadable by id (`bench-mesh`), never listed.
 */

export const benchMeshParams = {
  nodeCount: {
    label: 'Nodes',
    default: 100,
    min: 10,
    // The largest full mesh that runs for as long as asked (`meshNodesMax`), for the browser
    // benchmark's large topology; with intervalMs 30 it keeps the default's 2,000 in flight.
    max: 300,
    step: 1,
    unit: '',
    help: 'Nodes on the full mesh.',
  },
  intervalMs: {
    label: 'Ping interval',
    default: 10,
    min: 1,
    max: 1000,
    step: 1,
    unit: 'ms',
    help: 'Each node pings one random peer this often.',
    isLive: true,
  },
  linkLatencyMs: {
    label: 'Link latency',
    default: 100,
    min: 1,
    max: 1000,
    step: 1,
    unit: 'ms',
    help: 'Mean one-way latency (uniform, ±20%).',
  },
} satisfies Record<string, ParamSpec>;

type ParamKey = keyof typeof benchMeshParams;

function paramOf(params: Readonly<Record<string, number>>, key: ParamKey): number {
  return params[key] ?? benchMeshParams[key].default;
}

const pingerRole = 'pinger';

/** A ping carries its sender's sequence number and incarnation; the pong echoes both. */
interface MeshMessage extends Message {
  readonly type: 'ping' | 'pong';
  readonly seq: number;
  readonly epoch: number;
}

export interface MeshState {
  /** This node's index in `nodeIds`, so picking a peer needs no search. */
  readonly selfIndex: number;
  /** Pings sent in this incarnation. */
  readonly sent: number;
  /** Pongs received for pings of this incarnation. */
  readonly pongs: number;
  /** Pings answered. */
  readonly answered: number;
  /** Pongs of this incarnation for a ping never sent (the safety invariant says: none). */
  readonly strayPongs: number;
}

interface MeshDurable {
  /** Restarts so far; a node's incarnation, so pongs meant for an earlier life are told apart. */
  readonly restarts: number;
}

// One summary for every node and event: a summary change is a traced state change, and this
// fixture wants its trace to be the message traffic only.
const summary: NodeSummary = { label: 'pinger', badge: '', health: 'ok' };

const pinger: Behaviour<MeshState, MeshMessage, MeshDurable> = {
  initialDurable: () => ({ restarts: -1 }),
  init(ctx) {
    ctx.persist({ restarts: ctx.durable.restarts + 1 });
    const intervalUs = paramOf(ctx.params, 'intervalMs') * 1000;
    // The first ping at a random point of the first interval, so the load is spread evenly.
    ctx.setTimer('ping', ctx.random.intBetween(1, intervalUs));
    return {
      selfIndex: ctx.nodeIds.indexOf(ctx.self),
      sent: 0,
      pongs: 0,
      answered: 0,
      strayPongs: 0,
    };
  },
  receive(state, event, ctx) {
    switch (event.kind) {
      case 'timer': {
        // A uniform peer other than self: draw from n − 1 and skip over our own index.
        const drawn = ctx.random.int(ctx.nodeIds.length - 1);
        const peer = ctx.nodeIds[drawn >= state.selfIndex ? drawn + 1 : drawn];
        if (peer !== undefined) {
          ctx.send(peer, { type: 'ping', seq: state.sent, epoch: ctx.durable.restarts });
        }
        ctx.setTimer('ping', paramOf(ctx.params, 'intervalMs') * 1000);
        return { ...state, sent: state.sent + 1 };
      }
      case 'message': {
        const { message } = event;
        if (message.type === 'ping') {
          ctx.send(event.from, { type: 'pong', seq: message.seq, epoch: message.epoch });
          return { ...state, answered: state.answered + 1 };
        }
        // A pong for an earlier incarnation (sent before a crash) is ignored.
        if (message.epoch !== ctx.durable.restarts) return state;
        if (message.seq >= state.sent) return { ...state, strayPongs: state.strayPongs + 1 };
        return { ...state, pongs: state.pongs + 1 };
      }
      case 'fault':
        return state;
    }
  },
  summarize: () => summary,
};

/**
 * Point `index` of `count` on a circle, first at the top, clockwise on screen (y down), without
 * sin or cos (banned in scenarios): the rational point w(t) = ((1 − t²) + 2t·i) / (1 + t²) of
 * the unit circle sits at angle 2·atan(t), so w(t)⁸ sits at 16·atan(t). With t evenly spaced in
 * [−tan(π/16), tan(π/16)) the eight-fold power runs once around the circle, and the angle steps
 * differ by at most 4% (16/(1 + t²) from 16 to 15.4): evenly spaced to the eye. Only + − × ÷ and
 * a square root, all correctly rounded, so every engine computes the same layout.
 */
const tanSixteenthPi = (() => {
  // tan(x/2) = (1 − cos x) / sin x with x = π/8: cos = √(2 + √2) / 2, sin = √(2 − √2) / 2.
  const root2 = Math.sqrt(2);
  return (2 - Math.sqrt(2 + root2)) / Math.sqrt(2 - root2);
})();
const circleCentre = { x: 0.5, y: 0.5 };
const circleRadius = 0.42;

export function circlePoint(index: number, count: number): LayoutHint {
  const t = tanSixteenthPi * ((2 * index) / count - 1);
  const norm = 1 + t * t;
  let re = (1 - t * t) / norm;
  let im = (2 * t) / norm;
  for (let square = 0; square < 3; square++) {
    const nextRe = re * re - im * im;
    im = 2 * re * im;
    re = nextRe;
  }
  // Index 0 has t = −tan(π/16), angle −π: (re, im) = (−1, 0) maps to the top.
  return { x: circleCentre.x - circleRadius * im, y: circleCentre.y + circleRadius * re };
}

function nodeCountOf(params: Readonly<Record<string, number>>): number {
  const { min, max } = benchMeshParams.nodeCount;
  return Math.min(max, Math.max(min, Math.round(paramOf(params, 'nodeCount'))));
}

function buildTopology(params: Readonly<Record<string, number>>): Topology {
  const count = nodeCountOf(params);
  const meanUs = paramOf(params, 'linkLatencyMs') * 1000;
  const linkConfig: LinkConfig = {
    latency: {
      kind: 'uniform',
      minUs: Math.round(meanUs * 0.8),
      maxUs: Math.round(meanUs * 1.2),
    },
    lossProbability: 0,
    duplicateProbability: 0,
  };
  const nodes: TopologyNode[] = Array.from({ length: count }, (_, index) => ({
    id: `m${index + 1}`,
    role: pingerRole,
    behaviour: pinger,
    layout: circlePoint(index, count),
  }));
  return { nodes, links: 'full', linkConfig };
}

function stateOf(state: unknown): MeshState | undefined {
  return state as MeshState | undefined;
}

interface MonitorMemory {
  pongsSeen: number;
}

const sampleIntervalUs = 100_000;

/**
 * Every 100 ms: messages in flight, as pings sent minus pongs received over the nodes that are
 * up (every ping is answered at once, so pings sent − pongs received = pings in flight + pongs in
 * flight; exact without loss or crashes), and pongs received per second since the last sample.
 */
const monitor: Monitor<MonitorMemory> = {
  sampleIntervalUs,
  createMemory: () => ({ pongsSeen: 0 }),
  sample(world, memory, record) {
    let sent = 0;
    let pongs = 0;
    for (const node of world.nodes) {
      const state = stateOf(node.state);
      if (node.status !== 'up' || state === undefined) continue;
      sent += state.sent;
      pongs += state.pongs;
    }
    record('in-flight', Math.max(0, sent - pongs));
    // A restart resets a node's counters, so the total may fall: no negative rates.
    record('pong-rate', (Math.max(0, pongs - memory.pongsSeen) * 1_000_000) / sampleIntervalUs);
    memory.pongsSeen = pongs;
  },
};

const pongsAnswerPings: SafetyInvariant<null> = {
  id: 'pongs-answer-pings',
  kind: 'safety',
  description: 'Every pong a node counts answers a ping it sent in its current incarnation',
  createMemory: () => null,
  check(_world, node) {
    const state = stateOf(node?.state);
    if (node === undefined || state === undefined || state.strayPongs === 0) return null;
    return {
      message: `${node.id} received ${String(state.strayPongs)} pongs for pings it never sent`,
      nodes: [node.id],
    };
  },
};

const allUp: LivenessInvariant = {
  id: 'all-up',
  kind: 'liveness',
  description: 'Every node is up once faults heal',
  boundUs: () => 1_000_000,
  isExpected: (world) => !world.hasActiveFaults,
  holds: (world) => world.nodes.every((node) => node.status === 'up'),
};

export const benchMesh = defineScenario({
  id: 'bench-mesh',
  version: 1,
  title: 'Benchmark mesh',
  summary:
    'Benchmark fixture: 100 nodes on a full mesh ping random peers, about 2,000 messages in flight.',
  params: benchMeshParams,
  baselineLabel: 'Same workload',
  baselineSummary: 'The baseline runs the same workload: this scenario only exists to be measured.',
  topology: buildTopology,
  metrics: [
    {
      name: 'in-flight',
      unit: 'messages',
      description: 'Messages in flight (pings sent − pongs received), sampled every 100 ms',
      aggregate: 'mean',
    },
    {
      name: 'pong-rate',
      unit: '/s',
      description: 'Pongs received per second',
      aggregate: 'mean',
    },
  ],
  monitor,
  invariants: [pongsAnswerPings, allUp],
  faults: [],
  tour: [],
  defaultDurationMs: 2_000,
  isHidden: true,
});
