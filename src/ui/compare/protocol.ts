import type { InvariantResult } from '../../engine/invariants.ts';
import type { Command, RecordedCommand, RunDescription } from '../../engine/types.ts';
import type { RunRequest, ScenarioMeta, TopologyMeta } from '../../worker/protocol.ts';
import type { Series } from '../state/store.ts';

/*
 * The messages between the compare page and its two sides. Each side is a full DistSim page in
 * an iframe (same origin) with its own worker and store; the compare page drives both with
 * `postMessage`. Only plain data crosses, so structured cloning is enough.
 */

/** The two sides of a comparison: `a` is the run opened from, `b` what it is compared with. */
export type SideName = 'a' | 'b';

/** Both side names, in display order. */
export const sideNames: readonly SideName[] = ['a', 'b'];

/** The other side. */
export function otherSide(side: SideName): SideName {
  return side === 'a' ? 'b' : 'a';
}

/** What the compare page needs to know about a side's loaded run. */
export interface SideInfo {
  readonly meta: ScenarioMeta;
  readonly topology: TopologyMeta;
  readonly run: RunDescription;
}

/** New metric samples: drop everything after `afterUs`, then append `samples`. */
export interface SeriesDelta {
  /** Samples at or before this time are unchanged; -1 means "start over". */
  readonly afterUs: number;
  readonly samples: Readonly<Record<string, Series>>;
}

/** Requests from the compare page to a side. Those with a `requestId` get one `done`. */
export type ToSide =
  /** Advance to exactly `timeUs` (forward only). */
  | { readonly type: 'step-until'; readonly requestId: number; readonly timeUs: number }
  /** Move to exactly `timeUs`, back or forward. */
  | { readonly type: 'seek'; readonly requestId: number; readonly timeUs: number }
  /** Apply the other side's command at the time it took effect there. */
  | {
      readonly type: 'mirror';
      readonly requestId: number;
      readonly command: Command;
      readonly atUs: number;
    }
  /** Load a run, keeping only the commands that fit its topology. */
  | {
      readonly type: 'load';
      readonly requestId: number;
      readonly run: RunRequest;
      readonly positionUs: number;
    };

/** Messages from a side to the compare page. */
export type FromSide =
  /** The side's bridge is running (sent once, before anything else). */
  | { readonly type: 'hello' }
  | { readonly type: 'loaded'; readonly info: SideInfo }
  | {
      readonly type: 'frame';
      readonly timeUs: number;
      readonly frontierUs: number;
      readonly traceHash: string;
      readonly invariants: readonly InvariantResult[];
    }
  | { readonly type: 'series'; readonly delta: SeriesDelta }
  /** The side's command log changed. */
  | { readonly type: 'log'; readonly commands: readonly RecordedCommand[] }
  /** The side's share link payload changed (its run or position). */
  | { readonly type: 'link'; readonly payload: string }
  /** A command the person gave on this side (not one mirrored into it). */
  | { readonly type: 'user-command'; readonly recorded: RecordedCommand }
  | { readonly type: 'notice'; readonly tone: 'info' | 'warning' | 'error'; readonly text: string }
  /** The side cannot go on (its worker stopped, or no run could be loaded). */
  | { readonly type: 'failed'; readonly message: string }
  | {
      readonly type: 'done';
      readonly requestId: number;
      readonly isOk: boolean;
      readonly message: string;
    };

/** The tag every compare message carries, so unrelated `postMessage` traffic is ignored. */
export const compareChannel = 'distsim-compare';

/** A message as it travels: tagged with the channel and the side it is for or from. */
export interface Envelope<T> {
  readonly channel: typeof compareChannel;
  readonly side: SideName;
  readonly message: T;
}

/** Wraps a message for `postMessage`. */
export function envelope<T>(side: SideName, message: T): Envelope<T> {
  return { channel: compareChannel, side, message };
}

/** The envelope in `data`, or null when `data` is not a compare message. */
export function openEnvelope(data: unknown): Envelope<unknown> | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  if (record.channel !== compareChannel) return null;
  if (record.side !== 'a' && record.side !== 'b') return null;
  if (typeof record.message !== 'object' || record.message === null) return null;
  return { channel: compareChannel, side: record.side, message: record.message };
}
