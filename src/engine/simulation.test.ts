import { describe, expect, it } from 'vitest';
import { checkpointCoverage } from './checkpoint.ts';
import { type LinkConfig, defaultLinkConfig } from './network.ts';
import { Simulation } from './simulation.ts';
import { pingPongModel, pingPongRun } from './testing/pingPong.ts';
import type { Command, RecordedCommand } from './types.ts';

const model = pingPongModel(defaultLinkConfig);

function run(
  seed: number,
  commands: RecordedCommand[] = [],
  untilUs = 400_000,
  link?: LinkConfig,
): Simulation {
  const sim = new Simulation(
    link === undefined ? model : pingPongModel(link),
    pingPongRun(seed, {}, commands),
  );
  sim.runUntil(untilUs);
  return sim;
}

function countTrace(sim: Simulation, type: string): number {
  return sim.traceEvents(0).filter((event) => event.type === type).length;
}

describe('determinism', () => {
  it('gives the same trace hash for the same run description', () => {
    expect(run(7).traceHash).toBe(run(7).traceHash);
    expect(run(7).eventCount).toBe(run(7).eventCount);
  });

  it('gives different hashes for different seeds', () => {
    const hashes = new Set([1, 2, 3, 4, 5].map((seed) => run(seed).traceHash));
    expect(hashes.size).toBe(5);
  });

  it('replays a command log recorded mid-run to the same hash', () => {
    const live = new Simulation(model, pingPongRun(3));
    live.runUntil(100_000);
    live.step();
    live.step();
    live.apply({ type: 'node.crash', node: 'p2' });
    live.runUntil(150_333);
    live.apply({ type: 'net.isolate', node: 'p1' });
    live.runUntil(250_000);
    live.apply({ type: 'node.restart', node: 'p2' });
    live.apply({ type: 'net.heal' });
    live.runUntil(400_000);
    const replay = new Simulation(model, live.describe());
    replay.runUntil(400_000);
    expect(replay.traceHash).toBe(live.traceHash);
    expect(replay.eventCount).toBe(live.eventCount);
    expect(live.describe().commands.map((record) => record.event)).toEqual(
      replay.describe().commands.map((record) => record.event),
    );
  });

  it('changes the hash when a command is added', () => {
    const base = run(3);
    const faulted = run(3, [{ atUs: 200_000, command: { type: 'node.crash', node: 'p3' } }]);
    expect(faulted.traceHash).not.toBe(base.traceHash);
  });

  it('continues from a checkpoint exactly as a straight run', () => {
    const commands: RecordedCommand[] = [
      { atUs: 50_000, command: { type: 'node.pause', node: 'p1', durationMs: 30 } },
      { atUs: 250_000, command: { type: 'link.hold', from: 'p2', to: 'p3' } },
      { atUs: 300_000, command: { type: 'link.release', from: 'p2', to: 'p3' } },
    ];
    const straight = run(11, commands, 500_000);
    const first = new Simulation(model, pingPongRun(11, {}, commands));
    first.runUntil(60_000);
    const checkpoint = first.checkpoint();
    first.runUntil(270_000);
    const second = first.checkpoint();
    const resumed = Simulation.fromCheckpoint(model, checkpoint);
    resumed.runUntil(500_000);
    const resumedLater = Simulation.fromCheckpoint(model, second);
    resumedLater.runUntil(500_000);
    expect(resumed.traceHash).toBe(straight.traceHash);
    expect(resumedLater.traceHash).toBe(straight.traceHash);
    expect(resumed.metricFinals()).toEqual(straight.metricFinals());
  });

  it('restores every captured field that is a plain number', () => {
    const commands: RecordedCommand[] = [
      { atUs: 50_000, command: { type: 'node.crash', node: 'p1' } },
      { atUs: 90_000, command: { type: 'net.isolate', node: 'p2' } },
    ];
    const first = new Simulation(model, pingPongRun(5, {}, commands));
    first.runUntil(120_000);
    const resumed = Simulation.fromCheckpoint(model, first.checkpoint());
    const numeric = Object.entries(checkpointCoverage)
      .filter(([, how]) => how === 'captured')
      .map(([key]) => key as keyof typeof checkpointCoverage)
      .filter((key) => typeof first[key] === 'number');
    expect(numeric.length).toBeGreaterThan(5);
    for (const key of numeric) expect([key, resumed[key]]).toEqual([key, first[key]]);
  });
});

describe('nodes', () => {
  it('loses volatile state on crash, keeps durable state, and restarts from it', () => {
    const sim = run(5, [
      { atUs: 100_000, command: { type: 'node.crash', node: 'p1' } },
      { atUs: 200_000, command: { type: 'node.restart', node: 'p1' } },
    ]);
    const p1 = sim.node('p1');
    expect(p1.status).toBe('up');
    expect(p1.durable).toEqual({ restarts: 1 });
    // Volatile counters restarted from zero: fewer pings than a node that never crashed.
    const sent = (p1.state as { sent: number }).sent;
    const other = (sim.node('p2').state as { sent: number }).sent;
    expect(sent).toBeLessThan(other);
    expect(countTrace(sim, 'node.crashed')).toBe(1);
    expect(countTrace(sim, 'node.restarted')).toBe(1);
  });

  it('drops messages to a crashed node and fires none of its old timers', () => {
    const sim = run(5, [{ atUs: 100_000, command: { type: 'node.crash', node: 'p1' } }]);
    const events = sim.traceEvents(0);
    const afterCrash = events.filter((event) => event.timeUs > 100_000 && event.node === 0);
    expect(afterCrash.some((event) => event.type === 'timer.fired')).toBe(false);
    expect(afterCrash.some((event) => event.type === 'message.delivered')).toBe(false);
    const drops = afterCrash.filter((event) => event.type === 'message.dropped');
    expect(drops.length).toBeGreaterThan(0);
    expect(drops.every((event) => event.value === 2)).toBe(true);
  });

  it("holds a paused node's events and handles them, in order, when it resumes", () => {
    const sim = run(
      5,
      [{ atUs: 100_000, command: { type: 'node.pause', node: 'p2', durationMs: 50 } }],
      200_000,
    );
    const handled = sim.trace
      .since(0)
      .filter(
        (event) =>
          event.node === 1 && (event.type === 'message.delivered' || event.type === 'timer.fired'),
      );
    expect(handled.some((event) => event.timeUs > 100_000 && event.timeUs < 150_000)).toBe(false);
    const atResume = handled.filter((event) => event.timeUs === 150_000);
    expect(atResume.length).toBeGreaterThan(1);
    expect(countTrace(sim, 'node.resumed')).toBe(1);
  });

  it("runs a skewed node's clock ahead and drifting", () => {
    const sim = new Simulation(model, pingPongRun(1));
    sim.runUntil(1000);
    sim.apply({ type: 'node.skew', node: 'p1', offsetMs: 5, driftPpm: 100_000 });
    sim.runUntil(101_000);
    const node = sim.nodeList[0];
    expect(node === undefined ? 0 : sim.nodeLocalTimeUs(node)).toBe(101_000 + 5_000 + 10_100);
  });
});

describe('network', () => {
  it('delivers nothing across a partition, both ways, until healed', () => {
    const sim = run(2, [
      { atUs: 100_000, command: { type: 'net.partition', groups: [['p1', 'p2']] } },
      { atUs: 300_000, command: { type: 'net.heal' } },
    ]);
    const crossing = (event: { node: number; peer: number }): boolean =>
      event.node < 2 !== event.peer < 2;
    const delivered = sim.trace
      .since(0)
      .filter((event) => event.type === 'message.delivered' && crossing(event));
    expect(delivered.some((event) => event.timeUs > 102_000 && event.timeUs < 300_000)).toBe(false);
    expect(delivered.some((event) => event.timeUs > 302_000)).toBe(true);
    expect(delivered.some((event) => event.timeUs < 100_000)).toBe(true);
  });

  it('cuts one direction only with net.cut', () => {
    const sim = run(2, [{ atUs: 0, command: { type: 'net.cut', from: ['p1'], to: ['p2'] } }]);
    const delivered = sim.traceEvents(0).filter((event) => event.type === 'message.delivered');
    expect(delivered.some((event) => event.node === 1 && event.peer === 0)).toBe(false);
    expect(delivered.some((event) => event.node === 0 && event.peer === 1)).toBe(true);
    expect(sim.canReach('p1', 'p2')).toBe(false);
    expect(sim.canReach('p2', 'p1')).toBe(true);
  });

  it('loses about the configured share of messages', () => {
    const lossy: LinkConfig = { ...defaultLinkConfig, lossProbability: 0.3 };
    const sim = run(9, [], 2_000_000, lossy);
    const sent = countTrace(sim, 'message.sent');
    const lost = sim.trace
      .since(0)
      .filter((event) => event.type === 'message.dropped' && event.value === 0).length;
    expect(sent).toBeGreaterThan(5000);
    expect(lost / sent).toBeGreaterThan(0.27);
    expect(lost / sent).toBeLessThan(0.33);
  });

  it('duplicates about the configured share and reorders with jitter', () => {
    const link: LinkConfig = {
      latency: { kind: 'uniform', minUs: 100, maxUs: 5000 },
      lossProbability: 0,
      duplicateProbability: 0.2,
    };
    const sim = run(4, [], 1_000_000, link);
    const sent = countTrace(sim, 'message.sent');
    const duplicated = countTrace(sim, 'message.duplicated');
    expect(duplicated / sent).toBeGreaterThan(0.17);
    expect(duplicated / sent).toBeLessThan(0.23);
    // Reordering: on some link, a later send is delivered before an earlier one.
    const deliveredAt = new Map<number, number>();
    for (const event of sim.traceEvents(0))
      if (event.type === 'message.delivered') deliveredAt.set(event.messageId, event.timeUs);
    const sends = sim.trace
      .since(0)
      .filter((event) => event.type === 'message.sent' && event.node === 0 && event.peer === 1);
    let reordered = 0;
    for (let i = 1; i < sends.length; i++) {
      const a = deliveredAt.get(sends[i - 1]?.messageId ?? -1);
      const b = deliveredAt.get(sends[i]?.messageId ?? -1);
      if (a !== undefined && b !== undefined && b < a) reordered++;
    }
    expect(reordered).toBeGreaterThan(0);
  });

  it("holds a link's messages and releases them in order", () => {
    const sim = run(6, [
      { atUs: 100_000, command: { type: 'link.hold', from: 'p1', to: 'p2' } },
      { atUs: 200_000, command: { type: 'link.release', from: 'p1', to: 'p2' } },
    ]);
    const events = sim.traceEvents(0);
    const held = events.filter((event) => event.type === 'message.held');
    expect(held.length).toBeGreaterThan(0);
    const released = events.filter(
      (event) =>
        event.type === 'message.delivered' &&
        event.node === 1 &&
        event.peer === 0 &&
        event.timeUs === 200_000,
    );
    expect(released.map((event) => event.messageId)).toEqual(held.map((event) => event.messageId));
  });

  it('keeps the same latency draws on other links when one link changes', () => {
    const base = run(8, [], 300_000);
    const changed = run(
      8,
      [{ atUs: 0, command: { type: 'link.set', from: 'p3', to: 'p4', lossProbability: 0.5 } }],
      300_000,
    );
    const firstDelivery = (sim: Simulation): number | undefined =>
      sim.trace
        .since(0)
        .find((event) => event.type === 'message.delivered' && event.node === 1 && event.peer === 0)
        ?.timeUs;
    expect(firstDelivery(changed)).toBe(firstDelivery(base));
  });
});

describe('commands and invariants', () => {
  it('rejects a bad command with a coded error and changes nothing', () => {
    const sim = run(1, [], 10_000);
    const hash = sim.traceHash;
    const bad: Command[] = [
      { type: 'node.crash', node: 'nope' },
      { type: 'link.set', from: 'p1', to: 'p2', lossProbability: 2 },
      { type: 'param.set', key: 'nodeCount', value: 3 },
      { type: 'param.set', key: 'intervalUs', value: 0 },
      { type: 'scenario.fault', fault: 'missing', node: 'p1' },
      { type: 'node.pause', node: 'p1', durationMs: -5 },
    ];
    const codes = bad.map((command) => {
      try {
        sim.apply(command);
        return 'applied';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    });
    expect(codes).toEqual([
      'unknown-node',
      'bad-link',
      'param-not-live',
      'param-out-of-range',
      'unknown-fault',
      'bad-command',
    ]);
    expect(sim.traceHash).toBe(hash);
    expect(sim.commands).toHaveLength(0);
  });

  it('applies a live parameter change and records it', () => {
    const sim = new Simulation(model, pingPongRun(1));
    sim.runUntil(100_000);
    const before = sim.eventCount;
    sim.apply({ type: 'param.set', key: 'intervalUs', value: 100 });
    sim.runUntil(200_000);
    expect(sim.eventCount - before).toBeGreaterThan(4 * before);
    expect(sim.commands[0]?.command).toEqual({ type: 'param.set', key: 'intervalUs', value: 100 });
  });

  it('reports no liveness violation while a fault is in force or after it heals in time', () => {
    const healthy = run(1, [], 1_000_000);
    expect(healthy.invariantResults().every((result) => result.violations === 0)).toBe(true);
    // A paused node is a fault, so liveness is not owed; after it resumes, all nodes are up.
    const paused = run(
      1,
      [{ atUs: 100_000, command: { type: 'node.pause', node: 'p1', durationMs: 400 } }],
      1_000_000,
    );
    expect(paused.invariantResults().find((result) => result.id === 'all-up')?.violations).toBe(0);
  });

  it('forks the run when a command is applied while older ones wait to replay', () => {
    const commands: RecordedCommand[] = [
      { atUs: 300_000, command: { type: 'node.crash', node: 'p1' } },
    ];
    const sim = new Simulation(model, pingPongRun(1, {}, commands));
    sim.runUntil(100_000);
    sim.apply({ type: 'node.crash', node: 'p2' });
    sim.runUntil(400_000);
    expect(sim.commands.map((record) => record.command)).toEqual([
      { type: 'node.crash', node: 'p2' },
    ]);
    expect(sim.node('p1').status).toBe('up');
  });

  it('keeps the trace window capped while the hash covers everything', () => {
    const sim = new Simulation(model, pingPongRun(1), {
      traceWindowMax: 100,
      commandLogMax: 10,
      pendingEventsMax: 10_000,
    });
    sim.runUntil(200_000);
    expect(sim.trace.count).toBeGreaterThan(1000);
    expect(sim.traceEvents(0)).toHaveLength(100);
    const wide = new Simulation(model, pingPongRun(1));
    wide.runUntil(200_000);
    expect(wide.traceHash).toBe(sim.traceHash);
  });
});

describe('active faults with a listed topology', () => {
  // Two nodes with one listed link: the other ordered pairs (a node to itself) have no link at
  // all, which is not a fault.
  const full = pingPongModel(defaultLinkConfig);
  const ring = {
    ...full,
    topology: (params: Readonly<Record<string, number>>, variant: 'pattern' | 'baseline') => ({
      ...full.topology(params, variant),
      links: [['p1', 'p2']] as const,
      // A fresh object per build, as most scenarios make it (a restored run builds its own).
      linkConfig: { ...defaultLinkConfig },
    }),
  };

  it('reports no fault until one is injected, and none again once it heals', () => {
    const sim = new Simulation(ring, pingPongRun(3, { nodeCount: 2 }));
    sim.runUntil(50_000);
    expect(sim.hasActiveFaults).toBe(false);
    sim.apply({ type: 'link.set', from: 'p1', to: 'p2', lossProbability: 0.5 });
    expect(sim.hasActiveFaults).toBe(true);
    sim.apply({ type: 'net.heal' });
    expect(sim.hasActiveFaults).toBe(false);
  });

  it('reports no fault in a run restored from a checkpoint, and the same faults as before', () => {
    const sim = new Simulation(ring, pingPongRun(3, { nodeCount: 2 }));
    sim.runUntil(50_000);
    expect(Simulation.fromCheckpoint(ring, sim.checkpoint()).hasActiveFaults).toBe(false);
    sim.apply({ type: 'link.set', from: 'p1', to: 'p2', lossProbability: 0.5 });
    const lossy = Simulation.fromCheckpoint(ring, sim.checkpoint());
    expect(lossy.hasActiveFaults).toBe(true);
    lossy.apply({ type: 'net.heal' });
    expect(lossy.hasActiveFaults).toBe(false);
  });
});
