import { defaultLinkConfig } from '../../engine/network.ts';
import { pingPongModel } from '../../engine/testing/pingPong.ts';
import type { Scenario } from '../../scenarios/define.ts';
import type { ScenarioCatalogue } from '../runs.ts';

/** The engine's ping-pong test model as a scenario, for host and CLI tests. */
export const pingPongScenario: Scenario = {
  ...pingPongModel(defaultLinkConfig),
  instrument: null,
  defaultSpeed: 1,
  tour: [
    { id: 'watch', title: 'Watch', narration: 'Nodes ping each other.' },
    {
      id: 'crash',
      title: 'Crash one',
      narration: 'p1 goes down.',
      actions: () => [{ type: 'node.crash', node: 'p1' }],
      waitFor: {
        description: 'p2 has answered a ping',
        isMet: (world) =>
          ((world.node('p2').state as { pingsSeen?: number } | undefined)?.pingsSeen ?? 0) > 50,
        timeoutMs: 1000,
      },
    },
  ],
  baselineSummary: 'The same model.',
  isHidden: false,
};

/** A variant whose safety invariant fails as soon as any node is down. */
export const fragileScenario: Scenario = {
  ...pingPongScenario,
  id: 'fragile',
  invariants: [
    {
      id: 'nobody-crashes',
      kind: 'safety',
      description: 'No node is down',
      createMemory: () => null,
      check: (world) =>
        world.nodes.some((node) => node.status === 'crashed')
          ? {
              message: 'a node is down',
              nodes: world.nodes.filter((node) => node.status === 'crashed').map((node) => node.id),
            }
          : null,
    },
  ],
};

export const testCatalogue: ScenarioCatalogue = {
  scenarios: [pingPongScenario, fragileScenario],
  get: (id) => [pingPongScenario, fragileScenario].find((scenario) => scenario.id === id),
};
