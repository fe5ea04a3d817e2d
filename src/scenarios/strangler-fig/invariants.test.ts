import { describe, expect, it } from 'vitest';
import type { Behaviour, NodeEvent, ScenarioModel, Topology, Variant } from '../../engine/types.ts';
import { type FacadeContext, type FacadeState, makeFacadeBehaviour } from './facade.ts';
import { stranglerFig } from './model.ts';
import { facadeRole, newServiceId, type StranglerMessage } from './protocol.ts';
import type { FacadeDurable } from './routing.ts';
import {
  at,
  invariant,
  moveAll,
  moveRoute,
  reproduction,
  runUntil,
  safetyViolations,
  setRoute,
  start,
} from './testKit.ts';
import { isLegacyRetired } from './world.ts';

/*
 * The safety invariants must be able to fail. Each test swaps the facade for a deliberately
 * broken one (a plausible bug, wrapped around the real facade) and checks that the invariant
 * names the violation, while the same run with the real facade has none.
 */

type FacadeBehaviour = Behaviour<FacadeState, StranglerMessage, FacadeDurable>;
type Receive = (
  state: FacadeState,
  event: NodeEvent<StranglerMessage>,
  ctx: FacadeContext,
  inner: FacadeBehaviour,
) => FacadeState;

const realFacade = makeFacadeBehaviour('pattern');

/** The real facade with its `receive` wrapped. */
function brokenFacade(receive: Receive): FacadeBehaviour {
  return {
    ...realFacade,
    receive: (state, event, ctx) => receive(state, event, ctx, realFacade),
  };
}

/** The scenario with the facade replaced (same id, params and invariants). */
function withFacade(facade: FacadeBehaviour): ScenarioModel {
  return {
    ...stranglerFig,
    topology(params: Readonly<Record<string, number>>, variant: Variant): Topology {
      const topology = stranglerFig.topology(params, variant);
      return {
        ...topology,
        nodes: topology.nodes.map((node) =>
          node.role === facadeRole ? { ...node, behaviour: facade } : node,
        ),
      };
    },
  };
}

/** Bug: the facade passes a shadow answer on to the client when it arrives before legacy's. */
const leaksShadows = brokenFacade((state, event, ctx, inner) => {
  if (event.kind === 'message' && event.message.type === 'ShadowReply') {
    const reply = event.message;
    for (const record of state.calls.values()) {
      if (record.kind !== 'primary' || record.shadowCallId !== reply.callId) continue;
      ctx.send(record.client, {
        type: 'Response',
        requestId: record.requestId,
        answerId: `shadow.${reply.callId}`,
        outcome: reply.isError ? 'error' : 'ok',
        value: reply.value,
        producer: reply.producer,
        isShadow: true,
      });
    }
  }
  return inner.receive(state, event, ctx);
});

/** Bug: on a timeout the facade answers but forgets to drop the call, so a late reply answers too. */
const answersTwice = brokenFacade((state, event, ctx, inner) => {
  const next = inner.receive(state, event, ctx);
  if (event.kind !== 'timer' || typeof event.data !== 'number') return next;
  const record = state.calls.get(event.data);
  if (record?.kind !== 'primary') return next;
  return { ...next, calls: new Map(next.calls).set(event.data, record) };
});

/** Bug: after 8 s the facade misreads every new-service answer as an error. */
const misreadsReplies = brokenFacade((state, event, ctx, inner) => {
  if (
    event.kind === 'message' &&
    event.message.type === 'Reply' &&
    event.message.producer !== 'legacy' &&
    ctx.localTimeUs > 8_000_000
  ) {
    return inner.receive(state, { ...event, message: { ...event.message, isError: true } }, ctx);
  }
  return inner.receive(state, event, ctx);
});

/** Bug: the facade forgets that a retired legacy cannot take a route back. */
const forgetsRetirement = brokenFacade((state, event, ctx, inner) => {
  if (event.kind === 'fault' && event.fault === 'set-route' && ctx.durable.legacy !== 'serving') {
    const route = (event.args.route ?? 1) - 1;
    const percentNew = event.args.sharePct ?? 0;
    ctx.persist({
      ...ctx.durable,
      routes: ctx.durable.routes.map((config, index) =>
        index === route ? { ...config, percentNew } : config,
      ),
    });
    return { ...state };
  }
  return inner.receive(state, event, ctx);
});

describe('the safety invariants catch broken facades', () => {
  it('one-answer-per-request catches a shadow copy served to a client', () => {
    const commands = [at(500, setRoute(1, 0, 1))];
    for (let seed = 1; seed <= 3; seed++) {
      const broken = start(seed, { model: withFacade(leaksShadows), commands });
      const real = start(seed, { commands });
      broken.runUntil(5_000_000);
      real.runUntil(5_000_000);
      const violation = invariant(broken, 'one-answer-per-request').firstViolation;
      expect(violation, reproduction(broken)).not.toBeNull();
      expect(violation?.message).toMatch(
        /client-\d was answered with a shadow copy from new-orders/,
      );
      expect(violation?.nodes).toContain(newServiceId(1));
      expect(safetyViolations(real), reproduction(real)).toEqual([]);
    }
  });

  it('one-answer-per-request catches a second answer to one request', () => {
    // Legacy is sometimes slower than the facade's timeout, so late replies arrive.
    const params = { legacyServiceMs: 200, callTimeoutMs: 250 };
    for (let seed = 1; seed <= 3; seed++) {
      const broken = start(seed, { model: withFacade(answersTwice), params });
      const real = start(seed, { params });
      broken.runUntil(5_000_000);
      real.runUntil(5_000_000);
      const result = invariant(broken, 'one-answer-per-request');
      expect(result.violations, reproduction(broken)).toBeGreaterThan(0);
      expect(result.firstViolation?.message).toMatch(
        /client-\d got two answers to request \d+ \(answers .+ and .+, the second from legacy\)/,
      );
      expect(invariant(real, 'one-answer-per-request').violations, reproduction(real)).toBe(0);
    }
  });

  it('rollback-needs-cause catches a rollback of a healthy route', () => {
    const commands = [at(500, moveRoute(1))];
    const broken = start(1, { model: withFacade(misreadsReplies), commands });
    const real = start(1, { commands });
    broken.runUntil(15_000_000);
    real.runUntil(15_000_000);
    const violation = invariant(broken, 'rollback-needs-cause').firstViolation;
    expect(violation, reproduction(broken)).not.toBeNull();
    expect(violation?.message).toMatch(
      /route orders was rolled back although new-orders had been healthy for \d+/,
    );
    expect(invariant(real, 'rollback-needs-cause').violations).toBe(0);
    expect(safetyViolations(real)).toEqual([]);
  });

  it('retired-legacy-gets-no-traffic catches a route sent back to a retired legacy', () => {
    const broken = start(1, {
      model: withFacade(forgetsRetirement),
      commands: [at(500, moveAll())],
    });
    expect(runUntil(broken, () => isLegacyRetired(broken), 20_000)).toBe(true);
    broken.apply(setRoute(1, 30));
    const violation = invariant(broken, 'retired-legacy-gets-no-traffic').firstViolation;
    expect(violation, reproduction(broken)).not.toBeNull();
    expect(violation?.message).toBe('route orders can reach legacy after it was retired');
  });
});
