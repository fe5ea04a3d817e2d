import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chaosScheduleFor } from '../engine/chaos.ts';
import { Simulation } from '../engine/simulation.ts';
import type { Command, RecordedCommand, RunDescription } from '../engine/types.ts';
import { scenarioCatalogue } from './catalogue.ts';
import { defaultHostOptions } from './host.ts';
import type { Frame, FromWorker, RunRequest } from './protocol.ts';
import { describeRun, requireScenario } from './runs.ts';
import { ManualScheduler } from './scheduler.ts';
import { decodeShareLink, encodeShareLink } from './shareLink.ts';
import { createInProcessTransport } from './transport.ts';

/**
 * Time travel on real scenarios, through the host the page talks to: a seek to t from any
 * starting point (behind, ahead, after other seeks) shows exactly the state of a straight run to
 * t; a command given in the past forks the run, and the forked run's share link replays it.
 */

const runLengthUs = 6_000_000;
/** Scenarios with different shapes: a consensus protocol, a broker, key handoff. */
const scenarioIds = ['leader-election', 'pub-sub', 'sharding'] as const;

function chaosRequest(scenarioId: string, seed: number): RunRequest {
  const scenario = requireScenario(scenarioCatalogue, scenarioId);
  return {
    scenarioId,
    seed,
    variant: 'pattern',
    params: {},
    commands: chaosScheduleFor(scenario, seed, 'pattern', {}, runLengthUs),
  };
}

/** A host over the real catalogue, driven synchronously, with checkpoints every 500 ms. */
function openHost(run: RunRequest) {
  const transport = createInProcessTransport(scenarioCatalogue, new ManualScheduler(), {
    isSynchronous: true,
    host: { ...defaultHostOptions, checkpointIntervalUs: 500_000 },
  });
  const messages: FromWorker[] = [];
  transport.subscribe((message) => messages.push(message));
  let nextId = 1;
  const send = (message: Record<string, unknown> & { type: string }): void => {
    transport.send({ ...message, requestId: nextId++ } as Parameters<typeof transport.send>[0]);
  };
  const lastFrame = (): Frame => {
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i];
      if (message?.type === 'frame') return message.frame;
    }
    throw new Error('no frame yet');
  };
  const lastRun = (): RunDescription => {
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i];
      if (message?.type === 'reply' && message.value.kind === 'run') return message.value.run;
    }
    throw new Error('no run reply yet');
  };
  const errors = () => messages.filter((message) => message.type === 'error');
  send({ type: 'load', run });
  return { transport, send, lastFrame, lastRun, errors };
}

/** What a person sees at a moment: time, hash, node statuses, labels and badges, invariants. */
function visibleState(frame: Frame) {
  return {
    timeUs: frame.timeUs,
    eventCount: frame.eventCount,
    traceHash: frame.traceHash,
    nodes: frame.nodes,
    invariants: frame.invariants.map(({ id, status }) => `${id}:${status}`),
    inFlight: Array.from(frame.inFlight),
  };
}

/** The state of a fresh host run straight to `timeUs` (no seeks). */
function straightState(run: RunRequest, timeUs: number) {
  const host = openHost(run);
  host.send({ type: 'step', mode: { kind: 'until', timeUs } });
  const state = visibleState(host.lastFrame());
  host.transport.close();
  return state;
}

describe('seek equivalence on real scenarios', () => {
  it('a seek to t from any starting point shows what a straight run to t shows', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...scenarioIds),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: runLengthUs }),
        fc.array(fc.integer({ min: 0, max: runLengthUs }), { minLength: 1, maxLength: 4 }),
        (scenarioId, seed, playedUs, seeks) => {
          const run = chaosRequest(scenarioId, seed);
          const host = openHost(run);
          // Start anywhere: play some of the run, then seek around (forward past the frontier,
          // back behind it, and to the same time twice).
          host.send({ type: 'step', mode: { kind: 'until', timeUs: playedUs } });
          for (const target of seeks) {
            host.send({ type: 'seek', timeUs: target });
            expect(host.errors()).toEqual([]);
            expect(visibleState(host.lastFrame())).toEqual(straightState(run, target));
          }
          host.transport.close();
        },
      ),
      { numRuns: 12, seed: 7 },
    );
  });
});

describe('forking the run by acting in the past', () => {
  const scenarioId = 'leader-election';
  const kill: Command = { type: 'node.crash', node: 'n2' };

  it('drops the future, records the command at the past time, and the link replays the fork', () => {
    const base = chaosRequest(scenarioId, 11);
    const host = openHost(base);
    host.send({ type: 'step', mode: { kind: 'until', timeUs: 5_000_000 } });
    const before = host.lastFrame();
    expect(before.frontierUs).toBe(5_000_000);

    host.send({ type: 'seek', timeUs: 2_000_000 });
    host.send({ type: 'command', command: kill });
    const forked = host.lastRun();

    // The command sits at the past time, after every recorded command before it; recorded
    // commands after that time are gone with the old future.
    const added = forked.commands[forked.commands.length - 1] as RecordedCommand;
    expect(added.atUs).toBe(2_000_000);
    expect(added.command).toEqual(kill);
    const kept = base.commands.filter((recorded) => recorded.atUs <= 2_000_000);
    expect(forked.commands.slice(0, -1)).toEqual(kept);
    expect(forked.commands.every((recorded) => recorded.atUs <= 2_000_000)).toBe(true);
    expect(host.lastFrame().frontierUs).toBe(2_000_000);

    // The new future differs from the old one.
    host.send({ type: 'step', mode: { kind: 'until', timeUs: 5_000_000 } });
    const after = host.lastFrame();
    expect(after.traceHash).not.toBe(before.traceHash);

    // The share link of the forked run, decoded and replayed from 0 by a fresh engine, gives the
    // forked run's hash.
    const decoded = decodeShareLink(encodeShareLink(forked, after.timeUs), scenarioCatalogue);
    if (!decoded.ok) throw new Error(decoded.problem.message);
    const scenario = requireScenario(scenarioCatalogue, scenarioId);
    const replay = new Simulation(scenario, describeRun(scenario, decoded.shared.request));
    replay.runUntil(5_000_000);
    expect(replay.traceHash).toBe(after.traceHash);
    expect(decoded.shared.positionUs).toBe(5_000_000);
    host.transport.close();
  });

  it('seeking around without acting keeps the future and the command log', () => {
    const base = chaosRequest(scenarioId, 12);
    const host = openHost(base);
    host.send({ type: 'step', mode: { kind: 'until', timeUs: 4_000_000 } });
    const end = host.lastFrame();
    host.send({ type: 'seek', timeUs: 1_000_000 });
    host.send({ type: 'seek', timeUs: 4_000_000 });
    expect(host.lastFrame().traceHash).toBe(end.traceHash);
    expect(host.lastFrame().frontierUs).toBe(4_000_000);
    host.send({ type: 'export' });
    expect(host.lastRun().commands).toEqual(base.commands);
    host.transport.close();
  });
});
