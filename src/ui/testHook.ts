import type { SimClient } from '../worker/client.ts';
import type { SimController } from './state/controller.ts';
import type { RunDescription } from '../engine/types.ts';
import type { Frame, RunRequest, StepMode } from '../worker/protocol.ts';
import { useSimStore } from './state/store.ts';

/**
 * A small hook on `window` for end-to-end tests (dev and e2e builds only, never the production
 * bundle): specs load and step the simulation through the real worker instead of sleeping.
 */
export interface TestHook {
  load(run: RunRequest, positionUs?: number): Promise<{ scenarioId: string; nodeIds: string[] }>;
  step(mode: StepMode): Promise<number>;
  frame(): Frame | null;
  traceHash(): string | null;
  setSpeed(speed: number): void;
  pause(): void;
  /** The share URL of the run as it is now. */
  shareUrl(): string;
  /** The run as the page holds it (scenario, seed, parameters, command log), if one is open. */
  run(): RunDescription | null;
  /** Makes the simulation worker throw an uncaught error; false when there is no worker. */
  crashWorker(): boolean;
  /** Terminates the simulation worker silently, as a browser killing it would. */
  terminateWorker(): boolean;
}

declare global {
  interface Window {
    distsim?: TestHook;
  }
}

export const isTestHookEnabled = import.meta.env.MODE !== 'production';

/** Installs the hook over `client` when the build allows it. */
export function installTestHook(client: SimClient, controller: SimController): void {
  if (!isTestHookEnabled) return;
  window.distsim = {
    async load(run, positionUs = 0) {
      await controller.load(run, positionUs);
      const view = useSimStore.getState().view;
      return {
        scenarioId: view?.meta.id ?? '',
        nodeIds: view?.topology.nodes.map((node) => node.id) ?? [],
      };
    },
    step: (mode) => client.step(mode),
    frame: () => client.latestFrame,
    traceHash: () => client.latestFrame?.traceHash ?? null,
    setSpeed: (speed) => {
      controller.setSpeed(speed);
    },
    pause: () => {
      controller.pause();
    },
    shareUrl: () => controller.shareUrl(),
    run: () => {
      const { view, commands } = useSimStore.getState();
      return view === null ? null : { ...view.run, commands };
    },
    crashWorker: () => client.injectWorkerFault('throw'),
    terminateWorker: () => client.injectWorkerFault('terminate'),
  };
}
