import type { Command, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { buggyReleaseFault, fixReleaseControl, isBuggy } from './backend.ts';
import { newServiceId, routeCount, routeNames } from './protocol.ts';
import { facadeState, isLegacyRetired, routeConfigs, serviceDurable } from './world.ts';

/**
 * The guided tour, on the default run. Its storyline carries out a migration plan: catalog
 * shadowed at 2 s, in canary at 5 s, moved at 8 s; a release of new-orders that fails half its
 * calls at 9.5 s, orders in canary at 11 s and rolled back by the facade on its own; the fix at
 * 15.5 s, every route moved at 17 s, legacy retired after the quiet period (about 22 s). The tour
 * follows it, opening the big-bang baseline beside the rollback. Two lessons are not in the plan
 * and are made by hand: a release with wrong prices while catalog is only shadowed (and its fix
 * before the canary), and a failing release after legacy is retired. Actions are computed from
 * the world when the step starts ("fix whatever is buggy").
 */

const catalog = routeNames.indexOf('catalog');
const orders = routeNames.indexOf('orders');
const payments = routeNames.indexOf('payments');

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

/** The route is shadowed (its legacy answers copied to new and compared): "Route shadowed". */
export function isShadowed(world: WorldView, route: number): boolean {
  return routeConfigs(world)[route]?.isShadow === true;
}

/** The route is entirely on its new service: "Route moved". */
export function isMoved(world: WorldView, route: number): boolean {
  return (routeConfigs(world)[route]?.percentNew ?? 0) >= 100;
}

/** The facade took the route back to legacy on its own: "Route rolled back". */
export function isRolledBack(world: WorldView, route: number): boolean {
  return routeConfigs(world)[route]?.isRolledBack === true;
}

/** The facade found the route failing on new with legacy retired, and could not roll back. */
export function isStuckOnNew(world: WorldView, route: number): boolean {
  return facadeState(world)?.stats[route]?.isStuckNoted === true;
}

export const stranglerFigTour: readonly TourStep[] = [
  {
    id: 'facade-in-front',
    title: 'A facade in front of the monolith',
    narration:
      'Three clients send requests for four capabilities: catalog, orders, payments and accounts. ' +
      'They all go to the facade, a routing proxy, which today sends every route to the legacy ' +
      'monolith (top right of the topology); below it wait four new services, one per capability. This is Martin ' +
      'Fowler’s strangler fig: the new system grows around the old one, route by route, until ' +
      'the old one can be switched off. In the Routes figure next to the topology, each row is one ' +
      'route with a bar splitting its users between legacy (grey) and new; all grey for now.',
    waitFor: {
      description: 'the migration plan shadows catalog',
      isMet: (world) => isShadowed(world, catalog),
      timeoutMs: 5000,
    },
  },
  {
    id: 'wrong-in-shadow',
    title: 'Shadowing, and a release that gets prices wrong',
    narration:
      'The plan has put catalog in shadow mode (the timeline’s “Route shadowed” tick): legacy ' +
      'still answers every catalog request, but the facade also sends a copy (a violet ShadowCall) ' +
      'to new-catalog and compares the two answers. The tour now deploys, by hand, a release of ' +
      'new-catalog with a bug: about 30% of its prices are off by a few cents. It answers quickly ' +
      'and without errors, so nothing about it looks broken.',
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
        'compared. In the Routes figure the catalog row turns amber and counts how many of the ' +
        'compared answers differ, while the wrong-answers metric stays at zero. No error rate ' +
        'would have caught this bug: only the comparison does.',
    },
    waitFor: {
      description: 'the facade counts 5 catalog mismatches',
      isMet: (world) => routeStat(world, catalog, 'mismatches') >= 5,
      timeoutMs: 5000,
    },
  },
  {
    id: 'canary-catalog',
    title: 'Fix, canary, move',
    narration:
      'The tour deploys the fix to new-catalog, and the plan goes on: at 5 s catalog goes into a ' +
      'canary at 25% (“Route canaried”), at 8 s it moves entirely to new-catalog (“Route moved”). ' +
      'In a canary, users whose bucket (a hash of the user id) is below 25 go to new, the rest ' +
      'stay on legacy, so the same users are in the canary on every request. Watch the catalog ' +
      'bar in the Routes figure turn from grey to new, and the squares under it (the new ' +
      'service’s latest calls) stay green.',
    actions: fixAll,
    waitFor: {
      description: 'catalog is entirely on new-catalog',
      isMet: (world) => isMoved(world, catalog),
      timeoutMs: 10_000,
    },
  },
  {
    id: 'bad-canary',
    title: 'A bad release in the canary',
    narration:
      'At 9.5 s new-orders deploys a release that fails half of its calls with an error, and at ' +
      '11 s the plan starts orders as a canary at 25% (and shadowed). Nobody is watching: the ' +
      'facade keeps a window of the new service’s latest results, the row of squares under orders ' +
      'in the Routes figure, and a rule at the foot of the figure.',
    question: {
      prompt: 'What happens to the orders route and its users?',
      choices: [
        'Every user of the route gets errors until an operator notices',
        'At most the canary’s users see errors, and soon the facade moves the route back to legacy',
        'Nothing: the facade quietly retries failed calls on legacy',
      ],
      answerIndex: 1,
      explanation:
        'Only the 25% of users in the canary can reach the buggy service, and the shadow copies of ' +
        'everyone else’s requests fill the window fast: past the threshold, the facade takes the ' +
        'route back to legacy on its own, within a second or so. The orders row turns red (“rolled ' +
        'back”) and the timeline gets a “Route rolled back” tick. Open the side-by-side view: the ' +
        'big-bang baseline switched every route at 2 s (“Big-bang cutover”) and retired legacy at ' +
        '7 s, so the tour’s wrong catalog prices reached its users, and from 9.5 s every orders ' +
        'user gets the errors, with no way back until the fix (compare the client-errors charts).',
    },
    waitFor: {
      description: 'the facade rolls orders back to legacy',
      isMet: (world) => isRolledBack(world, orders),
      timeoutMs: 10_000,
    },
    comparesWithBaseline: true,
  },
  {
    id: 'finish',
    title: 'Finish the migration',
    narration:
      'At 15.5 s new-orders deploys the fix, and at 17 s the plan moves every route to its new ' +
      'service (three “Route moved” ticks); the run plays at 2× meanwhile. Every bar in the ' +
      'Routes figure is now new, and the traffic-share chart has no legacy left.',
    speed: 2,
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
        'quiet period (5 s by default), then sends Retire; legacy switches off for good, the ' +
        'timeline gets a “Legacy retired” tick and the foot of the Routes figure says there is ' +
        'no way back.',
    },
    waitFor: {
      description: 'legacy is retired',
      isMet: isLegacyRetired,
      timeoutMs: 20_000,
    },
  },
  {
    id: 'no-way-back',
    title: 'No way back',
    narration:
      'The plan is done. To see what retiring means, the tour now deploys by hand a release of ' +
      'new-payments that fails 60% of its calls. The payments row of the Routes figure fills ' +
      'with red squares, as orders did in its canary.',
    actions: () => [
      {
        type: 'scenario.fault',
        fault: buggyReleaseFault,
        node: newServiceId(payments),
        args: { errorRatePct: 60, wrongRatePct: 0 },
      },
    ],
    question: {
      prompt: 'The failure share passes the rollback threshold. What does the facade do?',
      choices: [
        'Rolls payments back to legacy, as it did for orders',
        'Nothing it can: legacy is retired, so every payments user gets errors until a fix',
        'Sends payments to another new service',
      ],
      answerIndex: 1,
      explanation:
        'There is nothing to roll back to: the facade notes that payments is failing on new but ' +
        'legacy is retired (open the facade in the inspector), and the route stays on new. ' +
        'Retiring is the point of no return, which is why the facade waits for a quiet period, ' +
        'and why the canaries and shadows come first.',
    },
    waitFor: {
      description: 'the facade finds payments failing with no rollback possible',
      isMet: (world) => isStuckOnNew(world, payments),
      timeoutMs: 5000,
    },
  },
];
