import { chaosFaultFraction } from '../../engine/chaos.ts';
import { RngStreams } from '../../engine/rng.ts';
import type { ParamSpec, RecordedCommand, Topology } from '../../engine/types.ts';
import type { Scenario } from '../define.ts';

/*
 * A scenario's own faults and controls, and changes of its live parameters, drawn at random from
 * what its definition declares
 * (`faults`: each with the roles it applies to and its arguments' bounds): at random moments of
 * the chaos schedule's fault phase, on a random node of a matching role, with arguments on their
 * step grid inside their bounds. No recovery is owed: the contract harness uses these for what
 * must hold whatever is injected (the same run replays and resumes from a checkpoint to the same
 * trace), so every scenario's own faults are exercised the moment it declares them.
 */

/** A value of `spec` on its step grid, from min to max inclusive. */
function argValue(spec: ParamSpec, draw: (count: number) => number): number {
  const steps = Math.floor((spec.max - spec.min) / spec.step + 1e-9);
  const value = spec.min + draw(steps + 1) * spec.step;
  // Decimal steps (0.1) are not exact in binary; keep what a form would send.
  return Math.round(value * 1e6) / 1e6;
}

export function ownFaultSchedule(
  scenario: Scenario,
  topology: Topology,
  seed: number,
  durationUs: number,
): RecordedCommand[] {
  const rng = new RngStreams(seed).get(`contract:own-faults:${scenario.id}`);
  const faultEndUs = Math.floor(durationUs * chaosFaultFraction);
  const usable = scenario.faults
    .map((fault) => ({
      fault,
      nodes: topology.nodes.filter((node) => fault.roles.includes(node.role)).map((n) => n.id),
    }))
    .filter((each) => each.nodes.length > 0);
  const commands: RecordedCommand[] = [];
  if (usable.length === 0) return commands;
  for (let atUs = rng.intBetween(100_000, 600_000); atUs < faultEndUs;) {
    const { fault, nodes } = rng.pick(usable);
    const args: Record<string, number> = {};
    for (const [key, spec] of Object.entries(fault.args)) {
      args[key] =
        spec.choices === undefined
          ? argValue(spec, (count) => rng.int(count))
          : rng.pick(spec.choices).value;
    }
    commands.push({
      atUs,
      command: { type: 'scenario.fault', fault: fault.id, node: rng.pick(nodes), args },
    });
    atUs += rng.intBetween(150_000, 700_000);
  }
  return commands;
}
