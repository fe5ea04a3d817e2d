import { describe, expect, it } from 'vitest';
import { getScenario, scenarios } from './registry.ts';
import { getScenarioView, scenarioViews } from './viewRegistry.ts';

describe('scenario registries', () => {
  it('hold the same ids in the same order', () => {
    expect(scenarioViews.map((view) => view.id)).toEqual(scenarios.map((scenario) => scenario.id));
  });

  it('list every id once', () => {
    const ids = scenarios.map((scenario) => scenario.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('find each scenario and view by id, and nothing for an unknown id', () => {
    for (const scenario of scenarios) {
      expect(getScenario(scenario.id)).toBe(scenario);
      expect(getScenarioView(scenario.id)?.id).toBe(scenario.id);
    }
    expect(getScenario('no-such-scenario')).toBeUndefined();
    expect(getScenarioView('no-such-scenario')).toBeUndefined();
  });
});
