import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../engine/simulation.ts';
import type { Moment, Variant } from '../../engine/types.ts';
import { firstMomentOf } from '../testing/momentKit.ts';
import { type PubSubInstrumentData, pubSubInstrument } from './instrument.ts';
import { runFor, start } from './testKit.ts';

/**
 * The subscriptions instrument on the default run (seed 5), whose storyline slows s4 ×10 from
 * 2 s for 14 s: every subscription keeps up at first; s4 falls behind (about 4.8 s), its queue
 * reaches the bound by the end of the slowdown, and it catches up (about 27.5 s) while the others
 * never queue much. Without a broker the same slowdown piles messages up in the publishers'
 * outboxes instead.
 */

function readingAt(sim: Simulation) {
  const reading = pubSubInstrument.read(sim, sim.monitorMemory);
  return { ...reading, data: reading.data as PubSubInstrumentData };
}

function momentOf(variant: Variant, kind: string): Moment {
  const sim = start(5, { variant });
  runFor(sim, 30_000);
  return firstMomentOf(sim, kind);
}

function replayTo(variant: Variant, moment: Moment): Simulation {
  const sim = start(5, { variant });
  sim.runUntil(moment.timeUs, moment.eventCount);
  return sim;
}

describe('pub-sub instrument', () => {
  it('reads every subscription keeping up before the slowdown', () => {
    const sim = start(5);
    runFor(sim, 1_500);
    const { data, description } = readingAt(sim);
    expect(data.hasBroker).toBe(true);
    expect(data.capacity).toBe(100);
    expect(data.subscriptions.map((sub) => sub.id)).toEqual(['s1', 's2', 's3', 's4']);
    expect(data.subscriptions.map((sub) => sub.isDurable)).toEqual([true, true, false, true]);
    expect(data.subscriptions.every((sub) => sub.queued < data.behindAt)).toBe(true);
    expect(data.subscriptions.every((sub) => sub.behindSinceUs === null)).toBe(true);
    expect(description).toMatch(/^Subscriptions: every subscriber keeps up; /);
  });

  it('reads s4 fallen behind, then full at the bound, then caught up', () => {
    const fell = momentOf('pattern', 'subscriber-fell-behind');
    const behind = readingAt(replayTo('pattern', fell));
    const s4 = behind.data.subscriptions.find((sub) => sub.id === 's4');
    expect(s4?.queued).toBe(behind.data.behindAt);
    expect(s4?.behindSinceUs).toBe(fell.timeUs);
    expect(s4?.slowFactor).toBe(10);
    expect(s4?.unacked).toBeLessThanOrEqual(2);
    expect(behind.description).toBe(
      'Subscriptions: s4 has 25 of 100 queued, 0 redelivered, processing 10× slower, behind for 0.0 s; others keep up.',
    );

    const sim = start(5);
    runFor(sim, 15_000);
    const full = readingAt(sim);
    expect(full.data.subscriptions.find((sub) => sub.id === 's4')?.queued).toBe(100);
    expect(full.description).toMatch(
      /^Subscriptions: s4 has 100 of 100 queued \(full: publishes are refused\), 0 redelivered/,
    );
    for (const sub of full.data.subscriptions.filter((each) => each.id !== 's4')) {
      expect(sub.queued, sub.id).toBeLessThan(full.data.behindAt);
    }

    const caughtUp = momentOf('pattern', 'subscriber-caught-up');
    const after = readingAt(replayTo('pattern', caughtUp));
    expect(after.data.subscriptions.find((sub) => sub.id === 's4')?.behindSinceUs).toBeNull();
    expect(after.description).toMatch(/^Subscriptions: every subscriber keeps up; /);
  });

  it('counts unacked and redelivered messages when acks are lost (at-least-once)', () => {
    const sim = start(5, {
      params: { slowdownStartS: 0 },
      commands: [
        {
          atUs: 1_000_000,
          command: {
            type: 'scenario.fault',
            fault: 'lose-acks',
            node: 's1',
            args: { durationMs: 3_000 },
          },
        },
      ],
    });
    runFor(sim, 3_000);
    const s1 = readingAt(sim).data.subscriptions.find((sub) => sub.id === 's1');
    expect(s1?.unacked).toBeGreaterThan(0);
    expect(s1?.redelivered).toBeGreaterThan(0);
    expect(s1?.duplicates).toBeGreaterThan(0);
  });

  it('without a broker, reads the publishers held up by the slowed subscriber', () => {
    const heldUp = momentOf('baseline', 'publisher-held-up');
    const { data, description } = readingAt(replayTo('baseline', heldUp));
    expect(data.hasBroker).toBe(false);
    expect(data.publishers.find((pub) => pub.id === heldUp.nodes[0])?.outbox).toBe(50);
    expect(description).toMatch(
      /^Subscriptions: none without a broker; outboxes hold p1 \d+, p2 \d+ \(slowed s4 holds up every publisher\)\.$/,
    );
  });
});
