import { describe, expect, it } from 'vitest';
import type { Command, ParamSpec, ScenarioFaultSpec } from '../engine/types.ts';
import {
  commandText,
  latencyText,
  percentText,
  recordedCommandText,
  removeCommandLabel,
  secondsText,
  trimmedNumber,
} from './commandText.ts';
import { ambassadorParams } from '../scenarios/ambassador/params.ts';
import {
  moveRouteControl,
  setRouteControl,
  stranglerFigFaults,
} from '../scenarios/strangler-fig/controls.ts';

const nodeIds = ['n1', 'n2', 'n3', 'n4', 'n5'];

const rate: ParamSpec = {
  label: 'Rate',
  default: 5,
  min: 1,
  max: 50,
  step: 1,
  unit: 'req/s',
  help: 'How many requests per second.',
};

const flood: ScenarioFaultSpec = {
  id: 'flood',
  label: 'Flood with requests',
  help: 'Sends a burst.',
  roles: ['client'],
  args: { rate },
};

describe('numbers in words', () => {
  it('trims trailing zeros and never prints -0', () => {
    expect(trimmedNumber(5)).toBe('5');
    expect(trimmedNumber(0.8)).toBe('0.8');
    expect(trimmedNumber(12.3456)).toBe('12.346');
    expect(trimmedNumber(-0.0001)).toBe('0');
    expect(trimmedNumber(100)).toBe('100');
  });

  it('prints seconds with milliseconds and percentages', () => {
    expect(secondsText(2_350_000)).toBe('2.350 s');
    expect(secondsText(0)).toBe('0.000 s');
    expect(percentText(0.125)).toBe('12.5%');
    expect(percentText(1)).toBe('100%');
  });
});

describe('commandText', () => {
  it('words node faults', () => {
    expect(commandText({ type: 'node.crash', node: 'n3' })).toBe('crash n3');
    expect(commandText({ type: 'node.restart', node: 'n3' })).toBe('restart n3');
    expect(commandText({ type: 'node.pause', node: 'n2', durationMs: 500 })).toBe(
      'pause n2 for 500 ms',
    );
    expect(commandText({ type: 'node.pause', node: 'n2' })).toBe('pause n2');
    expect(commandText({ type: 'node.resume', node: 'n2' })).toBe('resume n2');
    expect(commandText({ type: 'node.skew', node: 'n1', offsetMs: 20, driftPpm: -100 })).toBe(
      'skew n1 clock by +20 ms, drift -100 ppm',
    );
    expect(commandText({ type: 'node.skew', node: 'n1', offsetMs: -5 })).toBe(
      'skew n1 clock by -5 ms',
    );
  });

  it('words partitions with "rest" only when nodes are left out', () => {
    const command: Command = { type: 'net.partition', groups: [['n1', 'n2']] };
    expect(commandText(command, { nodeIds })).toBe('partition {n1,n2} | rest');
    expect(commandText(command)).toBe('partition {n1,n2} | rest');
    const whole: Command = {
      type: 'net.partition',
      groups: [
        ['n1', 'n2'],
        ['n3', 'n4', 'n5'],
      ],
    };
    expect(commandText(whole, { nodeIds })).toBe('partition {n1,n2} | {n3,n4,n5}');
  });

  it('words the other network faults', () => {
    expect(commandText({ type: 'net.isolate', node: 'n4' })).toBe('isolate n4');
    expect(commandText({ type: 'net.heal' })).toBe('heal network');
    expect(commandText({ type: 'net.cut', from: ['n1'], to: ['n2', 'n3'] })).toBe(
      'cut {n1} → {n2,n3}',
    );
    expect(commandText({ type: 'link.hold', from: 'n1', to: 'n2' })).toBe('hold link n1 → n2');
    expect(commandText({ type: 'link.release', from: 'n1', to: 'n2' })).toBe(
      'release link n1 → n2',
    );
  });

  it('words link settings in human units', () => {
    expect(
      commandText({
        type: 'link.set',
        from: 'n1',
        to: 'n2',
        isBothWays: true,
        latency: { kind: 'uniform', minUs: 5000, maxUs: 15000 },
        lossProbability: 0.1,
        duplicateProbability: 0.05,
      }),
    ).toBe('link n1 ↔ n2: latency 5–15 ms, loss 10%, duplicates 5%');
    expect(commandText({ type: 'link.set', from: 'n1', to: 'n2', lossProbability: 0 })).toBe(
      'link n1 → n2: loss 0%',
    );
    expect(commandText({ type: 'link.set', from: 'n1', to: 'n2' })).toBe('link n1 → n2: no change');
  });

  it('words every latency kind', () => {
    expect(latencyText({ kind: 'constant', us: 800 })).toBe('0.8 ms');
    expect(latencyText({ kind: 'uniform', minUs: 3000, maxUs: 3000 })).toBe('3 ms');
    expect(latencyText({ kind: 'normal', meanUs: 10_000, sdUs: 2000, minUs: 1000 })).toBe(
      '≈10 ms (sd 2 ms, at least 1 ms)',
    );
    expect(latencyText({ kind: 'exponential', minUs: 1000, meanExtraUs: 4000 })).toBe(
      '1 ms + ~4 ms (exponential)',
    );
    expect(
      latencyText({ kind: 'constant', us: 1000, slowTail: { probability: 0.01, factor: 50 } }),
    ).toBe('1 ms, 1% of them ×50');
  });

  it('uses scenario labels for scenario faults and parameters when it has them', () => {
    const meta = {
      faults: [flood],
      params: { heartbeatIntervalMs: { ...rate, label: 'Heartbeat interval', unit: 'ms' } },
    };
    const fault: Command = {
      type: 'scenario.fault',
      fault: 'flood',
      node: 'c1',
      args: { rate: 20 },
    };
    expect(commandText(fault, { meta })).toBe('Flood with requests on c1 (Rate 20 req/s)');
    expect(commandText(fault)).toBe('flood on c1 (rate 20)');
    expect(commandText({ type: 'scenario.fault', fault: 'flood', node: 'c1' }, { meta })).toBe(
      'Flood with requests on c1',
    );
    const param: Command = { type: 'param.set', key: 'heartbeatIntervalMs', value: 75 };
    expect(commandText(param, { meta })).toBe('set Heartbeat interval to 75 ms');
    expect(commandText(param)).toBe('set heartbeatIntervalMs to 75');
  });

  it('says a numbered choice by its label, as the form offered it', () => {
    // Strangler Fig's own control: the command carries numbers, the log reads names.
    const meta = { faults: stranglerFigFaults, params: {} };
    const setRoute: Command = {
      type: 'scenario.fault',
      fault: setRouteControl,
      node: 'facade',
      args: { route: 2, sharePct: 10, shadow: 1 },
    };
    expect(commandText(setRoute, { meta })).toBe(
      'Set a route on facade (Route orders, Share to new 10 %, Shadow on)',
    );
    const moveRoute: Command = { ...setRoute, fault: moveRouteControl, args: { route: 1 } };
    expect(commandText(moveRoute, { meta })).toBe('Move a route to new on facade (Route catalog)');
    // A number that is not one of the choices (a hand-written fault file) is said as a number.
    const odd: Command = { ...setRoute, args: { route: 2, sharePct: 0, shadow: 0.5 } };
    expect(commandText(odd, { meta })).toBe(
      'Set a route on facade (Route orders, Share to new 0 %, Shadow 0.5)',
    );
  });

  it('says a live parameter with named values by its label', () => {
    // Ambassador's balancing and the tour's switches: "set Balancing to 2 mode" said nothing.
    const meta = { faults: [], params: ambassadorParams };
    const balancing: Command = { type: 'param.set', key: 'balancer', value: 2 };
    expect(commandText(balancing, { meta })).toBe('set Balancing to power of two random choices');
    const budget: Command = { type: 'param.set', key: 'isRetryBudgetOn', value: 0 };
    expect(commandText(budget, { meta })).toBe('set Retry budget to off');
    const odd: Command = { type: 'param.set', key: 'balancer', value: 1.5 };
    expect(commandText(odd, { meta })).toBe('set Balancing to 1.5 (not one of the named choices)');
  });
});

describe('log entries', () => {
  it('puts the time first and names the remove button after the entry', () => {
    const entry = {
      atUs: 2_350_000,
      event: 12,
      command: { type: 'node.crash', node: 'n3' },
    } as const;
    expect(recordedCommandText(entry)).toBe('2.350 s · crash n3');
    expect(removeCommandLabel(entry)).toBe('Remove: crash n3 at 2.350 s');
    expect(
      recordedCommandText(
        { atUs: 4_000_000, command: { type: 'net.partition', groups: [['n1', 'n2']] } },
        { nodeIds },
      ),
    ).toBe('4.000 s · partition {n1,n2} | rest');
  });
});
