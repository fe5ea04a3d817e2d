import type { RunDescription } from '../engine/types.ts';
import type { RunRequest } from '../worker/protocol.ts';
import type { ScenarioCatalogue } from '../worker/runs.ts';
import { CandidateRunner } from './candidates.ts';
import { checkOriginal, checkShareLink, describeInput } from './checks.ts';
import { ddmin } from './ddmin.ts';
import { type Entry, assemble, candidateKey, splitRun, withoutEventCounts } from './entries.ts';
import { ShrinkCancelledError, ShrinkError } from './errors.ts';
import { type TargetViolation, firstViolation } from './target.ts';
import { type TimingStep, endSooner, moveLater } from './timing.ts';

export { ShrinkCancelledError, ShrinkError, type ShrinkErrorCode } from './errors.ts';

/*
 * Shrinking a failing run: from a run that violates a safety invariant, the smallest run that
 * still violates the same invariant, found by delta debugging over its commands and parameter
 * changes, then by moving what is left as late and making its faults as short as still fails,
 * and cutting the run just past the violation. Pure and deterministic: the same input gives the
 * same runs in the same order and the same result, whoever drives it.
 */

/** What to shrink. */
export interface ShrinkInput {
  /** The failing run, checked the way the host checks a run it loads. */
  readonly run: RunRequest;
  /** How long the original run is played (simulated µs). */
  readonly durationUs: number;
  /**
   * The safety invariant that must keep failing. Left out: the one the run violates first.
   */
  readonly invariantId?: string;
}

/** Where the search stands, reported before every run. */
export interface ShrinkProgress {
  readonly phase: 'checking' | 'removing' | 'moving' | 'shortening' | 'verifying';
  /** Runs done so far. */
  readonly runs: number;
  /** Entries (commands and parameter changes) in the smallest failing run so far. */
  readonly size: number;
}

/** One thing the search did that changed the run, in order, for a report. */
export type ShrinkStep =
  | {
      /** Commands recorded with event counts now apply by time, and the run still fails. */
      readonly kind: 'event-counts-dropped';
    }
  | {
      /** Commands after the first violation were dropped (they cannot have caused it). */
      readonly kind: 'after-violation-dropped';
      readonly count: number;
    }
  | {
      /** The run fails without any command or parameter change. */
      readonly kind: 'nothing-needed';
    }
  | {
      /** One round of delta debugging. */
      readonly kind: 'removed';
      readonly fromSize: number;
      readonly toSize: number;
      readonly runs: number;
    }
  | TimingStep
  | {
      readonly kind: 'duration-cut';
      readonly fromUs: number;
      readonly toUs: number;
    };

/** A run with how long it is played and where it first violates the target. */
export interface ShrunkRun {
  readonly run: RunDescription;
  readonly durationUs: number;
  readonly violation: TargetViolation;
}

export interface ShrinkResult {
  readonly invariant: { readonly id: string; readonly description: string };
  readonly original: ShrunkRun;
  /** 1-minimal: without any one of its commands or parameter changes it no longer fails. */
  readonly minimal: ShrunkRun;
  /** Simulation runs the search took, the checks of the original and the result included. */
  readonly runs: number;
  readonly steps: readonly ShrinkStep[];
}

/**
 * Rounds of "remove, then retime": retiming can make an entry unnecessary, so removal runs again
 * after it; the last round only removes, so the result is always 1-minimal.
 */
const timingRoundsMax = 3;

/** The search as a state machine: `steps()` yields before every run. */
class Shrinker {
  runs = 0;
  private size = 0;
  private phase: ShrinkProgress['phase'] = 'checking';
  private smallestEntries: readonly Entry[] = [];
  private base: RunDescription | null = null;

  constructor(
    private readonly catalogue: ScenarioCatalogue,
    private readonly input: ShrinkInput,
  ) {}

  /** The smallest failing run found so far (the original until something smaller fails). */
  smallest(): RunDescription {
    if (this.base === null) return describeInput(this.catalogue, this.input.run).run;
    return assemble(this.base, this.smallestEntries);
  }

  private progress(): ShrinkProgress {
    return { phase: this.phase, runs: this.runs, size: this.size };
  }

  /** Counts a run and keeps the smallest failing set seen (what a cancel hands back). */
  private ran(entries: readonly Entry[], isFailing: boolean): void {
    this.runs++;
    if (isFailing && entries.length <= this.smallestEntries.length) {
      this.smallestEntries = entries;
      this.size = entries.length;
    }
  }

  *steps(): Generator<ShrinkProgress, ShrinkResult> {
    const { scenario, run } = describeInput(this.catalogue, this.input.run);
    const { durationUs } = this.input;
    if (!(Number.isFinite(durationUs) && durationUs > 0))
      throw new ShrinkError('bad-run', `The duration must be above 0 µs, got ${durationUs}.`);
    const split = splitRun(scenario, run);
    this.size = split.entries.length;
    yield this.progress();
    const { invariant, violation } = checkOriginal(
      scenario,
      run,
      durationUs,
      this.input.invariantId,
    );
    this.runs++;
    const base = split.base;
    this.base = base;
    const runner = new CandidateRunner(
      scenario,
      base,
      durationUs,
      invariant.id,
      () => this.progress(),
      (entries, isFailing) => {
        this.ran(entries, isFailing);
      },
    );
    const steps: ShrinkStep[] = [];
    let entries: Entry[] = split.entries.slice();
    this.smallestEntries = entries;
    const byTime = withoutEventCounts(entries);
    if (candidateKey(byTime, 0) !== candidateKey(entries, 0) && (yield* runner.fails(byTime))) {
      entries = byTime;
      steps.push({ kind: 'event-counts-dropped' });
    }
    if (yield* runner.fails([])) {
      entries = [];
      steps.push({ kind: 'nothing-needed' });
    }
    const beforeViolation = entries.filter(
      (entry) => entry.kind === 'param' || entry.record.atUs <= violation.timeUs,
    );
    if (beforeViolation.length < entries.length && (yield* runner.fails(beforeViolation))) {
      steps.push({
        kind: 'after-violation-dropped',
        count: entries.length - beforeViolation.length,
      });
      entries = beforeViolation;
    }
    entries = yield* this.minimise(entries, runner, steps);

    this.phase = 'verifying';
    const minimalRun = assemble(base, entries);
    yield this.progress();
    const minimalViolation = firstViolation(scenario, minimalRun, durationUs, invariant.id);
    this.runs++;
    if (minimalViolation === null) throw new Error('The shrunk run no longer fails.');
    const cutUs = Math.min(durationUs, (Math.floor(minimalViolation.timeUs / 1000) + 1) * 1000);
    if (cutUs < durationUs) steps.push({ kind: 'duration-cut', fromUs: durationUs, toUs: cutUs });
    yield this.progress();
    checkShareLink(this.catalogue, minimalRun, cutUs, invariant.id, minimalViolation);
    this.runs++;
    return {
      invariant: { id: invariant.id, description: invariant.description },
      original: { run, durationUs, violation },
      minimal: { run: minimalRun, durationUs: cutUs, violation: minimalViolation },
      runs: this.runs,
      steps,
    };
  }

  /** Delta debugging, then retiming, in rounds until retiming changes nothing. */
  private *minimise(
    start: Entry[],
    runner: CandidateRunner<ShrinkProgress>,
    steps: ShrinkStep[],
  ): Generator<ShrinkProgress, Entry[]> {
    const fails = (entries: readonly Entry[]) => runner.fails(entries);
    let entries = start;
    for (let round = 1; entries.length > 0; round++) {
      this.phase = 'removing';
      const fromSize = entries.length;
      const runsBefore = this.runs;
      entries = yield* ddmin(entries, fails);
      if (entries.length < fromSize) {
        steps.push({
          kind: 'removed',
          fromSize,
          toSize: entries.length,
          runs: this.runs - runsBefore,
        });
      }
      if (round > timingRoundsMax) break;
      this.phase = 'moving';
      const later = yield* moveLater(entries, runner.probe());
      this.phase = 'shortening';
      const sooner = yield* endSooner(later.entries, runner.probe());
      steps.push(...later.steps, ...sooner.steps);
      entries = sooner.entries;
      if (later.steps.length + sooner.steps.length === 0) break;
      // Retimed: still 1-minimal unless some single entry has become unnecessary.
      this.phase = 'removing';
      let isMinimal = true;
      for (const entry of entries) {
        if (yield* fails(entries.filter((each) => each !== entry))) {
          isMinimal = false;
          break;
        }
      }
      if (isMinimal) break;
    }
    return entries;
  }
}

/** How a shrink is watched and stopped. */
export interface ShrinkOptions {
  /** Called before every run with where the search stands. */
  readonly onProgress?: (progress: ShrinkProgress) => void;
  /** Checked before every run; an aborted signal stops the search. */
  readonly signal?: AbortSignal;
  /** Checked before every run; true stops the search. */
  readonly isCancelled?: () => boolean;
}

function isStopped(options: ShrinkOptions): boolean {
  return options.signal?.aborted === true || options.isCancelled?.() === true;
}

/**
 * Shrinks `input` in this thread. Throws a ShrinkError when it cannot (no such invariant, no
 * violation to shrink) and a ShrinkCancelledError when stopped.
 */
export function shrink(
  catalogue: ScenarioCatalogue,
  input: ShrinkInput,
  options: ShrinkOptions = {},
): ShrinkResult {
  const shrinker = new Shrinker(catalogue, input);
  const search = shrinker.steps();
  for (let next = search.next(); ; next = search.next()) {
    if (next.done === true) return next.value;
    if (isStopped(options)) throw new ShrinkCancelledError(shrinker.runs, shrinker.smallest());
    options.onProgress?.(next.value);
  }
}

/**
 * `shrink` that awaits `pause` between runs (by default a macrotask), so a worker can receive a
 * cancel message while it shrinks.
 */
export async function shrinkAsync(
  catalogue: ScenarioCatalogue,
  input: ShrinkInput,
  options: ShrinkOptions & { readonly pause?: () => Promise<void> } = {},
): Promise<ShrinkResult> {
  const pause =
    options.pause ??
    (() =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, 0);
      }));
  const shrinker = new Shrinker(catalogue, input);
  const search = shrinker.steps();
  for (let next = search.next(); ; next = search.next()) {
    if (next.done === true) return next.value;
    await pause();
    if (isStopped(options)) throw new ShrinkCancelledError(shrinker.runs, shrinker.smallest());
    options.onProgress?.(next.value);
  }
}
