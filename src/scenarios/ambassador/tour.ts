import type { Command, NodeId, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { wanLinkOf } from './links.ts';
import { remoteFaultIds, remoteLabel } from './remote.ts';
import { ambassadorsOf, appsOf, remotesOf } from './world.ts';

/**
 * The guided tour. Every action is computed from the world when the step starts (the remotes
 * that are up, the links that exist), so it works whatever the run did before.
 */

function upRemotes(world: WorldView): NodeId[] {
  return remotesOf(world)
    .filter((remote) => remote.isUp)
    .map((remote) => remote.id);
}

function faultOnRemotes(
  world: WorldView,
  fault: string,
  args: Readonly<Record<string, number>> = {},
): Command[] {
  return upRemotes(world).map((node) => ({ type: 'scenario.fault', fault, node, args }));
}

/** Sets the WAN links (every ambassador to every remote, both ways) to lose nothing. */
function cleanWan(world: WorldView): Command[] {
  const base = wanLinkOf(world.params);
  const commands: Command[] = [];
  for (const ambassador of ambassadorsOf(world)) {
    for (const remote of remotesOf(world)) {
      commands.push({
        type: 'link.set',
        from: ambassador.id,
        to: remote.id,
        isBothWays: true,
        latency: base.latency,
        lossProbability: 0,
      });
    }
  }
  return commands;
}

const answeredTotal = (world: WorldView): number =>
  ambassadorsOf(world).reduce((total, each) => total + (each.state?.counters.answered ?? 0), 0);

const hedgesTotal = (world: WorldView): number =>
  ambassadorsOf(world).reduce((total, each) => total + (each.state?.counters.hedges ?? 0), 0);

export const ambassadorTour: readonly TourStep[] = [
  {
    id: 'lossy-wan',
    title: 'An ambassador beside each app',
    narration:
      'Two apps on the left each talk only to the ambassador right beside them: a sidecar on the ' +
      'same host, a fraction of a millisecond away. The ambassadors call three instances of a ' +
      'remote service across a WAN that takes about 40 ms each way and loses one round trip in ' +
      'five: a call or its reply simply never arrives. Without an ambassador (the baseline), ' +
      'each app calls the remote once and waits.',
    question: {
      prompt:
        'Without the ambassador about 80% of the requests succeed. What share succeeds with it?',
      choices: [
        'About 80%: nothing can fix a lossy network',
        'About 90%',
        'More than 99%',
        'Exactly 100%',
      ],
      answerIndex: 2,
      explanation:
        'Each attempt is lost with probability 0.2, independently, and the ambassador makes up to ' +
        'four: all four are lost with probability 0.2⁴ = 0.16%. Watch app-success climb to about ' +
        '99.8% while the baseline stays near 80% on the same seed. Not quite 100%: now and then ' +
        'four attempts in a row are lost.',
    },
    waitFor: {
      description: 'the ambassadors have answered 200 requests',
      isMet: (world) => answeredTotal(world) >= 200,
      timeoutMs: 20_000,
    },
  },
  {
    id: 'retries',
    title: 'Per-try timeouts, retries and full jitter',
    narration:
      'Open an ambassador in the inspector and look at its request log. Most requests take one ' +
      'attempt. When a call or its reply is lost, the per-try timeout (250 ms) ends that attempt; ' +
      'the ambassador waits a random time between 0 and 50·2ⁿ ms and retries on an instance it ' +
      'has not tried yet. The price shows in the latency: p50 stays near one round trip, but p99 ' +
      'jumps to the better part of a second, because a lost attempt costs a whole timeout.',
    question: {
      prompt: 'Why does the ambassador wait a random time before retrying, not a fixed one?',
      choices: [
        'To save battery',
        'So that requests that failed together do not all retry at the same moment',
        'Because the remote asks it to',
      ],
      answerIndex: 1,
      explanation:
        'When an instance hiccups, many requests fail at once. With a fixed delay their retries ' +
        'would hit it again together, in waves. Drawing the whole delay at random (full jitter) ' +
        'spreads them out, and doubling the range each time backs off further from trouble that ' +
        'lasts.',
    },
    waitFor: {
      description: 'a request succeeds on its third attempt or later',
      isMet: (world) =>
        ambassadorsOf(world).some((each) =>
          (each.state?.log ?? []).some((entry) => entry.attempts >= 3 && entry.outcome === 'ok'),
        ),
      timeoutMs: 20_000,
    },
  },
  {
    id: 'overload',
    title: 'Overload the remotes',
    narration:
      'Every remote instance has just lost 80% of its capacity: it serves 20 calls per second ' +
      'instead of 100, with its two workers and a queue of 50. Calls now wait in queues, some ' +
      'attempts outlast their per-try timeout and are retried, and each retry adds load. The ' +
      'retry budget caps that: retries and hedges may add at most 30% of the requests (plus two ' +
      'a second). Watch the ambassadors turn "budget spent" and refuse retries.',
    actions: (world) => faultOnRemotes(world, remoteFaultIds.overload, { capacityPercent: 20 }),
    waitFor: {
      description: 'an ambassador’s retry budget runs out',
      isMet: (world) =>
        ambassadorsOf(world).some((each) => (each.state?.budgetRefusedAtUs ?? null) !== null),
      timeoutMs: 15_000,
    },
  },
  {
    id: 'storm',
    title: 'Switch the retry budget off',
    narration:
      'The budget is off: every request may again make four attempts, however many others are ' +
      'retrying. Keep an eye on the remotes’ queues, calls per second at the remotes, and the ' +
      'amplification chart.',
    actions: () => [{ type: 'param.set', key: 'isRetryBudgetOn', value: 0 }],
    question: {
      prompt: 'With unlimited retries against overloaded remotes, what happens to success?',
      choices: [
        'It rises: more attempts, more chances',
        'It collapses: retries pile onto the queues and nearly everything times out',
        'Nothing changes',
      ],
      answerIndex: 1,
      explanation:
        'A retry storm. Every attempt that times out is retried while the original call still ' +
        'sits in a queue; the remote serves it anyway, for nobody. Load climbs toward four calls ' +
        'per request, queues fill, every call waits longer than its timeout, so even more are ' +
        'retried. The remotes work flat out and almost none of that work reaches an app. The ' +
        'budget kept amplification near 1.3 and the system useful.',
    },
    waitFor: {
      description: 'every remote’s queue is at least half full',
      isMet: (world) => {
        const remotes = remotesOf(world);
        return (
          remotes.length > 0 &&
          remotes.every(
            (remote) => remote.state !== null && remoteLabel(remote.state) === 'overloaded',
          )
        );
      },
      timeoutMs: 15_000,
    },
  },
  {
    id: 'recover',
    title: 'Budget back on, remotes recover',
    narration:
      'The remotes get their capacity back and the budget is on again. The queues still hold ' +
      'calls whose callers gave up long ago; they are served first, wasted work (see ' +
      'discarded-answers), then fresh requests succeed again.',
    actions: (world) => [
      { type: 'param.set', key: 'isRetryBudgetOn', value: 1 },
      ...faultOnRemotes(world, remoteFaultIds.recover),
    ],
    waitFor: {
      description: 'the queues are empty and every app’s last five requests succeeded',
      isMet: (world) =>
        remotesOf(world).every((remote) => (remote.state?.queue.length ?? 0) === 0) &&
        appsOf(world).every(
          (app) =>
            (app.state?.recent.length ?? 0) >= 5 && (app.state?.recent ?? []).every((isOk) => isOk),
        ),
      timeoutMs: 15_000,
    },
  },
  {
    id: 'slow-instance',
    title: 'One slow instance',
    narration:
      'To see latency on its own, the WAN now loses nothing; and remote-1 has become five times ' +
      'slower (a slow disk, a long garbage collection). Round robin still sends it a third of ' +
      'the attempts. Those take a few hundred milliseconds, and the slowest outlast the per-try ' +
      'timeout and are retried: in the p99 latency chart the top of the band sits near 400 ms, ' +
      'while p50 hardly moves.',
    actions: (world) => [
      ...cleanWan(world),
      ...(upRemotes(world).includes('remote-1')
        ? [
            {
              type: 'scenario.fault',
              fault: remoteFaultIds.slow,
              node: 'remote-1',
              args: { factor: 5 },
            } as const,
          ]
        : []),
    ],
    waitFor: {
      description: 'remote-1 is slow',
      isMet: (world) =>
        remotesOf(world).some(
          (remote) => remote.id === 'remote-1' && (remote.state?.faults.slowFactor ?? 1) > 1,
        ),
      timeoutMs: 5_000,
    },
  },
  {
    id: 'hedging',
    title: 'Hedge the slow attempts',
    narration:
      'Hedged requests are on: when an attempt has not answered after 150 ms (about the usual ' +
      'p95), the ambassador sends a copy to another instance and takes whichever answer comes ' +
      'first; the other answer is discarded when it arrives.',
    actions: () => [{ type: 'param.set', key: 'isHedgingOn', value: 1 }],
    question: {
      prompt: 'What happens to the slowest requests, and what does it cost?',
      choices: [
        'They drop to about 250 ms, for roughly a third more calls',
        'p99 stays the same: the slow instance is still slow',
        'p99 falls and nothing is paid for it',
      ],
      answerIndex: 0,
      explanation:
        'A request stuck on remote-1 is answered by its hedge, about 150 ms plus one fast round ' +
        'trip. Every hedge is an extra call, though, so the remotes do more work (amplification ' +
        'rises) and hedges spend the same budget as retries: the tail gets shorter only while the ' +
        'budget lasts.',
    },
    waitFor: {
      description: 'the ambassadors have sent 50 hedges',
      isMet: (world) => hedgesTotal(world) >= 50,
      timeoutMs: 15_000,
    },
  },
  {
    id: 'breaker',
    title: 'A dead instance and the breakers',
    narration:
      'remote-1 recovers, hedging is off, and remote-2 crashes. Without breakers a third of the ' +
      'first attempts go to the dead instance and each costs a full per-try timeout. Now each ' +
      'ambassador has a circuit breaker per instance (the Circuit Breaker scenario’s machine, ' +
      'reused): once half of remote-2’s last attempts failed, its breaker opens and no attempt ' +
      'goes there except two trial calls every two seconds.',
    actions: (world) => [
      { type: 'param.set', key: 'isHedgingOn', value: 0 },
      { type: 'param.set', key: 'isBreakerOn', value: 1 },
      ...(upRemotes(world).includes('remote-1')
        ? [{ type: 'scenario.fault', fault: remoteFaultIds.recover, node: 'remote-1' } as const]
        : []),
      ...(upRemotes(world).includes('remote-2')
        ? [{ type: 'node.crash', node: 'remote-2' } as const]
        : []),
    ],
    waitFor: {
      description: 'a breaker for remote-2 is open',
      isMet: (world) =>
        ambassadorsOf(world).some((each) => {
          const instances = each.state?.instances;
          const index = instances?.remotes.indexOf('remote-2') ?? -1;
          return index >= 0 && instances?.breakers[index]?.value === 'open';
        }),
      timeoutMs: 15_000,
    },
  },
];
