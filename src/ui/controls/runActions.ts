import type { SimController } from '../state/controller.ts';
import { useSimStore } from '../state/store.ts';
import { useParamDraftStore } from './paramDraftStore.ts';
import { currentParams, pendingRestartValues, restartRequest } from './params.ts';

/**
 * Restarts the run, applying parameter values typed into the panel that only take effect on a
 * restart (the panel promises "applies on reset"). Invalid drafts are left out; their fields
 * already say why.
 */
export async function restartWithPendingParams(controller: SimController): Promise<void> {
  const { view, commands } = useSimStore.getState();
  if (view === null) return;
  const current = currentParams(view.meta.params, view.run, commands);
  const changes = pendingRestartValues(
    view.meta.params,
    current,
    useParamDraftStore.getState().drafts,
  );
  if (changes === null || Object.keys(changes).length === 0) {
    await controller.reset();
    return;
  }
  await controller.load(restartRequest(view.run, commands, changes));
}
