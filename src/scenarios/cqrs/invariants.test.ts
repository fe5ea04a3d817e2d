import { describe, expect, it } from 'vitest';
import type { Behaviour, Message, RecordedCommand, ScenarioModel } from '../../engine/types.ts';
import { cqrs } from './model.ts';
import { replicaRole } from './protocol.ts';
import type { ReplicaDurable } from './queryReplica.ts';
import { invariant, reproduction, start } from './testKit.ts';

/*
 * The safety invariant must be able to fail. Each test runs the scenario with one replica's
 * behaviour deliberately broken (test-only wrappers around the real one) and checks that the
 * invariant reports it, while the same run with the real behaviour reports nothing.
 */

/** Rewrites what q1 receives (`reorder`) or what it stores after an event (`corrupt`). */
interface Break {
  readonly reorder?: (keys: readonly number[]) => readonly number[];
  readonly corrupt?: (before: ReplicaDurable, after: ReplicaDurable) => ReplicaDurable | null;
}

/** The scenario with replica q1 wrapped in a broken version of itself. */
function brokenModel(broken: Break): ScenarioModel {
  return {
    ...cqrs,
    topology(params, variant) {
      const topology = cqrs.topology(params, variant);
      const nodes = topology.nodes.map((node) =>
        node.role === replicaRole && node.id === 'q1'
          ? { ...node, behaviour: breakReplica(node.behaviour, broken) }
          : node,
      );
      return { ...topology, nodes };
    },
  };
}

function breakReplica(inner: Behaviour, broken: Break): Behaviour {
  return {
    initialDurable: (id) => inner.initialDurable(id),
    init: (ctx) => inner.init(ctx),
    summarize: (state, durable) => inner.summarize(state, durable),
    receive(state, event, ctx) {
      const before = ctx.durable as ReplicaDurable;
      let seen = event;
      if (event.kind === 'message' && broken.reorder !== undefined) {
        const message = event.message as { type: string; keys?: readonly number[] };
        if (message.type === 'Changes' && message.keys !== undefined) {
          const reordered = { ...message, keys: broken.reorder(message.keys) } as Message;
          seen = { ...event, message: reordered };
        }
      }
      const next = inner.receive(state, seen, ctx);
      const corrupted = broken.corrupt?.(before, ctx.durable as ReplicaDurable) ?? null;
      if (corrupted !== null) ctx.persist(corrupted);
      return next;
    },
  };
}

/** Applies each batch in reverse order: a key written twice in it ends with the older write. */
const outOfOrder: Break = { reorder: (keys) => keys.slice().reverse() };

/** Claims far more than it fetched: a position, and so writes, the log does not have yet. */
const uncommitted: Break = {
  corrupt: (before, after) =>
    after.applied > before.applied ? { ...after, applied: after.applied + 1000 } : null,
};

/** q1 crashes and restarts, so it catches up in one large batch. */
const bigBatch: RecordedCommand[] = [
  { atUs: 2_000_000, command: { type: 'node.crash', node: 'q1' } },
  { atUs: 4_000_000, command: { type: 'node.restart', node: 'q1' } },
];

describe('read-model-is-prefix catches broken read models', () => {
  it('catches a replica that applies a batch out of order', () => {
    const params = { keyCount: 2 };
    const broken = start(1, { params, commands: bigBatch, model: brokenModel(outOfOrder) });
    const real = start(1, { params, commands: bigBatch });
    broken.runUntil(6_000_000);
    real.runUntil(6_000_000);
    const result = invariant(broken, 'read-model-is-prefix');
    expect(result.violations, reproduction(broken)).toBeGreaterThan(0);
    expect(result.firstViolation?.message).toMatch(/^q1: key \d shows the write at position \d+/);
    expect(result.firstViolation?.nodes).toEqual(['q1']);
    expect(invariant(real, 'read-model-is-prefix').violations).toBe(0);
  });

  it('catches a replica that shows a write not yet committed', () => {
    const broken = start(2, { model: brokenModel(uncommitted) });
    const real = start(2);
    broken.runUntil(3_000_000);
    real.runUntil(3_000_000);
    const result = invariant(broken, 'read-model-is-prefix');
    expect(result.violations, reproduction(broken)).toBeGreaterThan(0);
    expect(result.firstViolation?.message).toMatch(
      /q1: shows position \d+, beyond the write log head \d+/,
    );
    expect(invariant(real, 'read-model-is-prefix').violations).toBe(0);
  });
});
