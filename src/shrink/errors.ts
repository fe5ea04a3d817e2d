import type { RunDescription } from '../engine/types.ts';

export type ShrinkErrorCode =
  | 'bad-run'
  | 'unknown-scenario'
  | 'unknown-invariant'
  | 'not-safety'
  | 'no-violation'
  | 'cancelled'
  | 'replay-mismatch';

/** Why shrinking could not start or did not finish, in words a person can act on. */
export class ShrinkError extends Error {
  readonly code: ShrinkErrorCode;
  constructor(code: ShrinkErrorCode, message: string) {
    super(message);
    this.name = 'ShrinkError';
    this.code = code;
  }
}

/** The search was stopped; it says how far it got and the smallest failing run it had found. */
export class ShrinkCancelledError extends ShrinkError {
  readonly runs: number;
  readonly smallest: RunDescription;
  constructor(runs: number, smallest: RunDescription) {
    super('cancelled', `Shrinking was cancelled after ${runs} runs.`);
    this.name = 'ShrinkCancelledError';
    this.runs = runs;
    this.smallest = smallest;
  }
}
