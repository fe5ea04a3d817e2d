import type { Behaviour, NodeContext, NodeEvent, NodeId, NodeSummary } from '../../engine/types.ts';
import {
  type BalancerMessage,
  initialActiveCount,
  type ReadMessage,
  replicaIds,
  type StatusMessage,
  msParamUs,
} from './protocol.ts';
import { armScaleOut, scaleOutTimer } from './storyline.ts';

/**
 * The load balancer in front of the query replicas, and the operator's console for them: it keeps
 * the wanted membership of the read side on disk, tells replicas to join or leave until they
 * agree, and spreads reads round-robin over the replicas that report serving. Numbered notes [n]
 * are at the end of the file.
 */

/** What the operator wants of one replica, with the generation of that decision. */
export interface Membership {
  readonly isActive: boolean;
  readonly generation: number;
}

/** Durable: the wanted membership (operator decisions survive a load balancer restart). */
export interface BalancerDurable {
  readonly wanted: Readonly<Record<NodeId, Membership>>;
}

/** The last Status a replica sent, with when it arrived (local time). */
export interface HeardStatus {
  readonly generation: number;
  readonly isActive: boolean;
  readonly isServing: boolean;
  readonly applied: number;
  readonly heardUs: number;
}

export interface BalancerState {
  readonly heard: Readonly<Record<NodeId, HeardStatus>>;
  /** Round-robin position. */
  readonly cursor: number;
}

type Context = NodeContext<BalancerMessage, BalancerDurable>;

const tickTimer = 'tick';
/** Status intervals without news after which a replica is taken out of rotation. */
export const missedStatusesMax = 3;

export const loadBalancerBehaviour: Behaviour<BalancerState, BalancerMessage, BalancerDurable> = {
  initialDurable(): BalancerDurable {
    return { wanted: {} };
  },

  init(ctx: Context): BalancerState {
    if (Object.keys(ctx.durable.wanted).length === 0) {
      // First start: the initial replicas are wanted active, as generation 1.
      const wanted: Record<NodeId, Membership> = {};
      const active = initialActiveCount(ctx.params);
      replicaIds(ctx.params).forEach((id, index) => {
        wanted[id] =
          index < active ? { isActive: true, generation: 1 } : { isActive: false, generation: 0 };
      });
      ctx.persist({ wanted });
    }
    const state: BalancerState = { heard: {}, cursor: 0 };
    reconcile(state, ctx);
    ctx.setTimer(tickTimer, msParamUs(ctx, 'statusIntervalMs'));
    armScaleOut(ctx);
    return state;
  },

  receive(state: BalancerState, event: NodeEvent<BalancerMessage>, ctx: Context): BalancerState {
    switch (event.kind) {
      case 'message':
        if (event.message.type === 'Read') return onRead(state, event.from, event.message, ctx);
        if (event.message.type === 'Status') return onStatus(state, event.from, event.message, ctx);
        return state;
      case 'timer':
        if (event.name === scaleOutTimer) return addReplica(state, ctx);
        if (event.name !== tickTimer) return state;
        ctx.setTimer(tickTimer, msParamUs(ctx, 'statusIntervalMs'));
        reconcile(state, ctx);
        return state;
      case 'fault':
        if (event.fault === 'add-replica') return addReplica(state, ctx);
        if (event.fault === 'remove-replica') return removeReplica(state, ctx);
        return state;
      default: {
        const unknownEvent: never = event;
        return unknownEvent;
      }
    }
  },

  summarize(state: BalancerState, durable: BalancerDurable): NodeSummary {
    let active = 0;
    for (const id in durable.wanted) if ((durable.wanted[id] as Membership).isActive) active++;
    let serving = 0;
    for (const id in state.heard) {
      const heard = state.heard[id] as HeardStatus;
      if (heard.isServing && durable.wanted[id]?.generation === heard.generation) serving++;
    }
    return {
      label: 'balancing',
      badge: `${serving}/${active} serving`,
      health: serving === 0 ? 'bad' : serving < active ? 'warn' : 'ok',
    };
  },
};

/** [2] Replicas that may take a read now: wanted active, agreeing, serving, heard lately. */
export function rotation(
  state: BalancerState,
  ctx: Pick<Context, 'durable' | 'params' | 'localTimeUs'>,
): NodeId[] {
  const freshUs = missedStatusesMax * msParamUs(ctx, 'statusIntervalMs');
  const nowUs = ctx.localTimeUs;
  const wanted = ctx.durable.wanted;
  return replicaIds(ctx.params).filter((id) => {
    const membership = wanted[id];
    const heard = state.heard[id];
    return (
      membership?.isActive === true &&
      heard?.generation === membership.generation &&
      heard.isServing &&
      nowUs - heard.heardUs <= freshUs
    );
  });
}

/** [2] Round-robin over the rotation; in read-your-writes mode, over those known to be far enough. */
function onRead(
  state: BalancerState,
  client: NodeId,
  message: ReadMessage,
  ctx: Context,
): BalancerState {
  const candidates = rotation(state, ctx);
  if (candidates.length === 0) {
    ctx.send(client, {
      type: 'ReadReply',
      readId: message.readId,
      outcome: 'unavailable',
      applied: 0,
      version: 0,
    });
    return state;
  }
  const caughtUp = candidates.filter(
    (id) => (state.heard[id]?.applied ?? 0) >= message.minPosition,
  );
  const pool = caughtUp.length > 0 ? caughtUp : candidates;
  const target = pool[state.cursor % pool.length] as NodeId;
  ctx.send(target, {
    type: 'Query',
    client,
    readId: message.readId,
    key: message.key,
    minPosition: message.minPosition,
  });
  return { heard: state.heard, cursor: state.cursor + 1 };
}

function onStatus(
  state: BalancerState,
  from: NodeId,
  message: StatusMessage,
  ctx: Context,
): BalancerState {
  const heard: HeardStatus = {
    generation: message.generation,
    isActive: message.isActive,
    isServing: message.isServing,
    applied: message.applied,
    heardUs: ctx.localTimeUs,
  };
  const allHeard: Record<NodeId, HeardStatus> = { ...state.heard };
  allHeard[from] = heard;
  const next: BalancerState = { heard: allHeard, cursor: state.cursor };
  const wanted = ctx.durable.wanted[from];
  if (wanted !== undefined && !agrees(wanted, heard)) tell(from, wanted, ctx);
  return next;
}

/** [1] Repeats the wanted membership to every replica whose last Status disagrees with it. */
function reconcile(state: BalancerState, ctx: Context): void {
  for (const [id, wanted] of Object.entries(ctx.durable.wanted)) {
    const heard = state.heard[id];
    if (heard === undefined ? wanted.generation > 0 : !agrees(wanted, heard)) tell(id, wanted, ctx);
  }
}

function agrees(wanted: Membership, heard: HeardStatus): boolean {
  return heard.generation === wanted.generation && heard.isActive === wanted.isActive;
}

function tell(replica: NodeId, wanted: Membership, ctx: Context): void {
  const type = wanted.isActive ? 'Activate' : 'Deactivate';
  ctx.send(replica, { type, generation: wanted.generation });
}

/** [1] The operator adds a replica: the first spare joins, with a new generation. */
function addReplica(state: BalancerState, ctx: Context): BalancerState {
  const spare = replicaIds(ctx.params).find((id) => ctx.durable.wanted[id]?.isActive !== true);
  if (spare === undefined) {
    ctx.annotate('no spare replica left to add');
    return state;
  }
  return change(state, spare, true, ctx);
}

/** [1] The operator removes a replica: the last active one leaves (one always stays). */
function removeReplica(state: BalancerState, ctx: Context): BalancerState {
  const active = replicaIds(ctx.params).filter((id) => ctx.durable.wanted[id]?.isActive === true);
  const last = active.at(-1);
  if (last === undefined || active.length <= 1) {
    ctx.annotate('keeps the last query replica');
    return state;
  }
  return change(state, last, false, ctx);
}

function change(
  state: BalancerState,
  replica: NodeId,
  isActive: boolean,
  ctx: Context,
): BalancerState {
  const generation = (ctx.durable.wanted[replica]?.generation ?? 0) + 1;
  const wanted: Membership = { isActive, generation };
  ctx.persist({ wanted: { ...ctx.durable.wanted, [replica]: wanted } });
  ctx.annotate(
    `${isActive ? 'adds' : 'removes'} query replica ${replica} (generation ${generation})`,
  );
  tell(replica, wanted, ctx);
  return state;
}

/*
 * Notes
 *
 * [1] Membership. The operator's decision is written to disk first, with a generation number
 *     one above the replica's previous one, then sent; since Activate and Deactivate can be lost
 *     or the replica can be down, the balancer repeats the wanted state on every tick (and on any
 *     Status that disagrees) until the replica's Status reports the same generation and state.
 *     A removed replica leaves the rotation at once, whatever it says.
 *
 * [2] Balancing. A read goes to the next replica in turn among those in rotation: wanted active,
 *     agreeing on the generation, reporting serving (caught up since it started), and heard from
 *     within three status intervals (a crashed or cut-off replica drops out after that; until
 *     then some reads go to it and time out). In read-your-writes mode the balancer prefers
 *     replicas whose last reported position reaches the client's last write: a cheap redirect
 *     that saves most waits; the replica still checks, because the report may be old.
 */
