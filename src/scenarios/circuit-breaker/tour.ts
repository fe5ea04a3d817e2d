import type { Command, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import {
  breakerTripsOf,
  breakerValueOf,
  clientSuccessesOf,
  dependencyId,
  isDependencyHealed,
} from './world.ts';

/**
 * The guided tour. It follows the default run's storyline: the scheduled incident (a batch job
 * slows the dependency 20× from 10 s to 25 s) saturates the service, opens the breaker, fails two
 * rounds of trial calls and closes it once the incident is over. Only the lesson the storyline
 * does not play (errors instead of slowness) is caused by hand, after the incident; the baseline
 * is shown side by side rather than by switching this run.
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
      'Clients on the left send requests to the service in the middle. For each request one of ' +
      'its 8 workers does a little work, then calls the dependency on the right and waits for ' +
      'the reply before answering. The breaker sits on that outbound call. In the Breaker figure ' +
      '(next to the topology) the "closed" box is lit, so every call goes through, and the window below it ' +
      'fills with green squares: the outcomes of the last 20 calls, all fast and fine.',
    waitFor: {
      description: 'the clients have had 100 answers',
      isMet: (world) => clientSuccessesOf(world) >= 100 && isBreaker('closed')(world),
      timeoutMs: 8000,
    },
  },
  {
    id: 'incident',
    title: 'The incident: the dependency slows down',
    narration:
      'At 10 s a batch job starts on the dependency’s host and makes it 20 times slower: about ' +
      '400 ms per call instead of 20, for 15 s. Nobody has to do anything; it is part of this ' +
      'run. The tour plays at 2× until something happens. Watch the service’s badge (busy ' +
      'workers and waiting requests) and the Slow-call rate bar in the Breaker figure.',
    speed: 2,
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
        'a second while 40 arrive: the timeline gets a "Service saturated" tick (queue full, new ' +
        'requests turned away). Meanwhile the Breaker window fills with amber (slow) squares; a ' +
        'call of more than 250 ms counts as slow, and once half of the last 20 are slow the ' +
        'Slow-call rate bar crosses its threshold line and the timeline gets a "Breaker opened" ' +
        'tick. From then on a worker is refused at once, answers with a fallback and is free ' +
        'again. Without a breaker the third answer is what happens: see the last step.',
    },
    waitFor: {
      description: 'the breaker opens',
      isMet: isBreaker('open'),
      timeoutMs: 20_000,
    },
  },
  {
    id: 'open',
    title: 'Open: fail fast, and probe now and then',
    narration:
      'While open, no call goes to the dependency (the dependency-calls chart drops to zero) and ' +
      'every request gets a fallback within milliseconds, so the queue empties: a "Service ' +
      'recovered" tick follows. In the Breaker figure the red bar under "open" counts down the ' +
      '5 s wait in open. Then the breaker goes half-open ("Breaker half-open" on the timeline) ' +
      'and lets 3 trial calls through: the three dots under "half-open".',
    question: {
      prompt:
        'The batch job is still running when the trial calls go out. What does the breaker do?',
      choices: [
        'It closes: 3 calls are too few to judge',
        'It opens again for another 5 s, because the trial calls are slow',
        'It stays half-open until the dependency is fast again',
      ],
      answerIndex: 1,
      explanation:
        'The trial calls take about 400 ms, over the 250 ms slow-call threshold, so the trial ' +
        'round fails: another "Breaker opened" tick, with the reason "slow-call rate 100% over ' +
        '3 calls". The dependency got 3 calls instead of 40 a second, which gives it room.',
    },
    waitFor: {
      description: 'a round of trial calls fails and the breaker opens again',
      isMet: (world) => breakerTripsOf(world) >= 2 && isBreaker('open')(world),
      timeoutMs: 12_000,
    },
  },
  {
    id: 'heal',
    title: 'The incident ends; the breaker notices late',
    narration:
      'The batch job stops at 25 s and the dependency is fast again. The breaker cannot see ' +
      'that: it only learns from calls, and while it is open it makes none. The tour plays at ' +
      '2× while you watch the timeline for the next "Breaker half-open" tick.',
    speed: 2,
    question: {
      prompt: 'When does the service go back to calling the dependency for every request?',
      choices: [
        'At 25 s, the moment the batch job stops',
        'At the next end of the wait in open, when the trial calls succeed',
        'Only when an operator resets the breaker',
      ],
      answerIndex: 1,
      explanation:
        'One more round of trials may still fail if it comes before 25 s. The first round after ' +
        'the incident passes: the 3 trial dots turn green, the "closed" box lights up again with ' +
        'an empty window, and the timeline gets "Breaker half-open" and "Breaker closed" ticks ' +
        'close together, a few seconds after the dependency was already fine. A shorter wait in ' +
        'open notices sooner but sends trials to a dependency that may still be struggling.',
    },
    waitFor: {
      description: 'the incident is over and the breaker closes',
      isMet: (world) => isDependencyHealed(world) && isBreaker('closed')(world),
      timeoutMs: 24_000,
    },
  },
  {
    id: 'errors',
    title: 'Errors instead of slowness',
    narration:
      'The storyline is over, so the tour now breaks the dependency by hand: it answers fast, ' +
      'but 80% of its answers are errors. In the Breaker figure the window fills with red ' +
      '(failed) squares instead of amber ones, and the Failure rate bar climbs past its line at ' +
      '50%. Errors do not tie up workers, so there is no cascade to prevent here; the breaker ' +
      'opens ("Breaker opened", reason: failure rate) and spares the dependency calls that would ' +
      'mostly fail.',
    actions: () => [dependencyFault('errors', { ratePercent: 80 })],
    waitFor: { description: 'the breaker opens', isMet: isBreaker('open'), timeoutMs: 5000 },
  },
  {
    id: 'baseline',
    title: 'What the baseline would have done',
    narration:
      'The dependency recovers (by hand this time) and the breaker will close after its wait. ' +
      'Open this run beside its baseline, "no breaker", with the same seed and the same ' +
      'incident: on the baseline side every request calls the dependency, and only the 1 s call ' +
      'timeout limits the damage. Compare the two timelines between 10 s and 25 s and the ' +
      'client-success and pool-busy charts.',
    actions: () => [dependencyFault('recover')],
    comparesWithBaseline: true,
    question: {
      prompt: 'Without a breaker, what did the same 15 s incident do to the service?',
      choices: [
        'It served its clients a little slower',
        'Every worker waited on the dependency, the queue filled, and the service turned away or timed out its own clients until the incident was over',
        'Nothing: the call timeout protected it',
      ],
      answerIndex: 1,
      explanation:
        'That is the cascade. The baseline’s timeline has "Service saturated" at about 11 s and ' +
        '"Service recovered" only at about 25 s, when the batch job stops, with no breaker tick ' +
        'in between; its pool-busy chart sits at 8 and its client success collapses, while this ' +
        'run was saturated for well under a second. The call timeout only caps how long each ' +
        'worker is lost.',
    },
    waitFor: { description: 'the breaker closes', isMet: isBreaker('closed'), timeoutMs: 12_000 },
  },
];
