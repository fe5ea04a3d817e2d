import { type LatencySpec, type LinkConfig, meanLatencyUs } from '../../engine/network.ts';
import type { Frame } from '../../worker/protocol.ts';
import { latencyText, msText, percentText, trimmedNumber } from '../../worker/commandText.ts';

/**
 * What a link does now, in words, for the link inspector: its settings as the frame has them
 * (the usual link, or the one configured apart or changed by a command) and whether a partition
 * cuts it, a hold stalls it or a change slowed it. Pure functions, so the wording is tested
 * without a page.
 */

/** A link's settings now, and what they were at the start when a command has changed them. */
export interface LinkSettingsNow {
  readonly config: LinkConfig;
  readonly changedFrom: LinkConfig | null;
}

/** The settings of the directed link `from → to` in `frame`. */
export function linkSettingsIn(
  frame: Pick<Frame, 'usualLink' | 'linkSettings'>,
  from: number,
  to: number,
): LinkSettingsNow {
  const listed = frame.linkSettings.find((each) => each.from === from && each.to === to);
  return listed ?? { config: frame.usualLink, changedFrom: null };
}

/** Whether `from → to` is among a frame's cut links (cut by a partition, or held). */
export function isLinkCut(cutLinks: Int32Array, from: number, to: number): boolean {
  for (let i = 0; i + 1 < cutLinks.length; i += 2) {
    if (cutLinks[i] === from && cutLinks[i + 1] === to) return true;
  }
  return false;
}

/**
 * A latency as a person would say it: a uniform spread as its middle ± half its width, the way
 * the form's Latency and Jitter ± fields make it ("20 ms ± 5 ms"); other shapes as the command
 * log words them ("≈10 ms (sd 2 ms, at least 1 ms)").
 */
export function latencySaid(spec: LatencySpec): string {
  if (spec.kind !== 'uniform' || spec.minUs === spec.maxUs) return latencyText(spec);
  const middle = msText((spec.minUs + spec.maxUs) / 2);
  const half = msText((spec.maxUs - spec.minUs) / 2);
  const tail = spec.slowTail;
  const tailText =
    tail === undefined
      ? ''
      : `, ${percentText(tail.probability)} of them ×${trimmedNumber(tail.factor)}`;
  return `${middle} ± ${half}${tailText}`;
}

/** One line of the read-out: a name and its value. */
export interface ReadoutRow {
  readonly name: string;
  readonly value: string;
}

export interface LinkReadout {
  readonly rows: readonly ReadoutRow[];
  /** What is out of the ordinary, one sentence each; empty when the link is as it started. */
  readonly notes: readonly string[];
}

/** Whether the link is stopped: `isCut` from the frame, `isHeld` from the command log. */
export interface LinkStops {
  readonly isCut: boolean;
  readonly isHeld: boolean;
}

/** The read-out of a link's settings now and what stops it. */
export function linkReadout(settings: LinkSettingsNow, stops: LinkStops): LinkReadout {
  const { config, changedFrom } = settings;
  const rows: ReadoutRow[] = [
    { name: 'Latency', value: latencySaid(config.latency) },
    { name: 'Loss', value: percentText(config.lossProbability) },
    { name: 'Duplicates', value: percentText(config.duplicateProbability) },
  ];
  if (config.bandwidthBytesPerMs !== undefined) {
    rows.push({
      name: 'Bandwidth',
      value: `${trimmedNumber(config.bandwidthBytesPerMs)} bytes per ms`,
    });
  }
  const notes: string[] = [];
  // The frame's cut links include held ones; a hold is in the command log, so the rest is cut.
  if (stops.isHeld) notes.push('Held: its messages wait, in order, until it is released.');
  else if (stops.isCut) notes.push('Cut by a partition: every message on it is dropped.');
  if (changedFrom !== null) notes.push(changeNote(config, changedFrom));
  return { rows, notes };
}

/** "Slowed by a fault: usually 1 ms ± 0.2 ms, loss 0%, duplicates 0%. Heal network restores it." */
function changeNote(config: LinkConfig, usual: LinkConfig): string {
  const isSlower = meanLatencyUs(config.latency) > meanLatencyUs(usual.latency);
  const isLossier =
    config.lossProbability > usual.lossProbability ||
    config.duplicateProbability > usual.duplicateProbability;
  const how = isSlower ? 'Slowed by a fault' : isLossier ? 'Degraded by a fault' : 'Changed';
  const was =
    `usually ${latencySaid(usual.latency)}, loss ${percentText(usual.lossProbability)}, ` +
    `duplicates ${percentText(usual.duplicateProbability)}`;
  return `${how}: ${was}. Heal network restores it.`;
}
