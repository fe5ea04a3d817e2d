import { describe, expect, it } from 'vitest';
import type { Behaviour, NodeContext } from '../../engine/types.ts';
import type { ShardingMessage } from './protocol.ts';
import { shardRole } from './protocol.ts';
import {
  entryHandingOff,
  entryMoved,
  entryOwned,
  type EntryStatus,
  type ShardDurable,
  withEntry,
} from './store.ts';
import {
  control,
  invariant,
  reproduction,
  runFor,
  runUntilSettled,
  boundMs,
  start,
  withWrappedRole,
} from './testKit.ts';

/*
 * The safety invariants must be able to fail. These tests run deliberately broken shards (the
 * real behaviour, with one step of the hand-off done wrong through a doctored context) and check
 * that each invariant catches the bug it exists for, with a message naming the key and shards.
 */

type ShardContext = NodeContext<ShardingMessage, ShardDurable>;

/** The shard behaviour with its context doctored by `doctor` for every event. */
function brokenShards(doctor: (ctx: ShardContext) => ShardContext) {
  return withWrappedRole(shardRole, (real): Behaviour => ({
    initialDurable: (id) => real.initialDurable(id),
    init: (ctx) => real.init(doctor(ctx as ShardContext)),
    summarize: (state, durable) => real.summarize(state, durable),
    receive: (state, event, ctx) => real.receive(state, event, doctor(ctx as ShardContext)),
  }));
}

/** A context whose writes to disk turn every `from` entry into `to` (keeping counts right). */
function rewritingEntries(from: EntryStatus, to: EntryStatus) {
  return (ctx: ShardContext): ShardContext =>
    Object.create(ctx, {
      persist: {
        value(durable: ShardDurable): void {
          let store = durable.store;
          for (let key = 0; key < store.status.length; key++) {
            if (store.status[key] !== from) continue;
            const peer = store.peer[key] ?? 0;
            store = withEntry(
              store,
              key,
              to,
              store.epoch[key] ?? 0,
              `s${peer}`,
              store.value[key] ?? 0,
            );
          }
          ctx.persist(store === durable.store ? durable : { ...durable, store });
        },
      },
    }) as ShardContext;
}

/** A context whose Transfers carry the value every key had at the start, not the current one. */
function shippingStaleValues(ctx: ShardContext): ShardContext {
  return Object.create(ctx, {
    send: {
      value(to: string, message: ShardingMessage): void {
        ctx.send(to, message.type === 'Transfer' ? { ...message, value: 1 } : message);
      },
    },
  }) as ShardContext;
}

const addAtOneSecond = [{ atUs: 1_000_000, command: control('add') }];

describe('the one-custodian invariant', () => {
  it('catches a source that drops its copy when it sends, before the key has arrived', () => {
    const model = brokenShards(rewritingEntries(entryHandingOff, entryMoved));
    const sim = start(1, { model, commands: addAtOneSecond });
    runFor(sim, 2000);
    const result = invariant(sim, 'one-custodian-per-key');
    expect(result.violations, reproduction(sim)).toBeGreaterThan(0);
    expect(result.firstViolation?.message).toMatch(/^key \d+ is lost: no shard holds it$/);
  });

  it('catches a source that keeps owning the key it sent (two owners)', () => {
    const model = brokenShards(rewritingEntries(entryHandingOff, entryOwned));
    const sim = start(1, { model, commands: addAtOneSecond });
    runFor(sim, 2000);
    const result = invariant(sim, 'one-custodian-per-key');
    expect(result.violations, reproduction(sim)).toBeGreaterThan(0);
    expect(result.firstViolation?.message).toMatch(
      /^key \d+ is owned by s\d \(owned, epoch 1\) although s5 \(owned, epoch 2\) is its custodian$/,
    );
    expect(result.firstViolation?.nodes).toHaveLength(2);
  });

  it('stays silent for the real protocol on the same runs', () => {
    const sim = start(1, { commands: addAtOneSecond });
    runFor(sim, 2000);
    expect(runUntilSettled(sim, boundMs()), reproduction(sim)).toBe(true);
    expect(invariant(sim, 'one-custodian-per-key').violations).toBe(0);
    expect(invariant(sim, 'acknowledged-writes-kept').violations).toBe(0);
  });
});

describe('the acknowledged-writes invariant', () => {
  it('catches a hand-off that ships a stale value', () => {
    const model = brokenShards(shippingStaleValues);
    const sim = start(1, { model, commands: [{ atUs: 3_000_000, command: control('add') }] });
    runFor(sim, 5000);
    const result = invariant(sim, 'acknowledged-writes-kept');
    expect(result.violations, reproduction(sim)).toBeGreaterThan(0);
    expect(result.firstViolation?.message).toMatch(
      /^key \d+: value \d+ was acknowledged, but its custodian s5 holds 1$/,
    );
    // Ownership itself was handed off correctly: only the value was wrong.
    expect(invariant(sim, 'one-custodian-per-key').violations).toBe(0);
  });
});
