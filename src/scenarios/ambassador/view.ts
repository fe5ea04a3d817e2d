import type { ScenarioViewHints } from '../viewHints.ts';

/**
 * The app's local traffic in slate (requests) and green (answers); the WAN calls in blue and
 * their replies in teal. `ok` is green for ambassadors and remotes alike; trouble goes through
 * amber (retrying, busy, slow) to red (budget spent, overloaded, failing), and an open breaker is
 * violet. Every colour is a mid-tone that reads on light and dark backgrounds.
 */
export const ambassadorView: ScenarioViewHints = {
  id: 'ambassador',
  messageColours: {
    Request: '#64748b',
    Response: '#16a34a',
    Call: '#2563eb',
    Reply: '#0d9488',
  },
  roles: {
    app: { shape: 'square', icon: 'laptop' },
    ambassador: { shape: 'hexagon', icon: 'proxy' },
    remote: { shape: 'circle', icon: 'server' },
  },
  stateColours: {
    app: '#475569',
    ok: '#16a34a',
    retrying: '#d97706',
    'budget spent': '#dc2626',
    'breaker open': '#9333ea',
    busy: '#ca8a04',
    slow: '#ea580c',
    failing: '#e11d48',
    overloaded: '#b91c1c',
    down: '#991b1b',
  },
  metricLabels: {
    'app-rps': 'App requests per second',
    'app-success': 'App success rate',
    'app-latency': 'App latency (p50)',
    'app-latency-p99': 'App latency (p99)',
    'attempts-per-request': 'Attempts per request',
    'retries-per-s': 'Retries per second',
    hedges: 'Hedged attempts',
    'budget-exhausted': 'Retries refused by the budget',
    'remote-rps': 'Calls reaching the remotes per second',
    amplification: 'Amplification (remote calls per app request)',
    'load-remote-1': 'Calls per second at remote-1',
    'load-remote-2': 'Calls per second at remote-2',
    'load-remote-3': 'Calls per second at remote-3',
    'remote-queue': 'Calls queued at the remotes',
    'breaker-trips': 'Breaker trips',
    'discarded-answers': 'Discarded answers (wasted work)',
  },
  barGroups: [
    {
      title: 'Load per remote instance',
      unit: 'calls/s',
      bars: [
        { metric: 'load-remote-1', label: 'remote-1' },
        { metric: 'load-remote-2', label: 'remote-2' },
        { metric: 'load-remote-3', label: 'remote-3' },
      ],
    },
  ],
  fidelity: {
    follows: [
      'The ambassador pattern (Burns and Oppenheimer, "Design patterns for container-based distributed systems", 2016; the Azure architecture guide).',
      'Exponential backoff with full jitter (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015).',
      'Retry budgets as Finagle’s RetryBudget and Envoy’s retry budgets work.',
      'Hedged requests (Dean and Barroso, "The Tail at Scale", 2013).',
      'A circuit breaker per remote instance: the Circuit Breaker scenario’s machine, which follows Resilience4j.',
    ],
    modelled: [
      'Each app talks to its own ambassador over a local link that loses nothing, and the ambassador calls the remotes across a WAN with latency, jitter and loss.',
      'Every attempt has its own timeout, every request a deadline and a maximum number of attempts.',
      'Retries wait with exponential backoff and full jitter, and prefer instances the request has not tried yet.',
      'A retry budget lets retries and hedges add at most a share of the last 10 s of requests, plus a small minimum rate.',
      'Hedged requests and a breaker per remote instance can be switched on, and the ambassador balances over the instances by one of three rules.',
      'A remote has a bounded queue and serves queued calls even after their caller gave up, which is what turns unbudgeted retries into a storm.',
    ],
    leftOut: [
      'There are no connection pools, TLS or streaming: an attempt is one message, so latencies include no connection setup.',
      'Abandoned attempts are not cancelled at the remote and deadlines are not passed on to it, so every late attempt still costs the remote its full work.',
      'Every failure is retryable and there are no Retry-After hints, so retry counts here are those of a policy that never skips an error.',
      'The remote sheds load only by its fixed queue, with no adaptive concurrency limit, so its overload is that of the simplest server.',
      'The local hop and the ambassador process cost next to nothing here, where a real sidecar takes some CPU, memory and a fraction of a millisecond per call.',
      'The ambassador knows the remotes from the topology: service discovery is not modelled.',
    ],
    results: [
      {
        claim:
          'Retries against independent loss: with round-trip loss p, one attempt succeeds with probability 1 − p and k attempts with 1 − pᵏ (the reasoning behind retries in the AWS Builders’ Library, "Timeouts, retries, and backoff with jitter", 2019).',
        isReproduced: true,
        experiment: 'ambassador-loss',
        note: 'With the retry budget off and 5 seeds, success stayed within 0.004 of 1 − p⁴ with 4 attempts and within 0.012 of 1 − p with 1, each inside its 95% confidence interval, for round-trip loss from 0 to 70%.',
      },
      {
        claim:
          'Hedged requests cut tail latency for a small share of extra requests (Dean and Barroso, "The Tail at Scale", 2013).',
        isReproduced: false,
        note: 'No experiment measures it: the tests saw the p99 latency fall from 358–400 ms to 253–260 ms with one instance 5× slower, but for about 30% more calls, not the few percent the paper reports.',
      },
    ],
  },
};
