import { ambassadorDrawing } from './AmbassadorDrawing.ts';
import { circuitBreakerDrawing } from './CircuitBreakerDrawing.ts';
import { cqrsDrawing } from './CqrsDrawing.ts';
import { eventSourcingDrawing } from './EventSourcingDrawing.ts';
import { leaderElectionDrawing } from './LeaderElectionDrawing.ts';
import { pubSubDrawing } from './PubSubDrawing.ts';
import { shardingDrawing } from './ShardingDrawing.ts';
import { stranglerFigDrawing } from './StranglerFigDrawing.ts';
import type { InstrumentDrawing } from './types.ts';

/** Each scenario's instrument drawing, by scenario id. */
export const instrumentDrawings: Readonly<Record<string, InstrumentDrawing>> = {
  ambassador: ambassadorDrawing,
  'circuit-breaker': circuitBreakerDrawing,
  cqrs: cqrsDrawing,
  'event-sourcing': eventSourcingDrawing,
  'leader-election': leaderElectionDrawing,
  'pub-sub': pubSubDrawing,
  sharding: shardingDrawing,
  'strangler-fig': stranglerFigDrawing,
};
