import { getScenario, scenarios } from '../scenarios/registry.ts';
import type { ScenarioCatalogue } from './runs.ts';

/** Every registered scenario, as the host loads them. */
export const scenarioCatalogue: ScenarioCatalogue = { scenarios, get: getScenario };
