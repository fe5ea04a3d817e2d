import type { Command, NodeId, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { wanLinkOf } from './links.ts';
import { remoteFaultIds } from './remote.ts';
import { ambassadorsOf, appsOf, remotesOf } from './world.ts';

/**
 * The guided tour. It follows the default run's storyline first: a WAN that loses one round trip
 * in five, then from 5 s to 30 s every remote instance down to 10% of its capacity (a noisy
 * neighbour), during which the retry budgets run out, the apps' requests fail, the remotes'
 * queues fill and, after it, drain. The lessons the storyline does not play (a retry storm with
 * the budget off, hedging, breakers) are caused by hand after it. Every action is computed from
 * the world when the step starts (the remotes that are up, the links that exist), so it works
 * whatever the run did before.
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

const anyRetriedSuccess = (world: WorldView): boolean =>
  ambassadorsOf(world).some((each) =>
    (each.state?.log ?? []).some((entry) => entry.attempts >= 2 && entry.outcome === 'ok'),
  );

const budgetRefusalsTotal = (world: WorldView): number =>
  ambassadorsOf(world).reduce(
    (total, each) => total + (each.state?.counters.budgetRefusals ?? 0),
    0,
  );

/** Every app's last few requests (five) all ended the same way: all succeeded, or all failed. */
const everyAppsRecent =
  (isOk: boolean) =>
  (world: WorldView): boolean => {
    const apps = appsOf(world);
    return (
      apps.length > 0 &&
      apps.every(
        (app) =>
          (app.state?.recent.length ?? 0) >= 5 &&
          (app.state?.recent ?? []).every((each) => each === isOk),
      )
    );
  };

/** Every remote instance's queue is full: what the "Remote overloaded" moment reports. */
const everyQueueFull = (world: WorldView): boolean => {
  const remotes = remotesOf(world);
  return (
    remotes.length > 0 &&
    remotes.every(
      (remote) => remote.state !== null && remote.state.queue.length >= remote.state.queueLimitSeen,
    )
  );
};

const everyQueueEmpty = (world: WorldView): boolean =>
  remotesOf(world).every((remote) => (remote.state?.queue.length ?? 0) === 0);

export const ambassadorTour: readonly TourStep[] = [
  {
    id: 'lossy-wan',
    title: 'An ambassador beside each app',
    narration:
      'Two apps on the left each talk only to the ambassador right beside them: a sidecar on the ' +
      'same host, a fraction of a millisecond away. The ambassadors call three instances of a ' +
      'remote service across a WAN that takes about 40 ms each way and loses one round trip in ' +
      'five. In the Requests figure (next to the topology), each request in flight is a bar from its ' +
      'arrival towards its deadline, with its attempts on it: a lost one runs into the per-try ' +
      'timeout (250 ms), and a retry follows after a short random wait.',
    question: {
      prompt:
        'Calling once, without an ambassador, about 80% of the requests succeed. What share succeeds with it?',
      choices: [
        'About 80%: nothing can fix a lossy network',
        'About 90%',
        'More than 99%',
        'Exactly 100%',
      ],
      answerIndex: 2,
      explanation:
        'Each attempt is lost with probability 0.2, independently, and the ambassador makes up to ' +
        'four: all four are lost with probability 0.2⁴ = 0.16%. The app-success chart sits near ' +
        '100%, and the answered requests in the Requests figure show some that needed two ' +
        'attempts or more. The price is latency: a lost attempt costs a whole per-try timeout.',
    },
    waitFor: {
      description: 'the ambassadors have answered 100 requests, some after a retry',
      isMet: (world) => answeredTotal(world) >= 100 && anyRetriedSuccess(world),
      timeoutMs: 8000,
    },
  },
  {
    id: 'overload',
    title: 'The remotes are overloaded',
    narration:
      'At 5 s, as part of this run, every remote instance loses 90% of its capacity for 25 s, as ' +
      'if a noisy neighbour moved in: it serves 10 calls a second instead of 100, while the apps ' +
      'send 40. Calls now wait in the remotes’ queues for longer than the per-try timeout, so ' +
      'attempts time out and are retried, and every retry is one more call in a queue. Watch the ' +
      'retry-budget bars at the bottom of the Requests figure.',
    question: {
      prompt: 'What do the ambassadors’ retries do for the apps now?',
      choices: [
        'They rescue the requests, as they did against the lossy WAN',
        'They add load to queues that are already too long; the retry budget runs out, and the requests fail anyway',
        'Nothing: the ambassadors stop retrying when the remote is slow',
      ],
      answerIndex: 1,
      explanation:
        'Retries repair lost messages, not a lack of capacity. The budget lets retries and hedges ' +
        'add at most 30% of the requests (plus two a second, as Finagle’s and Envoy’s budgets ' +
        'do); within about a second of the overload its bar reaches the allowance and the ' +
        'timeline gets "Retry budget exhausted" ticks. Then "Requests failing": the answers now ' +
        'come back too late, or not at all.',
    },
    waitFor: {
      description: 'a retry budget runs out and every app’s last five requests failed',
      isMet: (world) => budgetRefusalsTotal(world) > 0 && everyAppsRecent(false)(world),
      timeoutMs: 10_000,
    },
  },
  {
    id: 'queues-fill',
    title: 'Busy for nobody',
    narration:
      'The apps get almost no answers. Look at the remotes: their queues grow towards their ' +
      'limit of 50 calls, and the remote-queue chart climbs.',
    question: {
      prompt: 'The apps get nothing back. Are the remotes idle?',
      choices: [
        'Yes: the ambassadors stopped sending them calls',
        'No: they work flat out, mostly on calls whose callers gave up long ago',
        'No: they are busy answering the hedges',
      ],
      answerIndex: 1,
      explanation:
        'A call that waits in a queue for seconds outlives its attempt (250 ms) and its request ' +
        '(1.5 s); the remote serves it anyway, and the ambassador discards the late answer (the ' +
        'discarded-answers chart). Once a queue is full the timeline gets a "Remote overloaded" ' +
        'tick and new calls are turned away at once. Here the per-try timeout is shorter than ' +
        'the queueing delay, so retries only add to the waste; the budget keeps that to about ' +
        'a third more calls.',
    },
    waitFor: {
      description: 'every remote’s queue is full',
      isMet: everyQueueFull,
      timeoutMs: 10_000,
    },
  },
  {
    id: 'overload-ends',
    title: 'The overload ends; compare with direct calls',
    narration:
      'The noisy neighbour leaves at 30 s; the tour plays at 4× until then. The queues drain ' +
      '("Remote drained" ticks) and the apps’ requests succeed again ("Requests recovered"). ' +
      'Then open this run beside its baseline, where each app calls a remote once, directly, ' +
      'and waits up to its deadline: same seed, same WAN, same overload. Compare when "Requests ' +
      'failing" comes on each timeline, and the remote-queue charts.',
    speed: 4,
    comparesWithBaseline: true,
    question: {
      prompt: 'Under this overload, which side fails first?',
      choices: [
        'The baseline: it has no retries to fall back on',
        'The ambassador: its retries and short per-try timeouts fill the queues sooner',
        'Both at the same moment: capacity is what it is',
      ],
      answerIndex: 1,
      explanation:
        'On the baseline side "Requests failing" comes seconds later, and its queues fill late or ' +
        'not at all: one call per request, and a caller that waits long enough to be served. ' +
        'Retries pay off against loss, not against overload; the per-try timeout must fit the ' +
        'remote’s latency under load, and the budget is what stops a bad fit from becoming a ' +
        'storm (next step). Both recover at about the same time, once the capacity is back.',
    },
    waitFor: {
      description: 'the queues are empty and every app’s last five requests succeeded',
      isMet: (world) => everyQueueEmpty(world) && everyAppsRecent(true)(world),
      timeoutMs: 40_000,
    },
  },
  {
    id: 'storm',
    title: 'A retry storm: the budget switched off',
    narration:
      'The storyline is over, so the tour overloads the remotes by hand (down to 20% of their ' +
      'capacity) and switches the retry budget off: every request may make four attempts, ' +
      'however many others are retrying. Watch the amplification chart (calls at the remotes per ' +
      'request) and the queues.',
    actions: (world) => [
      { type: 'param.set', key: 'isRetryBudgetOn', value: 0 },
      ...faultOnRemotes(world, remoteFaultIds.overload, { capacityPercent: 20 }),
    ],
    question: {
      prompt: 'With unlimited retries against overloaded remotes, what happens?',
      choices: [
        'Success rises: more attempts, more chances',
        'Retries pile onto the queues: the remotes fill up and nearly everything times out',
        'Nothing changes',
      ],
      answerIndex: 1,
      explanation:
        'A retry storm. Every attempt that times out is retried while the original call still ' +
        'sits in a queue, so the remotes get more than twice as many calls as there are requests ' +
        '(about 1.2 with the budget on) and the queues fill within seconds: "Remote overloaded" ' +
        'on every instance, and "Requests failing" again. Even with twice the capacity the ' +
        'storyline left them, the remotes work flat out for nobody.',
    },
    waitFor: {
      description: 'every remote’s queue is full',
      isMet: everyQueueFull,
      timeoutMs: 10_000,
    },
  },
  {
    id: 'hedging',
    title: 'One slow instance, and hedged requests',
    narration:
      'The tour restores the remotes and the budget, makes the WAN lose nothing (to see latency ' +
      'on its own), and makes remote-1 five times slower. Round robin still sends it a third of ' +
      'the attempts, and those make the slowest requests. Hedged requests are on: when an ' +
      'attempt has not answered after 150 ms (about the usual p95), the ambassador sends a copy ' +
      'to another instance and takes the first answer; in the Requests figure a hedge is a ' +
      'second attempt starting on the same bar.',
    actions: (world) => [
      { type: 'param.set', key: 'isRetryBudgetOn', value: 1 },
      { type: 'param.set', key: 'isHedgingOn', value: 1 },
      ...faultOnRemotes(world, remoteFaultIds.recover),
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
    question: {
      prompt: 'What happens to the slowest requests, and what does it cost?',
      choices: [
        'They drop to about 250 ms, for extra calls to the remotes',
        'p99 stays the same: the slow instance is still slow',
        'p99 falls and nothing is paid for it',
      ],
      answerIndex: 0,
      explanation:
        'A request stuck on remote-1 is answered by its hedge, about 150 ms plus one fast round ' +
        'trip. Every hedge is an extra call, though, so the remotes do more work (amplification ' +
        'rises), and hedges spend the same budget as retries: the tail gets shorter only while ' +
        'the budget lasts.',
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
      'reused): once half of remote-2’s recent attempts failed, its breaker opens, the timeline ' +
      'gets an "Instance ejected" tick, and no attempt goes there except two trial calls every ' +
      'two seconds.',
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
