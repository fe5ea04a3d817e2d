import { circuitBreakerDrawing } from './CircuitBreakerDrawing.ts';
import type { InstrumentDrawing } from './types.ts';

/** Each scenario's instrument drawing, by scenario id. */
export const instrumentDrawings: Readonly<Record<string, InstrumentDrawing>> = {
  'circuit-breaker': circuitBreakerDrawing,
};
