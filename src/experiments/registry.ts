import { ambassadorLoss } from './ambassadorLoss.ts';
import { breakerCascade } from './breakerCascade.ts';
import { keysMoved } from './keysMoved.ts';
import { queueing } from './queueing.ts';
import type { Experiment } from './types.ts';

/** Every experiment, in the order `sim experiment list` shows them. */
export const experiments: readonly Experiment[] = [
  keysMoved,
  queueing,
  ambassadorLoss,
  breakerCascade,
];

export function getExperiment(id: string): Experiment | undefined {
  return experiments.find((experiment) => experiment.id === id);
}
