import { describe, expect, it } from 'vitest';
import type { RecordedCommand, Variant } from '../../engine/types.ts';
import { getScenario } from '../registry.ts';
import { getScenarioView } from '../viewRegistry.ts';
import { startRun } from '../testing/runKit.ts';
import { plantedViolation, primaryId } from './model.ts';

/*
 * The fixture's planted bug, by hand-made fault logs: with the defaults the primary issues a
 * value every 200 ms and saves it 50 ms later, so a crash 20 ms after an issue is inside the
 * window and a crash 100 ms after it is not.
 */

function crashAndRestart(crashUs: number): RecordedCommand[] {
  return [
    { atUs: crashUs, command: { type: 'node.crash', node: primaryId } },
    { atUs: crashUs + 300_000, command: { type: 'node.restart', node: primaryId } },
  ];
}

function safetyResult(variant: Variant, commands: readonly RecordedCommand[]) {
  const sim = startRun(plantedViolation, 1, { variant, commands });
  sim.runUntil(3_000_000);
  const result = sim.invariantResults().find((each) => each.id === 'no-value-issued-twice');
  return { result, sim };
}

describe('planted-violation (test fixture)', () => {
  it('is hidden but loadable by id, with view hints', () => {
    expect(plantedViolation.isHidden).toBe(true);
    expect(getScenario('planted-violation')).toBe(plantedViolation);
    expect(getScenarioView('planted-violation')?.id).toBe('planted-violation');
  });

  it('issues a value twice when the primary crashes between issuing and saving it', () => {
    const { result } = safetyResult('pattern', crashAndRestart(820_000));
    expect(result?.status).toBe('violated');
    expect(result?.firstViolation?.message).toContain('issued 4 again');
    expect(result?.firstViolation?.nodes).toEqual([primaryId]);
  });

  it('is safe when the crash misses the window, and without faults', () => {
    expect(safetyResult('pattern', crashAndRestart(900_000)).result?.violations).toBe(0);
    const { result, sim } = safetyResult('pattern', []);
    expect(result?.violations).toBe(0);
    const issued = sim.metricFinals().find((final) => final.name === 'issued');
    expect(issued?.value).toBe(15);
  });

  it('never issues a value twice in the write-ahead baseline, even with the same crash', () => {
    expect(safetyResult('baseline', crashAndRestart(820_000)).result?.violations).toBe(0);
  });

  it('replays to the same trace hash', () => {
    const commands = crashAndRestart(820_000);
    const a = startRun(plantedViolation, 5, { commands });
    const b = startRun(plantedViolation, 5, { commands });
    a.runUntil(2_000_000);
    b.runUntil(2_000_000);
    expect(a.traceHash).toBe(b.traceHash);
  });
});
