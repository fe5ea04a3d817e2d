import type { Scenario } from './define.ts';
import { ambassador } from './ambassador/model.ts';
import { benchMesh } from './bench-mesh/model.ts';
import { circuitBreaker } from './circuit-breaker/model.ts';
import { cqrs } from './cqrs/model.ts';
import { eventSourcing } from './event-sourcing/model.ts';
import { leaderElection } from './leader-election/model.ts';
import { plantedViolation } from './planted-violation/model.ts';
import { pubSub } from './pub-sub/model.ts';
import { sharding } from './sharding/model.ts';
import { stranglerFig } from './strangler-fig/model.ts';

/** Every scenario, once, in the order the picker lists them. Add one line per new scenario. */
export const scenarios: readonly Scenario[] = [
  ambassador,
  circuitBreaker,
  cqrs,
  eventSourcing,
  leaderElection,
  pubSub,
  sharding,
  stranglerFig,
  benchMesh,
  plantedViolation,
];

/** The scenario with this id, or undefined. */
export function getScenario(id: string): Scenario | undefined {
  return scenarios.find((scenario) => scenario.id === id);
}
