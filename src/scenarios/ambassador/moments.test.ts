import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment, Variant } from '../../engine/types.ts';
import { canRetry, totalsOf } from './budget.ts';
import { remoteFaultIds, type RemoteState } from './remote.ts';
import { ambassadorState, onEveryRemote, runFor, start, type RunOptions } from './testKit.ts';
import { firstMomentOf, momentKinds } from '../testing/momentKit.ts';

/**
 * The moments the monitor reports (moments.ts): each kind appears where the protocol makes it
 * happen, at the very event that made it happen (a replay stopped one event earlier does not
 * show it yet), with its sentence, and only once per transition.
 */

const seed = 1;

function runOf(options: RunOptions, ms = 60_000): Simulation {
  const sim = start(seed, options);
  runFor(sim, ms);
  return sim;
}

/** The same run replayed to just after `moment`'s event (`before`: to just before it). */
function replayTo(options: RunOptions, moment: Moment, before = false): Simulation {
  const sim = start(seed, options);
  sim.runUntil(moment.timeUs, moment.eventCount - (before ? 1 : 0));
  return sim;
}

const opposite: Readonly<Record<string, string>> = {
  'budget-exhausted': 'budget-restored',
  'budget-restored': 'budget-exhausted',
  'instance-ejected': 'instance-restored',
  'instance-restored': 'instance-ejected',
  'remote-overloaded': 'remote-drained',
  'remote-drained': 'remote-overloaded',
  'requests-failing': 'requests-recovered',
  'requests-recovered': 'requests-failing',
};

/** For the same nodes, a kind never repeats without its opposite in between. */
function expectAlternating(moments: readonly Moment[]): void {
  const last = new Map<string, string>();
  for (const moment of moments) {
    const key = `${moment.kind.split('-')[0] ?? ''} ${moment.nodes.join(',')}`;
    const previous = last.get(key);
    if (previous !== undefined) expect(opposite[previous], key).toBe(moment.kind);
    last.set(key, moment.kind);
  }
}

function queueOf(sim: Simulation, id: string): readonly unknown[] {
  return (sim.node(id).state as RemoteState).queue;
}

describe('moments', () => {
  describe('the default run (WAN loss, retries within the budget)', () => {
    const options: RunOptions = {};
    const sim = runOf(options);

    it('reports the budget running out at the refusal, and having room again later', () => {
      expect(new Set(momentKinds(sim))).toEqual(new Set(['budget-exhausted', 'budget-restored']));
      expectAlternating(sim.moments);
      const spent = firstMomentOf(sim, 'budget-exhausted');
      const [id] = spent.nodes as [string];
      const refusals = (at: Simulation): number => ambassadorState(at, id).counters.budgetRefusals;
      expect(refusals(replayTo(options, spent, true))).toBe(0);
      const after = replayTo(options, spent);
      expect(refusals(after)).toBe(1);
      const { requests, retries } = totalsOf(ambassadorState(after, id).budget);
      expect(spent.text).toBe(
        `${id}'s retry budget is spent: ${retries} retries and hedges for ${requests} requests ` +
          `in the last 10 s (${after.params.retryBudgetPercent}% + ` +
          `${after.params.retryBudgetMinPerSec}/s allowed), so it refuses more`,
      );
      const restored = sim.moments.find(
        (moment) => moment.kind === 'budget-restored' && moment.nodes[0] === id,
      );
      expect(restored).toBeDefined();
      const then = replayTo(options, restored as Moment);
      const budget = ambassadorState(then, id).budget;
      expect(canRetry(budget, then.nowUs, then.params)).toBe(true);
      expect(restored?.text).toMatch(
        new RegExp(`^${id}'s retry budget has room again: ${totalsOf(budget).retries} retries`),
      );
    });

    it('reports nothing in the baseline, which has no budget, breakers or full queues', () => {
      expect(momentKinds(runOf({ variant: 'baseline' }))).toEqual([]);
    });
  });

  describe.each<Variant>(['pattern', 'baseline'])(
    '%s: remotes overloaded, then recovered',
    (variant) => {
      const options: RunOptions = {
        variant,
        commands: [
          ...onEveryRemote(5_000_000, remoteFaultIds.overload, { capacityPercent: 10 }),
          ...onEveryRemote(35_000_000, remoteFaultIds.recover),
        ],
      };
      const sim = runOf(options);

      it('reports each app failing during the overload and recovered after it, judged per second', () => {
        const failing = sim.moments.filter((moment) => moment.kind === 'requests-failing');
        const recovered = sim.moments.filter((moment) => moment.kind === 'requests-recovered');
        expect(failing.map((moment) => moment.nodes[0]).sort()).toEqual(['app-1', 'app-2']);
        expect(recovered.map((moment) => moment.nodes[0]).sort()).toEqual(['app-1', 'app-2']);
        for (const moment of failing) {
          expect(moment.timeUs).toBeGreaterThan(5_000_000);
          expect(moment.timeUs).toBeLessThan(35_000_000);
          const [, ok, all] = /only (\d+) of its last (\d+) succeeded/.exec(moment.text) ?? [];
          expect(Number(ok)).toBeLessThan(Number(all) * 0.4);
          expect(Number(all)).toBeGreaterThanOrEqual(10);
        }
        for (const moment of recovered) expect(moment.timeUs).toBeGreaterThan(35_000_000);
      });

      it('reports each remote overloaded when its queue fills, and drained after the recovery', () => {
        expectAlternating(sim.moments);
        const overloaded = sim.moments.filter((moment) => moment.kind === 'remote-overloaded');
        const drained = sim.moments.filter((moment) => moment.kind === 'remote-drained');
        expect(overloaded.map((moment) => moment.nodes[0]).sort()).toEqual([
          'remote-1',
          'remote-2',
          'remote-3',
        ]);
        expect(drained).toHaveLength(3);
        const first = overloaded[0] as Moment;
        const [id] = first.nodes as [string];
        expect(queueOf(replayTo(options, first, true), id).length).toBeLessThan(50);
        expect(queueOf(replayTo(options, first), id)).toHaveLength(50);
        expect(first.text).toBe(
          `${id} is overloaded: its queue of 50 calls is full, so it rejects new ones`,
        );
        const last = drained.at(-1) as Moment;
        expect(last.timeUs).toBeGreaterThan(35_000_000);
        expect(queueOf(replayTo(options, last), last.nodes[0] ?? '')).toHaveLength(0);
        expect(last.text).toBe(`${last.nodes[0]} has drained its queue: it is keeping up again`);
      });
    },
  );

  it('reports an instance ejected by each ambassador’s breaker and restored after its restart', () => {
    const options: RunOptions = {
      params: { isBreakerOn: 1 },
      commands: [
        { atUs: 5_000_000, command: { type: 'node.crash', node: 'remote-2' } },
        { atUs: 25_000_000, command: { type: 'node.restart', node: 'remote-2' } },
      ],
    };
    const sim = runOf(options, 40_000);
    expectAlternating(sim.moments);
    const aboutRemote2 = sim.moments.filter((moment) => moment.nodes[1] === 'remote-2');
    expect(aboutRemote2.map((moment) => `${moment.kind} ${moment.nodes[0]}`).sort()).toEqual([
      'instance-ejected amb-1',
      'instance-ejected amb-2',
      'instance-restored amb-1',
      'instance-restored amb-2',
    ]);
    const ejected = aboutRemote2[0] as Moment;
    const [id] = ejected.nodes as [string];
    const breakerOf = (at: Simulation): string | undefined =>
      ambassadorState(at, id).instances.breakers[1]?.value;
    expect(breakerOf(replayTo(options, ejected, true))).toBe('closed');
    const after = replayTo(options, ejected);
    expect(breakerOf(after)).toBe('open');
    expect(ejected.text).toBe(
      `${id} stopped sending to remote-2: its breaker opened ` +
        `(${ambassadorState(after, id).instances.breakers[1]?.context.reason})`,
    );
    const restored = aboutRemote2.find(
      (moment) => moment.kind === 'instance-restored' && moment.nodes[0] === id,
    ) as Moment;
    expect(restored.timeUs).toBeGreaterThan(25_000_000);
    expect(breakerOf(replayTo(options, restored))).toBe('closed');
    expect(restored.text).toMatch(
      new RegExp(`^${id} sends to remote-2 again: its breaker closed \\(all \\d trial call`),
    );
  });
});
