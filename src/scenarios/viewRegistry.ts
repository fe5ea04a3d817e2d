import { ambassadorView } from './ambassador/view.ts';
import { benchMeshView } from './bench-mesh/view.ts';
import { circuitBreakerView } from './circuit-breaker/view.ts';
import { cqrsView } from './cqrs/view.ts';
import { eventSourcingView } from './event-sourcing/view.ts';
import { leaderElectionView } from './leader-election/view.ts';
import { plantedViolationView } from './planted-violation/view.ts';
import { pubSubView } from './pub-sub/view.ts';
import { shardingView } from './sharding/view.ts';
import { stranglerFigView } from './strangler-fig/view.ts';
import type { ScenarioViewHints } from './viewHints.ts';

/** View hints for every scenario, in the same order as `scenarios` in registry.ts. */
export const scenarioViews: readonly ScenarioViewHints[] = [
  ambassadorView,
  circuitBreakerView,
  cqrsView,
  eventSourcingView,
  leaderElectionView,
  pubSubView,
  shardingView,
  stranglerFigView,
  benchMeshView,
  plantedViolationView,
];

/** The view hints for this scenario id, or undefined. */
export function getScenarioView(id: string): ScenarioViewHints | undefined {
  return scenarioViews.find((view) => view.id === id);
}
