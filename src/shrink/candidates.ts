import type { RunDescription } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import { type Entry, assemble, candidateKey } from './entries.ts';
import { type TargetViolation, violationOf } from './target.ts';
import type { TimingProbe } from './timing.ts';

/** What one candidate run came to: its first violation of the target, and how far it ran. */
interface Outcome {
  readonly violation: TargetViolation | null;
  /** Without a violation: the simulated time the run reached without one. */
  readonly ranToUs: number;
}

/**
 * Runs candidates of one search (the same scenario, base run, duration and target), each at most
 * once: a run that violated answers for every deadline after it; one that did not, for every
 * deadline up to where it ran. `S` is what the search yields before each real run.
 */
export class CandidateRunner<S> {
  private readonly outcomes = new Map<string, Outcome>();

  constructor(
    private readonly scenario: Scenario,
    private readonly base: RunDescription,
    private readonly durationUs: number,
    private readonly invariantId: string,
    /** What to yield before a run (progress); the driver may stop the search there. */
    private readonly beforeRun: () => S,
    /** Told about every run made, after it. */
    private readonly afterRun: (entries: readonly Entry[], isFailing: boolean) => void,
  ) {}

  /** The first violation of the target by `byUs` (default: the whole duration), or null. */
  *violation(
    entries: readonly Entry[],
    byUs: number = this.durationUs,
  ): Generator<S, TargetViolation | null> {
    const key = candidateKey(entries, 0);
    const known = this.outcomes.get(key);
    if (known !== undefined) {
      if (known.violation !== null) return known.violation.timeUs <= byUs ? known.violation : null;
      if (known.ranToUs >= byUs) return null;
    }
    yield this.beforeRun();
    const violation = violationOf(
      this.scenario,
      assemble(this.base, entries),
      byUs,
      this.invariantId,
    );
    this.outcomes.set(key, { violation, ranToUs: byUs });
    this.afterRun(entries, violation !== null);
    return violation;
  }

  /** Whether the run of `entries` violates the target within the whole duration. */
  *fails(entries: readonly Entry[]): Generator<S, boolean> {
    return (yield* this.violation(entries)) !== null;
  }

  /** The timing passes' view: when a failing run fails, and whether a candidate fails by then. */
  probe(): TimingProbe<S> {
    const violation = (entries: readonly Entry[], byUs?: number) => this.violation(entries, byUs);
    return {
      *violationUs(entries) {
        const found = yield* violation(entries);
        if (found === null) throw new Error('A run the search kept no longer fails.');
        return found.timeUs;
      },
      *failsBy(entries, byUs) {
        return (yield* violation(entries, byUs)) !== null;
      },
    };
  }
}
