import { describe, expect, it } from 'vitest';
import type { ParamSpec, Variant } from '../engine/types.ts';
import { defineScenario, specProblem } from './define.ts';
import { plantedViolation } from './planted-violation/model.ts';
import { scenarios } from './registry.ts';
import { setRouteControl, stranglerFigFaults } from './strangler-fig/controls.ts';

const shadow: ParamSpec = {
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

describe('parameter and fault argument specs', () => {
  it('accept named choices that cover the default', () => {
    expect(specProblem(shadow)).toBeNull();
    const plain: ParamSpec = {
      label: 'Delay',
      default: 50,
      min: 1,
      max: 1000,
      step: 1,
      unit: 'ms',
      help: 'Every write waits this long.',
    };
    expect(specProblem(plain)).toBeNull();
  });

  it('refuse choices that a form could not show or a log could not word', () => {
    const one = [{ value: 0, label: 'off' }];
    expect(specProblem({ ...shadow, choices: one })).toBe('a list of choices needs at least two');
    expect(specProblem({ ...shadow, choices: [...one, { value: 2, label: 'on' }] })).toBe(
      'choice 2 is outside 0–1',
    );
    expect(specProblem({ ...shadow, choices: [...one, { value: 0, label: 'on' }] })).toBe(
      'choice 0 is listed twice',
    );
    expect(specProblem({ ...shadow, choices: [...one, { value: 1, label: ' ' }] })).toBe(
      'every choice needs a label',
    );
    expect(specProblem({ ...shadow, choices: [...one, { value: 1, label: 'off' }] })).toBe(
      'two choices are labelled "off"',
    );
    expect(specProblem({ ...shadow, max: 2, default: 2 })).toBe(
      'the default 2 is not one of the choices',
    );
    expect(specProblem({ ...shadow, default: 5 })).toBe('default 5 is outside 0–1');
    expect(specProblem({ ...shadow, step: 0 })).toBe('step must be positive');
    // A form checks a pick like a typed value, so a choice off the step grid could never be set.
    expect(specProblem({ ...shadow, choices: [...one, { value: 0.5, label: 'half' }] })).toBe(
      'choice 0.5 is not a multiple of 1 from 0',
    );
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

  it('are checked for parameters too when a scenario is defined, naming the parameter', () => {
    const { id, title, summary, params, baselineLabel, baselineSummary } = plantedViolation;
    const definition = {
      ...{ id, title, summary, baselineLabel, baselineSummary },
      topology: (values: Readonly<Record<string, number>>, variant: Variant) =>
        plantedViolation.topology(values, variant),
      metrics: plantedViolation.metrics,
      invariants: plantedViolation.invariants,
      tour: [],
    };
    const named = { ...params, shadow };
    expect(defineScenario({ ...definition, params: named }).params.shadow?.choices).toEqual(
      shadow.choices,
    );
    const unnamed = { ...params, shadow: { ...shadow, choices: [{ value: 1, label: 'on' }] } };
    expect(() => defineScenario({ ...definition, params: unnamed })).toThrow(
      'planted-violation: parameter shadow: a list of choices needs at least two',
    );
    const uncovered = { ...params, shadow: { ...shadow, default: 1, max: 2, step: 1 } };
    expect(() =>
      defineScenario({
        ...definition,
        params: {
          ...uncovered,
          shadow: {
            ...uncovered.shadow,
            choices: [
              { value: 0, label: 'off' },
              { value: 2, label: 'on' },
            ],
          },
        },
      }),
    ).toThrow('planted-violation: parameter shadow: the default 1 is not one of the choices');
  });

  it('hold for every registered scenario (each was defined without an error)', () => {
    for (const scenario of scenarios) {
      for (const fault of scenario.faults) {
        for (const spec of Object.values(fault.args)) expect(specProblem(spec)).toBeNull();
      }
      for (const spec of Object.values(scenario.params)) expect(specProblem(spec)).toBeNull();
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

/** Every registered parameter, by scenario and key. */
function everyParam(): { where: string; spec: ParamSpec }[] {
  return scenarios.flatMap((scenario) =>
    Object.entries(scenario.params).map(([key, spec]) => ({
      where: `${scenario.id}.${key}`,
      spec,
    })),
  );
}

describe('scenario parameters that stand for something', () => {
  it('are named: every switch and mode lists its choices', () => {
    const named = everyParam()
      .filter(({ spec }) => spec.choices !== undefined)
      .map(({ where }) => where);
    expect(named).toEqual([
      'ambassador.isRetryBudgetOn',
      'ambassador.isHedgingOn',
      'ambassador.balancer',
      'ambassador.isBreakerOn',
      'ambassador.breakerLateResults',
      'circuit-breaker.windowKind',
      'circuit-breaker.openToHalfOpen',
      'circuit-breaker.fallback',
      'circuit-breaker.minimumCallsRule',
      'circuit-breaker.slowCallRule',
      'circuit-breaker.timeWindowRule',
      'circuit-breaker.lateResults',
      'circuit-breaker.halfOpenRule',
      'circuit-breaker.forceOpenRule',
      'cqrs.ryowMode',
      'pub-sub.deliveryMode',
      'pub-sub.brokerPersistence',
      'pub-sub.overflowPolicy',
      'sharding.strategy',
      'sharding.keyDistribution',
    ]);
    // A 0/1 parameter is a switch, so a new one without names fails here.
    const unnamedSwitches = everyParam().filter(
      ({ spec }) => spec.min === 0 && spec.max === 1 && spec.step === 1 && !spec.choices,
    );
    expect(unnamedSwitches.map(({ where }) => where)).toEqual([]);
  });

  it('leave the numbers to the choices: no label or help explains them, no unit beside them', () => {
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const { where, spec } of everyParam()) {
      if (spec.choices === undefined) continue;
      // "on/off" or "mode" beside "round robin" says nothing; the labels say it all.
      expect(spec.unit, where).toBe('');
      for (const choice of spec.choices) {
        // "0 = uniform", "1: time window", "(0 off, 1 on)", "0/1".
        const code = new RegExp(
          `(^|[^\\w.])${choice.value}\\s*(=|:|/|\\)|${escaped(choice.label)})`,
          'i',
        );
        for (const text of [spec.label, spec.help]) {
          expect(code.test(text), `${where}: "${text}"`).toBe(false);
        }
      }
    }
  });

  it('name Sharding’s placement strategies as its placement code does', () => {
    const sharding = scenarios.find((scenario) => scenario.id === 'sharding');
    expect(sharding?.params.strategy?.choices).toEqual([
      { value: 0, label: 'hash mod N' },
      { value: 1, label: 'consistent hashing' },
      { value: 2, label: 'range partitioning' },
    ]);
  });
});
