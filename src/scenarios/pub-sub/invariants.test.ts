import { describe, expect, it } from 'vitest';
import type { Behaviour, ScenarioModel } from '../../engine/types.ts';
import { brokerBehaviour } from './broker.ts';
import type { BrokerState, Subscription } from './brokerTypes.ts';
import { durableBacklogDrains } from './invariants.ts';
import { pubSub, pubSubBrokerConfig } from './model.ts';
import { brokerRole, type BrokerMessage } from './protocol.ts';
import { storylineOff } from './storyline.ts';
import { defaultsWith, invariant, reproduction, runFor, start } from './testKit.ts';

/*
 * Each safety invariant must be able to fail: these runs break the pattern on purpose (the
 * baseline, or a broker with a deliberate bug) and check that the invariant names the fault.
 */

/** The scenario with the broker replaced. */
function withBroker(broker: Behaviour<BrokerState, BrokerMessage>): ScenarioModel {
  return {
    ...pubSub,
    topology(params, variant) {
      const topology = pubSub.topology(params, variant);
      const nodes = topology.nodes.map((node) =>
        node.role === brokerRole ? { ...node, behaviour: broker } : node,
      );
      return { ...topology, nodes };
    },
  };
}

/** A broker that acks publishes but never writes its queues to disk, whatever it is told. */
const forgetfulBroker = brokerBehaviour({
  ...pubSubBrokerConfig,
  settings: (params) => ({ ...pubSubBrokerConfig.settings(params), isPersistent: false }),
});

/** Serves pulls newest first: each pull is handled with the queues' order reversed. */
const reversed = (state: BrokerState): BrokerState => {
  const subscriptions: Record<string, Subscription> = {};
  for (const [id, sub] of Object.entries(state.subscriptions)) {
    subscriptions[id] = { ...sub, queue: sub.queue.slice().reverse() };
  }
  return { ...state, subscriptions };
};

function pubSubBrokerBehaviour(): Behaviour<BrokerState, BrokerMessage> {
  return pubSub.topology(defaultsWith(), 'pattern').nodes.find((node) => node.role === brokerRole)
    ?.behaviour as Behaviour<BrokerState, BrokerMessage>;
}

const lifoBroker: Behaviour<BrokerState, BrokerMessage> = {
  ...pubSubBrokerBehaviour(),
  receive(state, event, ctx) {
    const inner = pubSubBrokerBehaviour();
    if (event.kind !== 'message' || event.message.type !== 'Pull') {
      return inner.receive(state, event, ctx);
    }
    return reversed(inner.receive(reversed(state), event, ctx));
  },
};

/** A broker that, on s1's tenth pull, answers with a message nobody published. */
const inventingBroker: Behaviour<BrokerState, BrokerMessage> = {
  ...pubSubBrokerBehaviour(),
  receive(state, event, ctx) {
    if (event.kind === 'message' && event.message.type === 'Pull' && event.from === 's1') {
      const { session, pull } = event.message;
      if (pull === 10) {
        const fake = { publisher: 'p1', seq: 1_000_000, topic: 't1', createdUs: 0, attempt: 1 };
        ctx.send('s1', { type: 'Deliver', session, pull, ...fake });
        return state;
      }
    }
    return pubSubBrokerBehaviour().receive(state, event, ctx);
  },
};

describe('safety invariants catch violations', () => {
  it('no-acked-message-lost: the baseline loses messages to a down subscriber', () => {
    const sim = start(1, {
      variant: 'baseline',
      commands: [
        { atUs: 2_000_000, command: { type: 'node.crash', node: 's2' } },
        { atUs: 6_000_000, command: { type: 'node.restart', node: 's2' } },
      ],
    });
    runFor(sim, 8000);
    const result = invariant(sim, 'no-acked-message-lost');
    expect(result.violations, reproduction(sim)).toBeGreaterThan(0);
    expect(result.firstViolation?.nodes).toContain('s2');
    expect(result.firstViolation?.message).toMatch(/^p\d#\d+ was acknowledged to p\d but s2 /);
  });

  it('no-acked-message-lost: a broker that acks without writing to disk', () => {
    const sim = start(1, { model: withBroker(forgetfulBroker) });
    runFor(sim, 1000);
    const result = invariant(sim, 'no-acked-message-lost');
    expect(result.violations).toBeGreaterThan(0);
    // Caught at the first acknowledgement, long before any crash would show it.
    expect(result.firstViolation?.timeUs).toBeLessThan(1_000_000);
    // The same run with the real broker is clean.
    const honest = start(1);
    runFor(honest, 1000);
    expect(invariant(honest, 'no-acked-message-lost').violations).toBe(0);
  });

  it('per-publisher-order: a broker that serves the newest message first', () => {
    const commands = [
      {
        atUs: 500_000,
        command: { type: 'scenario.fault', fault: 'burst', node: 'p1', args: { count: 20 } },
      } as const,
    ];
    const sim = start(1, { model: withBroker(lifoBroker), commands });
    runFor(sim, 3000);
    const result = invariant(sim, 'per-publisher-order');
    expect(result.violations).toBeGreaterThan(0);
    expect(result.firstViolation?.message).toMatch(
      /^s\d got p1#\d+ for the first time after p1#\d+$/,
    );
    const honest = start(1, { commands });
    runFor(honest, 3000);
    expect(invariant(honest, 'per-publisher-order').violations).toBe(0);
  });

  it('no-invented-message: a broker that delivers a message nobody published', () => {
    const sim = start(1, { model: withBroker(inventingBroker) });
    runFor(sim, 3000);
    const result = invariant(sim, 'no-invented-message');
    expect(result.violations).toBe(1);
    expect(result.firstViolation?.message).toBe(
      's1 processed p1#1000000 on t1, which was never published to its topics',
    );
  });
});

describe('the liveness invariant', () => {
  it('fails when a durable subscriber cannot keep up after faults heal', () => {
    // 300 ms a message against 10 messages a second: the slow subscriber never catches up.
    // The storyline off: its slowdown would delay the moment the faults count as over.
    const params = { slowProcessingMs: 300, queueCapacity: 10, ...storylineOff };
    const commands = [
      { atUs: 1_000_000, command: { type: 'node.crash', node: 's1' } },
      { atUs: 1_500_000, command: { type: 'node.restart', node: 's1' } },
    ] as const;
    const sim = start(1, { params, commands: [...commands] });
    const boundMs = durableBacklogDrains.boundUs(defaultsWith(params)) / 1000;
    runFor(sim, 1500 + boundMs + 1000);
    const result = invariant(sim, 'durable-backlog-drains');
    expect(result.violations, reproduction(sim)).toBe(1);
    expect(result.firstViolation?.message).toMatch(/not true \d+(\.\d+)? ms after faults healed/);
  });
});
