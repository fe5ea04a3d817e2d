import { Simulation } from '../src/engine/simulation.ts';
import { smallConfigOf } from '../src/search/configs.ts';
import { type SearchResult, search } from '../src/search/explore.ts';
import {
  type Contender,
  type RepetitionPlan,
  describeWallTimes,
  formatRatio,
  interleave,
  median,
} from './measure.ts';
import { loadScenario } from './scenarioRegistry.ts';

/*
 * The exhaustive search's speed (`sim check`): distinct states per second while certifying
 * Raft's one-leader-per-term for 3 nodes to a fixed depth. Contenders, interleaved: the search
 * itself, and the plain engine running the same configuration for as many events as the search
 * takes choices (`engine`), so the ratio says what one choice costs in plain events: a choice
 * restores a checkpoint, runs its events, builds a state key and keeps a checkpoint.
 */

export const searchFigureName = 'search-raft-3';

interface Outcome {
  readonly states: number;
  readonly transitions: number;
}

/** One figure: its summary line, and whether the search explored something else (VOID). */
export async function benchSearch(
  depth: number,
  plan: RepetitionPlan,
  print: (line: string) => void,
): Promise<{ summary: string; isVoid: boolean }> {
  const model = await loadScenario('leader-election');
  if (typeof model === 'string') {
    const summary = `${searchFigureName}: skipped (${model})`;
    print(summary);
    return { summary, isVoid: false };
  }
  const params = { ...smallConfigOf('leader-election').quiet, nodeCount: 3 };
  const request = {
    model,
    seed: 1,
    variant: 'pattern' as const,
    params,
    invariantId: 'one-leader-per-term',
    depthMax: depth,
    faultsMax: 0,
  };
  print(`${searchFigureName}: Raft, 3 nodes, one-leader-per-term, depth ${depth}, no faults`);
  const first = search(request);
  const countOf = (result: SearchResult): Outcome => ({
    states: result.states,
    transitions: result.transitions,
  });
  const expected = countOf(first);
  const contenders: Contender<Outcome>[] = [
    { name: 'search', run: () => countOf(search(request)) },
    {
      name: 'engine',
      run: () => {
        const sim = new Simulation(model, {
          scenarioId: model.id,
          scenarioVersion: model.version,
          seed: 1,
          variant: 'pattern',
          params,
          commands: [],
        });
        while (sim.eventCount < expected.transitions && sim.step()) {
          // One event per step: as many events as the search takes choices.
        }
        return { states: expected.states, transitions: sim.eventCount };
      },
    },
  ];
  const voidReasons: string[] = [];
  const timings = interleave(contenders, plan, (round, results) => {
    const [found, ran] = results;
    if (found?.states !== expected.states || found.transitions !== expected.transitions)
      voidReasons.push(
        `round ${round + 1}: explored ${found?.states ?? 0} states, not ${expected.states}`,
      );
    if (ran?.transitions !== expected.transitions)
      voidReasons.push(`round ${round + 1}: the engine ran out of events`);
  });
  const rates = new Map<string, number>();
  for (const timing of timings) {
    // The search is counted in states, the engine in events.
    const isSearch = timing.name === 'search';
    const count = isSearch ? expected.states : expected.transitions;
    const perSecond = count / (median(timing.wallMs) / 1000);
    rates.set(timing.name, perSecond);
    print(
      `  ${timing.name.padEnd(8)} ${describeWallTimes(timing.wallMs)}  ${Math.round(perSecond)} ${isSearch ? 'states' : 'events'}/s`,
    );
  }
  const voidReason = voidReasons[0];
  if (voidReason !== undefined) {
    const summary = `${searchFigureName}: VOID — ${voidReason}`;
    print(summary);
    return { summary, isVoid: true };
  }
  const searchRate = rates.get('search') ?? Number.NaN;
  const transitionRate = (searchRate * expected.transitions) / expected.states;
  const eventRate = rates.get('engine') ?? Number.NaN;
  const summary =
    `${searchFigureName}: ${Math.round(searchRate)} states/s, ${Math.round(transitionRate)} transitions/s ` +
    `(${expected.states} states, ${expected.transitions} transitions) — ` +
    `${Math.round(eventRate)} engine events/s — a choice costs ${formatRatio(eventRate / transitionRate)} an event`;
  print(summary);
  return { summary, isVoid: false };
}
