import type { Checkpoint } from '../engine/checkpoint.ts';
import { restoreInto } from '../engine/checkpoint.ts';
import { Simulation, defaultSimulationOptions } from '../engine/simulation.ts';
import type { RunDescription, ScenarioModel, Variant } from '../engine/types.ts';
import {
  type Choice,
  type FaultBudget,
  type Step,
  choicesAt,
  isFault,
  take,
  takeControl,
} from './controlled.ts';
import { stateKey } from './stateKey.ts';

/*
 * Breadth-first search over a controlled run (controlled.ts): from the settled start, every
 * choice of what happens next, level by level, each new state kept once (stateKey.ts), the
 * chosen safety invariant checked by the engine after every event as in any run. The first
 * violation found is at the smallest depth that has one, so its schedule is a shortest one;
 * when the levels run out first, the result is a certificate with the states and transitions
 * it covered.
 */

/** What to explore. */
export interface SearchRequest {
  readonly model: ScenarioModel;
  readonly seed: number;
  readonly variant: Variant;
  readonly params: Readonly<Record<string, number>>;
  /** A safety invariant of the scenario. */
  readonly invariantId: string;
  /** Choices per schedule, at most. */
  readonly depthMax: number;
  /** Crashes and restarts the explorer may add to a schedule. */
  readonly faultsMax: number;
  /** Roles whose nodes may crash; null: every node. */
  readonly faultRoles?: readonly string[] | null;
  /** Distinct states after which the search gives up (a bound on memory and time). */
  readonly statesMax?: number;
  /**
   * Whether a node's next timer may also fire before other nodes' earlier ones (clocks that
   * drift); by default timers fire in their due order.
   */
  readonly isAnyTimer?: boolean;
}

/** How much of the space a search covered. */
export interface SearchCounts {
  /** Distinct states reached, the start included. */
  readonly states: number;
  /** Choices taken (each an edge of the explored graph, new state or not). */
  readonly transitions: number;
  /** Distinct states reached at each depth, from 0. */
  readonly statesPerDepth: readonly number[];
}

/** The invariant's first violation in the found schedule, as the engine reported it. */
export interface FoundViolation {
  readonly timeUs: number;
  /** Events processed when it was found (the replay stops there). */
  readonly event: number;
  readonly message: string;
  readonly nodes: readonly string[];
}

export type SearchResult =
  | ({
      readonly kind: 'violation';
      /** The schedule's length: no schedule one shorter violates the invariant. */
      readonly depth: number;
      readonly steps: readonly Step[];
      /** The schedule as an ordinary run (commands only), which replays to the violation. */
      readonly run: RunDescription;
      readonly violation: FoundViolation;
      /** Events the explored run had processed when the schedule ended (the violation's step). */
      readonly events: number;
      /** The trace hash after those events, for checking a replay. */
      readonly traceHash: string;
    } & SearchCounts)
  | ({
      readonly kind: 'certificate';
      /** Every schedule of up to this many choices was explored without a violation. */
      readonly depth: number;
      /** Whether the whole space ended before the depth bound (no state has a next choice). */
      readonly isExhausted: boolean;
    } & SearchCounts)
  | ({
      readonly kind: 'gave-up';
      /** Depths fully explored without a violation before `statesMax` was reached. */
      readonly depth: number;
    } & SearchCounts);

/** Why a search cannot start. */
export class SearchError extends Error {
  readonly code: 'unknown-invariant' | 'not-safety' | 'bad-request';
  constructor(code: SearchError['code'], message: string) {
    super(message);
    this.name = 'SearchError';
    this.code = code;
  }
}

/** Default cap on distinct states. */
export const defaultStatesMax = 2_000_000;

/** Engine options for explored runs: a small trace window (nothing reads it), room for commands. */
const exploreOptions = {
  ...defaultSimulationOptions,
  traceWindowMax: 16,
  commandLogMax: 100_000,
};

/** One explored state waiting to be expanded. */
interface Frontier {
  readonly checkpoint: Checkpoint;
  readonly faultsLeft: number;
  /** Index into the search's path table. */
  readonly path: number;
}

/** Runs the search. Deterministic: the same request explores the same states in the same order. */
export function search(request: SearchRequest): SearchResult {
  const invariantIndex = request.model.invariants.findIndex(
    (inv) => inv.id === request.invariantId,
  );
  const invariant = request.model.invariants[invariantIndex];
  if (invariant === undefined) {
    const known = request.model.invariants.map((inv) => inv.id).join(', ');
    throw new SearchError(
      'unknown-invariant',
      `${request.model.id} has no invariant "${request.invariantId}"; it has: ${known}.`,
    );
  }
  if (invariant.kind !== 'safety') {
    throw new SearchError(
      'not-safety',
      `"${invariant.id}" is a liveness invariant; the search checks safety invariants only.`,
    );
  }
  const run: RunDescription = {
    scenarioId: request.model.id,
    scenarioVersion: request.model.version,
    seed: request.seed,
    variant: request.variant,
    params: request.params,
    commands: [],
  };
  const sim = new Simulation(request.model, run, exploreOptions);
  takeControl(sim);
  const statesMax = request.statesMax ?? defaultStatesMax;
  const roles = request.faultRoles == null ? null : new Set(request.faultRoles);
  const isViolated = (): boolean => (sim.invariants.results()[invariantIndex]?.violations ?? 0) > 0;

  // Paths as parent links: path i is path parents[i] followed by steps[i].
  const parents: number[] = [-1];
  const steps: (Step | null)[] = [null];
  const seen = new Set<string>([stateKey(sim, invariantIndex, request.faultsMax)]);
  const statesPerDepth = [1];
  let transitions = 0;
  const counts = (): SearchCounts => ({
    states: seen.size,
    transitions,
    statesPerDepth: statesPerDepth.slice(),
  });
  if (isViolated()) {
    // The start itself violates it: the shortest schedule is the empty one.
    return violationResult(sim, [], invariantIndex, counts());
  }
  let frontier: Frontier[] = [
    { checkpoint: sim.checkpoint(), faultsLeft: request.faultsMax, path: 0 },
  ];
  for (let depth = 1; depth <= request.depthMax; depth++) {
    const next: Frontier[] = [];
    const isLast = depth === request.depthMax;
    for (const state of frontier) {
      restoreInto(sim, state.checkpoint);
      const budget: FaultBudget = {
        remaining: state.faultsLeft,
        roles,
        isAnyTimer: request.isAnyTimer === true,
      };
      const choices = choicesAt(sim, budget);
      for (let i = 0; i < choices.length; i++) {
        const choice = choices[i] as Choice;
        if (i > 0) restoreInto(sim, state.checkpoint);
        const step = take(sim, choice);
        transitions++;
        if (isViolated()) {
          return violationResult(
            sim,
            [...pathSteps(parents, steps, state.path), step],
            invariantIndex,
            counts(),
          );
        }
        const faultsLeft = state.faultsLeft - (isFault(choice) ? 1 : 0);
        const key = stateKey(sim, invariantIndex, faultsLeft);
        if (seen.has(key)) continue;
        seen.add(key);
        statesPerDepth[depth] = (statesPerDepth[depth] ?? 0) + 1;
        parents.push(state.path);
        steps.push(step);
        // The last level is never expanded: its states are counted, not kept.
        if (!isLast)
          next.push({ checkpoint: sim.checkpoint(), faultsLeft, path: parents.length - 1 });
        if (seen.size >= statesMax) return { kind: 'gave-up', depth: depth - 1, ...counts() };
      }
    }
    if (next.length === 0 && !isLast) {
      return { kind: 'certificate', depth, isExhausted: true, ...counts() };
    }
    frontier = next;
  }
  return { kind: 'certificate', depth: request.depthMax, isExhausted: false, ...counts() };
}

function pathSteps(
  parents: readonly number[],
  steps: readonly (Step | null)[],
  path: number,
): Step[] {
  const found: Step[] = [];
  for (let at = path; at > 0; at = parents[at] as number) found.push(steps[at] as Step);
  return found.reverse();
}

function violationResult(
  sim: Simulation,
  path: readonly Step[],
  invariantIndex: number,
  counts: SearchCounts,
): SearchResult {
  const first = sim.invariants.results()[invariantIndex]?.firstViolation;
  if (first == null) throw new Error('A violation was counted without a first violation.');
  return {
    kind: 'violation',
    depth: path.length,
    steps: path,
    run: sim.describe(),
    violation: {
      timeUs: first.timeUs,
      event: first.event,
      message: first.message,
      nodes: first.nodes,
    },
    events: sim.eventCount,
    traceHash: sim.traceHash,
    ...counts,
  };
}
