import { cloneData } from './clone.ts';
import type { Invariant, NodeView, Violation, WorldView } from './types.ts';

/** The first violation of an invariant, with where it happened. */
export interface FirstViolation {
  readonly timeUs: number;
  readonly event: number;
  readonly message: string;
  readonly nodes: readonly string[];
}

/** An invariant's standing so far in the run. */
export interface InvariantResult {
  readonly id: string;
  readonly kind: 'safety' | 'liveness';
  readonly description: string;
  /** `pending`: a liveness property is owed and its bound has not passed yet. */
  readonly status: 'ok' | 'pending' | 'violated';
  readonly violations: number;
  readonly firstViolation: FirstViolation | null;
}

interface LivenessWindow {
  /** Since when the property has been owed, or null when it is not owed. */
  owedSinceUs: number | null;
  /** Whether this window already ended (satisfied or reported). */
  isSettled: boolean;
}

interface RunnerState {
  memories: unknown[];
  windows: LivenessWindow[];
  violations: number[];
  first: (FirstViolation | null)[];
  isPending: boolean[];
}

/** A result the runner wants written to the trace. */
export interface InvariantOutcome {
  readonly invariantIndex: number;
  readonly isViolation: boolean;
  readonly violation: Violation;
}

/** Violations counted per invariant before further ones stop being traced individually. */
const tracedViolationsMax = 100;

/**
 * Runs a scenario's invariants: safety checks after every event, liveness checks on the
 * engine's periodic tick once the property is owed (faults healed), within its bound.
 */
export class InvariantRunner {
  private readonly invariants: readonly Invariant[];
  private state: RunnerState;

  constructor(invariants: readonly Invariant[]) {
    this.invariants = invariants;
    this.state = {
      memories: invariants.map((inv) => (inv.kind === 'safety' ? inv.createMemory() : null)),
      windows: invariants.map(() => ({ owedSinceUs: null, isSettled: false })),
      violations: invariants.map(() => 0),
      first: invariants.map(() => null),
      isPending: invariants.map(() => false),
    };
  }

  get hasLiveness(): boolean {
    return this.invariants.some((inv) => inv.kind === 'liveness');
  }

  /** Runs every safety check; returns the violations to trace. */
  checkSafety(
    world: WorldView,
    node: NodeView | undefined,
    event: number,
    outcomes: InvariantOutcome[],
  ): void {
    const { invariants, state } = this;
    for (let i = 0; i < invariants.length; i++) {
      const invariant = invariants[i] as Invariant;
      if (invariant.kind !== 'safety') continue;
      const violation = invariant.check(world, node, state.memories[i]);
      if (violation !== null) this.noteViolation(i, world.nowUs, event, violation, outcomes);
    }
  }

  /**
   * Re-evaluates liveness windows. A window opens when the property becomes owed (or when faults
   * change while it is owed) and closes when it holds, or with a violation once the bound passes.
   */
  checkLiveness(world: WorldView, event: number, outcomes: InvariantOutcome[]): void {
    const { invariants, state } = this;
    for (let i = 0; i < invariants.length; i++) {
      const invariant = invariants[i] as Invariant;
      if (invariant.kind !== 'liveness') continue;
      const window = state.windows[i] as LivenessWindow;
      if (!invariant.isExpected(world)) {
        window.owedSinceUs = null;
        window.isSettled = false;
        state.isPending[i] = false;
        continue;
      }
      const opensAtUs = Math.max(world.lastFaultChangeUs, 0);
      if (window.owedSinceUs === null || window.owedSinceUs < opensAtUs) {
        window.owedSinceUs = window.owedSinceUs === null ? world.nowUs : opensAtUs;
        window.isSettled = false;
      }
      if (window.isSettled) continue;
      if (invariant.holds(world)) {
        window.isSettled = true;
        state.isPending[i] = false;
        outcomes.push({
          invariantIndex: i,
          isViolation: false,
          violation: { message: 'holds', nodes: [] },
        });
        continue;
      }
      const boundUs = invariant.boundUs(world.params);
      if (world.nowUs - window.owedSinceUs > boundUs) {
        window.isSettled = true;
        state.isPending[i] = false;
        const waitedMs = (world.nowUs - window.owedSinceUs) / 1000;
        const violation: Violation = {
          message: `${invariant.description}: not true ${waitedMs} ms after faults healed (bound ${boundUs / 1000} ms)`,
          nodes: [],
        };
        this.noteViolation(i, world.nowUs, event, violation, outcomes);
      } else {
        state.isPending[i] = true;
      }
    }
  }

  private noteViolation(
    index: number,
    timeUs: number,
    event: number,
    violation: Violation,
    outcomes: InvariantOutcome[],
  ): void {
    const state = this.state;
    const count = (state.violations[index] ?? 0) + 1;
    state.violations[index] = count;
    if (state.first[index] === null) {
      state.first[index] = {
        timeUs,
        event,
        message: violation.message,
        nodes: [...violation.nodes],
      };
    }
    if (count <= tracedViolationsMax) {
      outcomes.push({ invariantIndex: index, isViolation: true, violation });
    }
  }

  /** Each invariant's standing. */
  results(): InvariantResult[] {
    return this.invariants.map((invariant, i) => {
      const violations = this.state.violations[i] ?? 0;
      const status =
        violations > 0 ? 'violated' : this.state.isPending[i] === true ? 'pending' : 'ok';
      return {
        id: invariant.id,
        kind: invariant.kind,
        description: invariant.description,
        status,
        violations,
        firstViolation: this.state.first[i] ?? null,
      };
    });
  }

  /** Whether any safety invariant has been violated. */
  get hasSafetyViolation(): boolean {
    return this.invariants.some(
      (inv, i) => inv.kind === 'safety' && (this.state.violations[i] ?? 0) > 0,
    );
  }

  snapshot(): RunnerState {
    return cloneData(this.state);
  }

  restore(snapshot: RunnerState): void {
    this.state = cloneData(snapshot);
  }
}

export type InvariantRunnerSnapshot = ReturnType<InvariantRunner['snapshot']>;
