import type { ScenarioModel } from '../src/engine/types.ts';

/*
 * The scenario registry, loaded with a guarded dynamic import: while a scenario is broken
 * mid-edit (or the registry is missing), the scenario figures print `skipped` with the reason
 * and every other figure still runs.
 */

/** A scenario as the benchmarks see it: the model, and whether the picker lists it. */
export type RegistryScenario = ScenarioModel & { readonly isHidden?: boolean };

interface Registry {
  readonly scenarios: readonly unknown[];
  getScenario(id: string): unknown;
}

function isRegistry(value: unknown): value is Registry {
  return (
    typeof value === 'object' &&
    value !== null &&
    'getScenario' in value &&
    typeof value.getScenario === 'function' &&
    'scenarios' in value &&
    Array.isArray(value.scenarios)
  );
}

export function isScenarioModel(value: unknown): value is RegistryScenario {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    'version' in value &&
    'params' in value &&
    'topology' in value &&
    typeof value.topology === 'function'
  );
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** The registry module, or why it cannot be loaded. */
export async function loadRegistry(): Promise<Registry | string> {
  // A computed specifier: the registry may not exist when this file is type-checked.
  const specifier = new URL('../src/scenarios/registry.ts', import.meta.url).href;
  let module: unknown;
  try {
    module = await import(specifier);
  } catch (error) {
    return `src/scenarios/registry.ts could not be loaded (${firstLine(error)})`;
  }
  if (!isRegistry(module)) return 'src/scenarios/registry.ts does not export getScenario';
  return module;
}

/** One scenario from the registry, or why it cannot be loaded. */
export async function loadScenario(id: string): Promise<RegistryScenario | string> {
  const registry = await loadRegistry();
  if (typeof registry === 'string') return registry;
  let scenario: unknown;
  try {
    scenario = registry.getScenario(id);
  } catch (error) {
    return `getScenario('${id}') threw (${firstLine(error)})`;
  }
  if (!isScenarioModel(scenario)) return `getScenario('${id}') returned no scenario`;
  return scenario;
}

/** The scenarios the picker lists (not the hidden fixtures), in its order. */
export async function loadListedScenarios(): Promise<RegistryScenario[] | string> {
  const registry = await loadRegistry();
  if (typeof registry === 'string') return registry;
  const listed = registry.scenarios
    .filter(isScenarioModel)
    .filter((each) => each.isHidden !== true);
  return listed.length > 0 ? listed : 'the registry lists no scenario';
}
