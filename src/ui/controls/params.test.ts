import { describe, expect, it } from 'vitest';
import type { ParamSpec, RecordedCommand, RunDescription } from '../../engine/types.ts';
import { currentParams, liveDraft, pendingRestartValues, restartRequest } from './params.ts';

const spec = (overrides: Partial<ParamSpec>): ParamSpec => ({
  label: 'x',
  default: 5,
  min: 1,
  max: 9,
  step: 1,
  unit: '',
  help: '',
  ...overrides,
});

const specs = { nodes: spec({}), timeout: spec({ default: 150, max: 500, isLive: true }) };

const run: RunDescription = {
  scenarioId: 'demo',
  scenarioVersion: 2,
  seed: 7,
  variant: 'pattern',
  params: { nodes: 5 },
  commands: [],
};

const setTimeoutTo = (value: number, atUs: number): RecordedCommand => ({
  atUs,
  command: { type: 'param.set', key: 'timeout', value },
});

describe('currentParams', () => {
  it('starts from the run, falls back to defaults and applies param.set in order', () => {
    expect(currentParams(specs, run, [])).toEqual({ nodes: 5, timeout: 150 });
    const commands = [setTimeoutTo(200, 10), setTimeoutTo(250, 20)];
    expect(currentParams(specs, run, commands)).toEqual({ nodes: 5, timeout: 250 });
  });

  it('ignores commands for keys the scenario does not have', () => {
    const stray: RecordedCommand = {
      atUs: 0,
      command: { type: 'param.set', key: 'other', value: 1 },
    };
    expect(currentParams(specs, run, [stray])).toEqual({ nodes: 5, timeout: 150 });
  });
});

describe('drafts', () => {
  it('drops a draft once the current value moved away from where it started', () => {
    expect(liveDraft({ text: '7', base: 5 }, 5)).toEqual({ text: '7', base: 5 });
    expect(liveDraft({ text: '7', base: 5 }, 7)).toBeUndefined();
    expect(liveDraft(undefined, 5)).toBeUndefined();
  });

  it('collects changed restart-only values and skips live ones', () => {
    const current = { nodes: 5, timeout: 150 };
    expect(pendingRestartValues(specs, current, {})).toEqual({});
    expect(
      pendingRestartValues(specs, current, {
        nodes: { text: '7', base: 5 },
        timeout: { text: '300', base: 150 },
      }),
    ).toEqual({ nodes: 7 });
    expect(pendingRestartValues(specs, current, { nodes: { text: '5', base: 5 } })).toEqual({});
  });

  it('reports an invalid restart-only draft as null', () => {
    const current = { nodes: 5, timeout: 150 };
    expect(pendingRestartValues(specs, current, { nodes: { text: '99', base: 5 } })).toBeNull();
  });

  it('builds a restart request that keeps seed, variant and faults', () => {
    const commands = [setTimeoutTo(200, 10)];
    expect(restartRequest(run, commands, { nodes: 7 })).toEqual({
      scenarioId: 'demo',
      scenarioVersion: 2,
      seed: 7,
      variant: 'pattern',
      params: { nodes: 7 },
      commands,
    });
  });
});
