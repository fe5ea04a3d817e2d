import { describe, expect, it } from 'vitest';
import type { FaultArgSpec, Variant } from '../engine/types.ts';
import { argProblem, defineScenario } from './define.ts';
import { plantedViolation } from './planted-violation/model.ts';
import { scenarios } from './registry.ts';
import { setRouteControl, stranglerFigFaults } from './strangler-fig/controls.ts';

const shadow: FaultArgSpec = {
  label: 'Shadow',
  default: 0,
  min: 0,
  max: 1,
  step: 1,
  unit: '',
  help: 'Compare answers.',
  choices: [
    { value: 0, label: 'off' },
    { value: 1, label: 'on' },
  ],
};

describe('fault argument specs', () => {
  it('accept named choices that cover the default', () => {
    expect(argProblem(shadow)).toBeNull();
    const plain: FaultArgSpec = {
      label: 'Delay',
      default: 50,
      min: 1,
      max: 1000,
      step: 1,
      unit: 'ms',
      help: 'Every write waits this long.',
    };
    expect(argProblem(plain)).toBeNull();
  });

  it('refuse choices that a form could not show or a log could not word', () => {
    const one = [{ value: 0, label: 'off' }];
    expect(argProblem({ ...shadow, choices: one })).toBe('a list of choices needs at least two');
    expect(argProblem({ ...shadow, choices: [...one, { value: 2, label: 'on' }] })).toBe(
      'choice 2 is outside 0–1',
    );
    expect(argProblem({ ...shadow, choices: [...one, { value: 0, label: 'on' }] })).toBe(
      'choice 0 is listed twice',
    );
    expect(argProblem({ ...shadow, choices: [...one, { value: 1, label: ' ' }] })).toBe(
      'every choice needs a label',
    );
    expect(argProblem({ ...shadow, choices: [...one, { value: 1, label: 'off' }] })).toBe(
      'two choices are labelled "off"',
    );
    expect(argProblem({ ...shadow, max: 2, default: 2 })).toBe(
      'the default 2 is not one of the choices',
    );
    expect(argProblem({ ...shadow, default: 5 })).toBe('default 5 is outside 0–1');
    expect(argProblem({ ...shadow, step: 0 })).toBe('step must be positive');
  });

  it('are checked when a scenario is defined, naming the fault and argument', () => {
    const fault = {
      id: 'set-shadow',
      label: 'Set shadow',
      help: 'Turns shadowing on or off.',
      roles: ['primary'],
      args: { shadow: { ...shadow, choices: [{ value: 0, label: 'off' }] } },
    };
    const { id, title, summary, params, baselineLabel, baselineSummary } = plantedViolation;
    const definition = {
      ...{ id, title, summary, params, baselineLabel, baselineSummary },
      topology: (values: Readonly<Record<string, number>>, variant: Variant) =>
        plantedViolation.topology(values, variant),
      metrics: plantedViolation.metrics,
      invariants: plantedViolation.invariants,
      tour: [],
    };
    expect(() => defineScenario(definition)).not.toThrow();
    expect(() => defineScenario({ ...definition, faults: [fault] })).toThrow(
      'planted-violation: fault set-shadow, argument shadow: a list of choices needs at least two',
    );
  });

  it('hold for every registered scenario (each was defined without an error)', () => {
    for (const scenario of scenarios) {
      for (const fault of scenario.faults) {
        for (const spec of Object.values(fault.args)) expect(argProblem(spec)).toBeNull();
      }
    }
  });

  it('name Strangler Fig’s routes and shadow instead of numbering them', () => {
    const setRoute = stranglerFigFaults.find((fault) => fault.id === setRouteControl);
    expect(setRoute?.args.route?.choices?.map((choice) => choice.label)).toEqual([
      'catalog',
      'orders',
      'payments',
      'accounts',
    ]);
    expect(setRoute?.args.shadow?.choices).toEqual(shadow.choices);
  });
});
