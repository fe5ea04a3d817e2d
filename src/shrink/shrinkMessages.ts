import type { RunDescription } from '../engine/types.ts';
import type { ShrinkInput, ShrinkProgress, ShrinkResult } from './shrink.ts';

/*
 * The page <-> shrink worker messages. The page starts one search per worker and may ask it to
 * stop; the worker stops before its next run and says how far it got.
 */

export type ShrinkRequestMessage =
  { readonly type: 'start'; readonly input: ShrinkInput } | { readonly type: 'cancel' };

export type ShrinkReplyMessage =
  | { readonly type: 'progress'; readonly progress: ShrinkProgress }
  | { readonly type: 'done'; readonly result: ShrinkResult }
  /** Stopped on request: the runs done and the smallest failing run found so far. */
  | { readonly type: 'cancelled'; readonly runs: number; readonly smallest: RunDescription }
  /** A refusal (no violation, not a safety invariant, …) or an unexpected failure, in words. */
  | { readonly type: 'failed'; readonly message: string };
