import type { Fidelity, ScenarioViewHints } from '../viewHints.ts';
import { routeShareMetric } from './monitor.ts';
import { routeNames } from './protocol.ts';

/**
 * "How true is this?": every sentence is checked against the code and the README (its sections
 * "What the simulation models" and "What it leaves out, on purpose") [1].
 */
const fidelity: Fidelity = {
  follows: [
    'Martin Fowler\'s "Strangler Fig Application": a facade in front of the old system moves its capabilities to new services one at a time, until the old system can be switched off.',
    "Common release practice as the README describes it, not any one tool's rules: shadow traffic whose answers are compared, and canaries to a fixed share of users.",
  ],
  modelled: [
    "A facade sends each of four capabilities (routes) to the legacy monolith or to that route's new service, by a share of users picked by a hash of the user id, so the same users are always in the canary.",
    'In shadow mode a request served by legacy is copied to the new service and the two answers are compared; a mismatch is counted and never reaches a client.',
    "The facade takes a route back to legacy on its own when the share of the new service's calls that failed in a recent time window reaches a threshold.",
    'Legacy is retired once every route is fully on new and it has had no traffic for a quiet period, and from then on nothing can route back to it.',
    'Clients check every answer against the true one, which real clients cannot do, to count wrong answers and the users who saw a failure.',
    'The baseline moves every route at once at the first operator control or plan step (a big-bang cutover), with no canary, shadow or rollback.',
  ],
  leftOut: [
    'Answers depend only on the request, so there is no data to migrate, no dual writes and no side effects of shadow calls: do not conclude that shadowing writes is safe.',
    'Back ends have no queues and the facade has no connection limits, so a slow service is slow but never overloaded, and the extra load of shadowing costs nothing here.',
    "Canaries never grow on their own while healthy: the operator, or the storyline's plan, moves each route.",
    'The facade does not retry, hedge or break circuits, and clients never retry, so the failures counted are what users see with none of those defences.',
    'There is no routing by endpoint within a capability, no sticky sessions and no authentication.',
  ],
  results: [
    {
      claim:
        'Replacing a legacy system gradually, behind a facade, is less risky than replacing it all at once (Martin Fowler, "Strangler Fig Application").',
      isReproduced: true,
      note: 'In stranglerFig.test.ts, with an orders release that fails every call, everyone who saw a failure was in the 25% canary cohort and the facade rolled the route back, while the big-bang baseline exposed more than 90% of all users, on seeds 1 to 5.',
    },
  ],
};

/**
 * Client traffic in neutral slate, served calls in blue with green answers, shadow traffic in
 * violet (it never reaches a client), retirement in red. Node colours: legacy amber, new
 * services teal, a buggy release red, a retired monolith grey.
 */
export const stranglerFigView: ScenarioViewHints = {
  id: 'strangler-fig',
  messageColours: {
    Request: '#64748b',
    Response: '#16a34a',
    Call: '#2563eb',
    Reply: '#0d9488',
    ShadowCall: '#9333ea',
    ShadowReply: '#c084fc',
    Retire: '#dc2626',
    RetireAck: '#b91c1c',
  },
  roles: {
    client: { shape: 'square', icon: 'laptop' },
    facade: { shape: 'diamond', icon: 'router' },
    legacy: { shape: 'hexagon', icon: 'database' },
    new: { shape: 'circle', icon: 'server' },
  },
  stateColours: {
    client: '#475569',
    facade: '#2563eb',
    'cut over': '#7c3aed',
    'rolled back': '#d97706',
    retiring: '#0891b2',
    migrated: '#16a34a',
    legacy: '#b45309',
    retired: '#9ca3af',
    new: '#0d9488',
    buggy: '#dc2626',
    down: '#991b1b',
  },
  metricLabels: {
    throughput: 'Throughput (good answers)',
    'success-rate': 'Client success rate',
    'latency-p50': 'Latency (p50)',
    'latency-p99': 'Latency (p99)',
    'share-legacy': 'Answered by legacy',
    'share-new': 'Answered by new services',
    'share-failed': 'Not answered by a back end',
    'client-errors': 'Client-visible failures',
    'wrong-answers': 'Wrong answers seen by clients',
    mismatches: 'Shadow mismatches',
    'shadow-compared': 'Shadow comparisons',
    rollbacks: 'Automatic rollbacks',
    'error-budget-spent': 'Error budget spent',
    'users-exposed': 'Users who saw a failure',
    ...Object.fromEntries(
      routeNames.map((name, route) => [routeShareMetric(route), `Share to new: ${name}`]),
    ),
  },
  stackedAreas: [
    {
      title: 'Traffic share: who answered the requests',
      unit: 'fraction',
      layers: [
        { metric: 'share-legacy', label: 'Legacy', colour: '#d97706' },
        { metric: 'share-new', label: 'New services', colour: '#0d9488' },
        { metric: 'share-failed', label: 'No answer (timeout)', colour: '#dc2626' },
      ],
    },
  ],
  barGroups: [
    {
      title: 'Share of users sent to new, by route',
      unit: '%',
      bars: routeNames.map((name, route) => ({ metric: routeShareMetric(route), label: name })),
    },
  ],
  fidelity,
};

/*
 * Notes
 *
 * [1] Sources as the code cites them: Martin Fowler's "Strangler Fig Application"
 *     (https://martinfowler.com/bliki/StranglerFigApplication.html) and "the canary/shadow
 *     practice it grows with" (instrument.ts); the canary by user and the shadow comparison are
 *     facade.ts [2] and [4].
 */
