import type { Command, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { paramOf } from './protocol.ts';
import { breakerTripsOf, breakerValueOf, clientSuccessesOf, dependencyId } from './world.ts';

/**
 * The guided tour. It drives the dependency by hand, so its first step switches the scheduled
 * incident off; every action is computed from the world when the step starts.
 */

const dependencyFault = (fault: string, args: Record<string, number> = {}): Command => ({
  type: 'scenario.fault',
  fault,
  node: dependencyId,
  args,
});

const isBreaker =
  (value: 'closed' | 'open' | 'half-open') =>
  (world: WorldView): boolean =>
    breakerValueOf(world) === value;

export const circuitBreakerTour: readonly TourStep[] = [
  {
    id: 'steady',
    title: 'A service and the dependency it calls',
    narration:
      'Clients on the left send requests to the service in the middle. For each request a worker ' +
      'of the service (it has 8) does a little work, then calls the dependency on the right and ' +
      'waits for its reply before answering the client. The breaker sits on that outbound call: ' +
      'it is closed, so every call goes through, and it keeps score of the last 20 calls. ' +
      '(The tour switches off the incident the default run schedules at 10 s, and breaks the ' +
      'dependency by hand instead.)',
    actions: (world) =>
      paramOf(world, 'incidentStartS') > 0
        ? [{ type: 'param.set', key: 'incidentStartS', value: 0 }]
        : [],
    waitFor: {
      description: 'the clients have had 100 answers',
      isMet: (world) => clientSuccessesOf(world) >= 100 && isBreaker('closed')(world),
      timeoutMs: 8000,
    },
  },
  {
    id: 'slow',
    title: 'The dependency becomes slow',
    narration:
      'The dependency now takes 20 times longer per call: about 400 ms instead of 20. Watch the ' +
      'service’s badge (busy workers and waiting requests) and the breaker’s state.',
    actions: () => [dependencyFault('slow', { factor: 20 })],
    question: {
      prompt: 'What happens to the clients of the service?',
      choices: [
        'Their requests take about 400 ms longer; nothing else changes',
        'For a moment the workers fill up with slow calls and requests queue; then the breaker opens and the clients get fast fallback answers',
        'They time out until the dependency recovers',
      ],
      answerIndex: 1,
      explanation:
        'Each slow call holds a worker for 400 ms or more, so 8 workers finish about 20 requests ' +
        'a second while 40 arrive: the queue grows at once. But the breaker counts calls of 250 ms ' +
        'or more as slow, and after 10 calls with at least half of them slow it opens. From then on ' +
        'a worker asks the breaker, is refused, answers with a fallback at once and is free again. ' +
        'Without a breaker the third answer is what happens: see the last step.',
    },
    waitFor: { description: 'the breaker opens', isMet: isBreaker('open'), timeoutMs: 5000 },
  },
  {
    id: 'open',
    title: 'Open: fail fast, and probe now and then',
    narration:
      'While open, no call goes to the dependency (the "calls reaching the dependency" chart drops ' +
      'to zero) and every request gets a fallback within a few milliseconds: the service’s workers ' +
      'are free, its latency is low, and the clients are served, with a degraded answer. After the ' +
      'wait in open (5 s) the breaker goes half-open and lets 3 trial calls through. The ' +
      'dependency is still slow, so they are slow too, and the breaker opens again for another wait.',
    waitFor: {
      description: 'a round of trial calls fails and the breaker opens again',
      isMet: (world) => breakerTripsOf(world) >= 2 && isBreaker('open')(world),
      timeoutMs: 12_000,
    },
  },
  {
    id: 'heal',
    title: 'The dependency recovers',
    narration:
      'The dependency is back to normal speed. Watch the trace for the breaker’s next moves: ' +
      'open → half-open when the wait elapses, then half-open → closed.',
    actions: () => [dependencyFault('recover')],
    question: {
      prompt: 'When does the service go back to calling the dependency for every request?',
      choices: [
        'At once: the next request calls it',
        'When the wait in open has elapsed and the trial calls have succeeded',
        'Only when an operator resets the breaker',
      ],
      answerIndex: 1,
      explanation:
        'The breaker cannot see the dependency recover; it only learns from calls. The wait in ' +
        'open runs out, 3 trial calls go through, all three are fast and succeed, and the breaker ' +
        'closes with an empty window. Up to one wait passes before anyone notices the recovery: ' +
        'a shorter wait notices sooner but sends trial calls to a dependency that may still be ' +
        'struggling.',
    },
    waitFor: { description: 'the breaker closes', isMet: isBreaker('closed'), timeoutMs: 12_000 },
  },
  {
    id: 'errors',
    title: 'Errors instead of slowness',
    narration:
      'Now the dependency answers fast, but 80% of its answers are errors. Errors do not tie up ' +
      'workers, so there is no cascade to prevent here; the breaker opens on the failure rate ' +
      'instead and spares the dependency (and the clients) calls that would mostly fail.',
    actions: () => [dependencyFault('errors', { ratePercent: 80 })],
    waitFor: { description: 'the breaker opens', isMet: isBreaker('open'), timeoutMs: 5000 },
  },
  {
    id: 'baseline',
    title: 'What the baseline would have done',
    narration:
      'The dependency recovers once more and the breaker will close after its wait. Now switch ' +
      'to the baseline, "no breaker", and make the dependency slow: every request calls it and ' +
      'only the 1 s call timeout limits the damage.',
    actions: () => [dependencyFault('recover')],
    question: {
      prompt: 'Without a breaker, what does a 20× slower dependency do to the service?',
      choices: [
        'It serves its clients a little slower',
        'Every worker waits on the dependency, the queue fills, and the service rejects or times out its own clients',
        'Nothing: the call timeout protects it',
      ],
      answerIndex: 1,
      explanation:
        'That is the cascade: the service itself is healthy, but all 8 workers sit waiting for ' +
        'slow calls, the wait queue fills, new requests are turned away, and queued ones wait ' +
        'past the client timeout. Client success collapses and latency climbs to the client ' +
        'timeout; the service turns red. The call timeout only caps how long each worker is lost.',
    },
    waitFor: { description: 'the breaker closes', isMet: isBreaker('closed'), timeoutMs: 12_000 },
  },
];
