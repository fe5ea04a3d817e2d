import { defaultLinkConfig } from '../../engine/network.ts';
import { pingPongModel } from '../../engine/testing/pingPong.ts';
import type { Scenario } from '../../scenarios/define.ts';
import type { ScenarioCatalogue } from '../runs.ts';

/** The engine's ping-pong test model as a scenario, for host and CLI tests. */
export const pingPongScenario: Scenario = {
  ...pingPongModel(defaultLinkConfig),
  tour: [],
  baselineSummary: 'The same model.',
};

export const testCatalogue: ScenarioCatalogue = {
  scenarios: [pingPongScenario],
  get: (id) => (id === pingPongScenario.id ? pingPongScenario : undefined),
};
