import type { InevitableInput, InevitableProgress, InevitableResult } from './inevitable.ts';

/*
 * The page <-> inevitability worker messages, as the shrink worker's: one measurement per worker,
 * which the page may ask to stop; the worker stops before its next run and says how far it got.
 */

export type InevitableRequestMessage =
  { readonly type: 'start'; readonly input: InevitableInput } | { readonly type: 'cancel' };

export type InevitableReplyMessage =
  | { readonly type: 'progress'; readonly progress: InevitableProgress }
  | { readonly type: 'done'; readonly result: InevitableResult }
  /** Stopped on request: the runs done and the points measured until then. */
  | { readonly type: 'cancelled'; readonly progress: InevitableProgress }
  /** A refusal (no violation, not a safety invariant, …) or an unexpected failure, in words. */
  | { readonly type: 'failed'; readonly message: string };
