import type { LinkConfig } from '../network.ts';
import type { Behaviour, ScenarioModel } from '../types.ts';
import { pingPongModel } from './pingPong.ts';

/*
 * A test double for faults in scenario code: the ping-pong model, except that one node's
 * behaviour throws when its n-th message arrives. Engine, host and CLI tests use it to check
 * that such a bug is reported with the scenario, node, event and seed, and that it reproduces.
 */

/** The shape of the ping-pong state this double counts messages with. */
interface CountedState {
  readonly pingsSeen: number;
  readonly pongs: number;
}

/** Which node fails, and on which message it receives (1-based). */
export interface ThrowingOptions {
  readonly node: string;
  readonly messageNumber: number;
}

/** The error message the failing behaviour throws. */
export const throwingReason = 'test double: this behaviour fails on purpose';

/** The ping-pong model whose `options.node` throws on its `options.messageNumber`-th message. */
export function throwingModel(link: LinkConfig, options: ThrowingOptions): ScenarioModel {
  const base = pingPongModel(link);
  return {
    ...base,
    id: 'throwing',
    title: 'Throwing ping pong',
    topology: (params, variant) => {
      const topology = base.topology(params, variant);
      return {
        ...topology,
        nodes: topology.nodes.map((node) => ({ ...node, behaviour: failing(node.behaviour) })),
      };
    },
  };

  function failing(behaviour: Behaviour): Behaviour {
    return {
      ...behaviour,
      receive(state, event, ctx) {
        const counted = state as CountedState;
        const received = counted.pingsSeen + counted.pongs + 1;
        if (
          event.kind === 'message' &&
          ctx.self === options.node &&
          received === options.messageNumber
        ) {
          throw new Error(throwingReason);
        }
        return behaviour.receive(state, event, ctx);
      },
    };
  }
}
