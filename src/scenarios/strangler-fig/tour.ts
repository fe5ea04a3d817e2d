import type { Command, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { buggyReleaseFault, fixReleaseControl, isBuggy } from './backend.ts';
import { moveAllControl, moveRouteControl, setRouteControl } from './controls.ts';
import { facadeId, newServiceId, routeCount, routeNames } from './protocol.ts';
import { modeOf } from './routing.ts';
import {
  facadeState,
  goodAnswers,
  isLegacyRetired,
  routeConfigs,
  serviceDurable,
  serviceState,
} from './world.ts';

/**
 * The guided tour. Actions are computed from the world when the step starts ("fix whatever is
 * buggy", "break the route that is in canary"), so the tour works whatever happened before.
 */

const catalog = routeNames.indexOf('catalog');
const orders = routeNames.indexOf('orders');

/** The first route in a canary (0 < share < 100), else orders. */
function canaryRoute(world: WorldView): number {
  const index = routeConfigs(world).findIndex((config) => modeOf(config).startsWith('canary'));
  return index < 0 ? orders : index;
}

/** A fix for every new service that runs a buggy release. */
function fixAll(world: WorldView): Command[] {
  const commands: Command[] = [];
  for (let route = 0; route < routeCount; route++) {
    if (isBuggy(serviceDurable(world, route))) {
      commands.push({
        type: 'scenario.fault',
        fault: fixReleaseControl,
        node: newServiceId(route),
      });
    }
  }
  return commands;
}

function routeStat(world: WorldView, route: number, key: 'compared' | 'mismatches'): number {
  return facadeState(world)?.stats[route]?.[key] ?? 0;
}

export const stranglerFigTour: readonly TourStep[] = [
  {
    id: 'facade-in-front',
    title: 'A facade in front of the monolith',
    narration:
      'Three clients send requests for four capabilities: catalog, orders, payments and accounts. ' +
      'They all go to the facade, a routing proxy, which today sends every route to the legacy ' +
      'monolith (top right). Below it wait four new services, one per capability, receiving ' +
      'nothing yet. The traffic-share chart is all legacy.',
    waitFor: {
      description: 'the clients get 30 good answers',
      isMet: (world) => goodAnswers(world) >= 30,
      timeoutMs: 5000,
    },
  },
  {
    id: 'shadow-catalog',
    title: 'Shadow the catalog',
    narration:
      'The catalog route goes into shadow mode. Legacy still answers every catalog request, but ' +
      'the facade also sends a copy (a ShadowCall, violet) to new-catalog and compares the two ' +
      'answers when both are in. The answers are prices, a fixed function of the item, so a ' +
      'correct new service always agrees with legacy.',
    actions: () => [
      {
        type: 'scenario.fault',
        fault: setRouteControl,
        node: facadeId,
        args: { route: catalog + 1, sharePct: 0, shadow: 1 },
      },
    ],
    waitFor: {
      description: 'the facade has compared 20 catalog answers',
      isMet: (world) => routeStat(world, catalog, 'compared') >= 20,
      timeoutMs: 5000,
    },
  },
  {
    id: 'wrong-in-shadow',
    title: 'A release that gets prices wrong',
    narration:
      'A new release of new-catalog goes out with a bug: about 30% of its prices are off by a ' +
      'few cents. It answers quickly and without errors, so nothing about it looks broken.',
    actions: () => [
      {
        type: 'scenario.fault',
        fault: buggyReleaseFault,
        node: newServiceId(catalog),
        args: { errorRatePct: 0, wrongRatePct: 30 },
      },
    ],
    question: {
      prompt: 'What do the clients asking for catalog prices see now?',
      choices: [
        'A wrong price on about 30% of catalog requests',
        'Nothing changes: they still get legacy’s answers, and the facade counts mismatches',
        'Errors, because the facade rejects the wrong answers',
      ],
      answerIndex: 1,
      explanation:
        'In shadow mode the client always gets legacy’s answer; the shadow answer is only ' +
        'compared. The mismatches metric climbs while the wrong-answers metric stays at zero. ' +
        'Note that no error rate would have caught this bug: only the comparison does.',
    },
    waitFor: {
      description: 'the facade counts 5 catalog mismatches',
      isMet: (world) => routeStat(world, catalog, 'mismatches') >= 5,
      timeoutMs: 5000,
    },
  },
  {
    id: 'canary-orders',
    title: 'Fix, move, and start a canary',
    narration:
      'The catalog bug is fixed and the catalog route moves entirely to new-catalog: watch the ' +
      'new share grow in the chart. Orders starts as a canary at 25%: users whose bucket (a hash ' +
      'of the user id) is below 25 go to new-orders, the rest stay on legacy. The same users are ' +
      'in the canary on every request.',
    actions: (world) => [
      ...fixAll(world),
      {
        type: 'scenario.fault',
        fault: moveRouteControl,
        node: facadeId,
        args: { route: catalog + 1 },
      },
      {
        type: 'scenario.fault',
        fault: setRouteControl,
        node: facadeId,
        args: { route: orders + 1, sharePct: 25, shadow: 0 },
      },
    ],
    waitFor: {
      description: 'new-orders has served 10 canary calls',
      isMet: (world) => (serviceState(world, orders)?.served ?? 0) >= 10,
      timeoutMs: 8000,
    },
  },
  {
    id: 'bad-canary',
    title: 'A bad release in the canary',
    narration:
      'Now the service in the canary gets a release that fails 60% of its calls with an error.',
    actions: (world) => [
      {
        type: 'scenario.fault',
        fault: buggyReleaseFault,
        node: newServiceId(canaryRoute(world)),
        args: { errorRatePct: 60, wrongRatePct: 0 },
      },
    ],
    question: {
      prompt: 'What happens to the route and its users?',
      choices: [
        'Every user of the route gets errors until an operator notices',
        'Only the canary’s users see errors, and soon the facade moves the route back to legacy',
        'Nothing: the facade quietly retries failed calls on legacy',
      ],
      answerIndex: 1,
      explanation:
        'Only the 25% of users in the canary reach the buggy service. The facade keeps a window ' +
        'of the new service’s results; once it holds enough calls and the failure share passes ' +
        'the threshold, the route goes back to legacy on its own (an annotation marks it, the ' +
        'rollbacks metric counts it). The error budget barely moves. It stays on legacy until ' +
        'the operator moves it again.',
    },
    waitFor: {
      description: 'the facade rolls the route back to legacy',
      isMet: (world) => routeConfigs(world).some((config) => config.isRolledBack),
      timeoutMs: 15_000,
    },
  },
  {
    id: 'finish',
    title: 'Finish the migration',
    narration:
      'The fix is deployed and every route moves to its new service. Legacy’s share in the ' +
      'chart drops to zero.',
    actions: (world) => [
      ...fixAll(world),
      { type: 'scenario.fault', fault: moveAllControl, node: facadeId },
    ],
    question: {
      prompt: 'When is the legacy monolith switched off?',
      choices: [
        'At once, as soon as every route is on new',
        'After it has carried no traffic for the quiet period, when the facade retires it',
        'Never: it stays on as a fallback',
      ],
      answerIndex: 1,
      explanation:
        'The facade waits until no call to legacy is outstanding and none has been sent for the ' +
        'quiet period (5 s by default), then sends Retire; legacy switches off for good (its label turns ' +
        '“retired”). From then on nothing can route to it, and a failing route could no longer ' +
        'be rolled back: retiring is the point of no return.',
    },
    waitFor: {
      description: 'legacy is retired',
      isMet: isLegacyRetired,
      timeoutMs: 15_000,
    },
  },
  {
    id: 'big-bang',
    title: 'Compare with a big bang',
    narration:
      'Switch to the baseline, “Big-bang cutover”, and repeat: the first control moves every ' +
      'route to new at once, with no canary, no shadow and no rollback. Deploy the same bad ' +
      'release and watch every user of that capability get errors, the error budget burn ' +
      'through in seconds, and nothing bring the route back.',
    waitFor: {
      description: 'the clients keep getting good answers from the new services',
      isMet: (world) => goodAnswers(world) >= 30 && isLegacyRetired(world),
      timeoutMs: 3000,
    },
  },
];
