import type { Behaviour, Topology } from '../../engine/types.ts';
import type { Scenario } from '../../scenarios/define.ts';
import type { ScenarioCatalogue } from '../../worker/runs.ts';
import { fragileScenario, pingPongScenario } from '../../worker/testing/testCatalogue.ts';
import type { CatalogueModule } from '../sweep.ts';

/*
 * The scenarios the sweep tests run, in a module of their own so that worker processes can load
 * them (`--workers`): the host tests' ping-pong and fragile, and two hidden ones that go wrong.
 */

/** Each node's behaviour with `init` wrapped. */
function withInit(
  topology: Topology,
  init: (original: Behaviour['init']) => Behaviour['init'],
): Topology {
  return {
    ...topology,
    nodes: topology.nodes.map((node) => ({
      ...node,
      behaviour: { ...node.behaviour, init: init(node.behaviour.init.bind(node.behaviour)) },
    })),
  };
}

/** Fragile, whose nodes throw when they restart a second time: some seeds violate the safety
 * invariant (a crash), some fail (two restarts of one node), some do neither. */
const throwsOnRestart: Scenario = {
  ...fragileScenario,
  id: 'throws-on-restart',
  isHidden: true,
  topology: (params, variant) =>
    withInit(fragileScenario.topology(params, variant), (init) => (ctx) => {
      if ((ctx.durable as { restarts: number }).restarts >= 1)
        throw new Error('cannot restart twice');
      return init(ctx);
    }),
};

/** A scenario that ends the process it runs in when that is a sweep worker: a dying worker. */
const diesInWorker: Scenario = {
  ...pingPongScenario,
  id: 'dies-in-worker',
  isHidden: true,
  topology: (params, variant) => {
    if (process.argv[1]?.endsWith('sweepWorker.ts') === true) {
      process.stderr.write('Error: the worker is going down\n');
      process.exit(7);
    }
    return pingPongScenario.topology(params, variant);
  },
};

const all = [pingPongScenario, fragileScenario, throwsOnRestart, diesInWorker];

export const sweepTestCatalogue: ScenarioCatalogue = {
  scenarios: all,
  get: (id) => all.find((scenario) => scenario.id === id),
};

/** Where worker processes find it. */
export const sweepTestCatalogueModule: CatalogueModule = {
  url: new URL('./sweepCatalogue.ts', import.meta.url).href,
  exportName: 'sweepTestCatalogue',
};
