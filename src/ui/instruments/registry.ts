import { circuitBreakerDrawing } from './CircuitBreakerDrawing.ts';
import { cqrsDrawing } from './CqrsDrawing.ts';
import { leaderElectionDrawing } from './LeaderElectionDrawing.ts';
import { pubSubDrawing } from './PubSubDrawing.ts';
import type { InstrumentDrawing } from './types.ts';

/** Each scenario's instrument drawing, by scenario id. */
export const instrumentDrawings: Readonly<Record<string, InstrumentDrawing>> = {
  'circuit-breaker': circuitBreakerDrawing,
  cqrs: cqrsDrawing,
  'leader-election': leaderElectionDrawing,
  'pub-sub': pubSubDrawing,
};
