import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment, RecordedCommand } from '../../engine/types.ts';
import { ownerOf } from './placement.ts';
import { hotKeyFault } from './protocol.ts';
import type { ShardState } from './shardState.ts';
import { control, defaultsWith, runFor, start, storylineOff, type RunOptions } from './testKit.ts';
import { routerDurable, routerTable } from './world.ts';
import { momentKinds } from '../testing/momentKit.ts';

/**
 * The moments the monitor reports (moments.ts): each kind appears where the protocol makes it
 * happen, at the very event that made it happen (a replay stopped one event earlier does not
 * show it yet), with its sentence, and only once per transition.
 */

const seed = 11;
const defaults = defaultsWith();
const hotKey = defaults.hotKey ?? 0;

/** These runs are the operator's alone: the storyline (storyline.test.ts) is off. */
function started(options: RunOptions): Simulation {
  return start(seed, { ...options, params: { ...storylineOff, ...options.params } });
}

function runOf(options: RunOptions, ms = 60_000): Simulation {
  const sim = started(options);
  runFor(sim, ms);
  return sim;
}

/** The same run replayed to just after `moment`'s event (`before`: to just before it). */
function replayTo(options: RunOptions, moment: Moment, before = false): Simulation {
  const sim = started(options);
  sim.runUntil(moment.timeUs, moment.eventCount - (before ? 1 : 0));
  return sim;
}

/**
 * The same run up to `moment`'s time, every event at it included: a control acts as a command,
 * between events, so this is how far a replay must go to see its effect.
 */
function replayThrough(options: RunOptions, moment: Moment): Simulation {
  const sim = started(options);
  sim.runUntil(moment.timeUs);
  return sim;
}

function heldBy(sim: Simulation, id: string): number {
  const state = sim.node(id).state as ShardState;
  return state.queue.length + (state.busy === null ? 0 : 1);
}

function hotKeyOnClients(atMs: number, sharePercent: number): RecordedCommand[] {
  return ['c1', 'c2'].map((node) => ({
    atUs: atMs * 1000,
    command: {
      type: 'scenario.fault',
      fault: hotKeyFault,
      node,
      args: { key: hotKey, sharePercent },
    },
  }));
}

const at = (ms: number, command: RecordedCommand['command']): RecordedCommand => ({
  atUs: ms * 1000,
  command,
});

describe('moments', () => {
  it('are quiet with the storyline off: four shards take the load and nobody rebalances', () => {
    expect(momentKinds(runOf({}))).toEqual([]);
  });

  it('mark the baseline’s single node overloaded once, at the request that filled its queue', () => {
    const options: RunOptions = { variant: 'baseline' };
    const sim = runOf(options);
    expect(momentKinds(sim)).toEqual(['shard-overloaded']);
    const [overloaded] = sim.moments as [Moment];
    expect(overloaded.nodes).toEqual(['s1']);
    expect(overloaded.text).toBe(
      `s1 is overloaded: its queue of ${defaults.queueCapacity} is full, so it rejects requests`,
    );
    expect(heldBy(replayTo(options, overloaded, true), 's1')).toBeLessThan(
      defaults.queueCapacity ?? 0,
    );
    expect(heldBy(replayTo(options, overloaded), 's1')).toBe(defaults.queueCapacity);
  });

  describe('an operator’s day: add a shard, a hot key comes and goes, remove the shard', () => {
    const options: RunOptions = {
      commands: [
        at(5_000, control('add')),
        ...hotKeyOnClients(20_000, 90),
        ...hotKeyOnClients(30_000, 0),
        at(35_000, control('remove')),
      ],
    };
    const sim = runOf(options);

    it('reports each step once, in order', () => {
      expect(momentKinds(sim)).toEqual([
        'shard-added',
        'handoff-done',
        'hot-key',
        'shard-recovered',
        'shard-removed',
        'handoff-done',
      ]);
    });

    it('reports the new table when the router writes it, with the keys it moves', () => {
      const [added] = sim.moments as [Moment];
      expect(added.timeUs).toBe(5_000_000);
      const rebalance = routerDurable(replayThrough(options, added)).rebalance;
      expect(rebalance).not.toBeNull();
      expect(added.nodes).toEqual(['router', rebalance?.shard]);
      expect(added.text).toBe(
        `Table v${rebalance?.version} adds ${rebalance?.shard}: ${rebalance?.plannedMoves} of ` +
          `${defaults.keyCount} keys change shard and are handed off`,
      );
    });

    it('reports the hand-off done at the last shard’s report', () => {
      const [added, done] = sim.moments as [Moment, Moment];
      const planned = routerDurable(replayThrough(options, added)).rebalance;
      expect(routerDurable(replayTo(options, done, true)).rebalance).not.toBeNull();
      expect(routerDurable(replayTo(options, done)).rebalance).toBeNull();
      const seconds = Math.round((done.timeUs - added.timeUs) / 100_000) / 10;
      expect(done.text).toBe(
        `Hand-off to table v${planned?.version} done: all ${planned?.waiting.length} shards ` +
          `taking part reported done, ${planned?.plannedMoves} keys moved in ${seconds} s`,
      );
    });

    it('names the hot key’s shard when the key fills its queue, and its catching up later', () => {
      const [, , hot, recovered] = sim.moments as [Moment, Moment, Moment, Moment];
      const before = replayTo(options, hot, true);
      const after = replayTo(options, hot);
      const owner = ownerOf(routerTable(after), hotKey);
      expect(hot.nodes).toEqual([owner]);
      expect(heldBy(before, owner)).toBeLessThan(defaults.queueCapacity ?? 0);
      expect(heldBy(after, owner)).toBe(defaults.queueCapacity);
      expect(hot.text).toMatch(
        new RegExp(
          `^${owner} is overloaded by hot key ${hotKey}: \\d+ of the ${defaults.queueCapacity} requests`,
        ),
      );
      expect(recovered.nodes).toEqual([owner]);
      expect(recovered.timeUs).toBeGreaterThan(30_000_000);
      expect(heldBy(replayTo(options, recovered), owner)).toBe(0);
      expect(recovered.text).toBe(`${owner} caught up: it holds no waiting request again`);
    });

    it('reports the removal with its table', () => {
      const removed = sim.moments[4];
      expect(removed?.timeUs).toBe(35_000_000);
      expect(removed?.text).toMatch(/^Table v3 removes s5: \d+ of \d+ keys change shard/);
    });
  });

  it('reports a queued rebalance starting in the same event the previous one ends', () => {
    const sim = runOf({ commands: [at(1_000, control('add')), at(1_000, control('add'))] }, 30_000);
    expect(momentKinds(sim)).toEqual([
      'shard-added',
      'handoff-done',
      'shard-added',
      'handoff-done',
    ]);
    const [, firstDone, second] = sim.moments as [Moment, Moment, Moment];
    expect(second.timeUs).toBe(firstDone.timeUs);
    expect(second.text).toMatch(/^Table v3 adds s6:/);
  });
});
