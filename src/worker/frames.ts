import type { Simulation } from '../engine/simulation.ts';
import {
  type Frame,
  inFlightStride,
  type LinkSettingFrame,
  metricSampleStride,
} from './protocol.ts';

/** Messages drawn per frame at most. */
export const inFlightMax = 5_000;
/** Trace events sent per frame at most: the page keeps 5,000 rows, so more would be unpacked for nothing. */
export const traceEventsPerFrameMax = 5_000;

/** Where the previous frame left off. */
export interface FrameCursor {
  readonly seq: number;
  /** Index of the first trace event not yet sent. */
  readonly traceSent: number;
}

/** Builds one frame from the simulation's current state; bulk parts are packed typed arrays. */
export function buildFrame(
  sim: Simulation,
  cursor: FrameCursor,
  isPlaying: boolean,
  speed: number,
  extras: Pick<Frame, 'tour' | 'violationStop' | 'frontierUs' | 'moments' | 'instrument'>,
): { frame: Frame; cursor: FrameCursor } {
  const messages = sim.messagesInFlight(inFlightMax);
  const inFlight = new Float64Array(messages.length * inFlightStride);
  messages.forEach((message, i) => {
    const at = i * inFlightStride;
    inFlight[at] = message.id;
    inFlight[at + 1] = message.from;
    inFlight[at + 2] = message.to;
    inFlight[at + 3] = message.sentUs;
    inFlight[at + 4] = message.dueUs;
  });
  const samples = sim.metrics.drain();
  const metricSamples = new Float64Array(samples.length * metricSampleStride);
  samples.forEach((sample, i) => {
    const at = i * metricSampleStride;
    metricSamples[at] = sample.metric;
    metricSamples[at + 1] = sample.timeUs;
    metricSamples[at + 2] = sample.value;
  });
  const trace = sim.trace.pack(cursor.traceSent, traceEventsPerFrameMax);
  const cut: number[] = [];
  const n = sim.nodeList.length;
  if (sim.hasActiveFaults) {
    for (let pair = 0; pair < n * n; pair++) {
      if (sim.blocked[pair] !== 0 || sim.links[pair]?.isHeld === true)
        cut.push(Math.floor(pair / n), pair % n);
    }
  }
  const frame: Frame = {
    seq: cursor.seq + 1,
    timeUs: sim.nowUs,
    eventCount: sim.eventCount,
    traceHash: sim.traceHash,
    isPlaying,
    speed,
    nodes: sim.nodes.map((node) => ({
      status: node.status,
      label: node.summary.label,
      badge: node.summary.badge,
      health: node.summary.health,
    })),
    inFlight,
    inFlightTypes: messages.map((message) => message.type),
    trace,
    traceTotal: sim.trace.count,
    metricSamples,
    invariants: sim.invariantResults(),
    commandCount: sim.commands.length,
    commandsApplied: sim.appliedCommandCount,
    cutLinks: Int32Array.from(cut),
    usualLink: sim.setup.topology.linkConfig,
    linkSettings: linkSettings(sim),
    ...extras,
  };
  return { frame, cursor: { seq: frame.seq, traceSent: sim.trace.count } };
}

/**
 * The links whose settings differ from the topology's default link, now or from the start. The
 * scan is skipped when the topology sets no link apart and no fault is active (then every link
 * is the default), so a large full mesh costs nothing per frame while it is left alone.
 */
function linkSettings(sim: Simulation): LinkSettingFrame[] {
  const usual = sim.setup.topology.linkConfig;
  const hasOverrides = (sim.setup.topology.linkOverrides ?? []).length > 0;
  if (!hasOverrides && !sim.hasActiveFaults) return [];
  const n = sim.nodeList.length;
  const settings: LinkSettingFrame[] = [];
  sim.links.forEach((link, pair) => {
    const base = sim.setup.baseLinkConfig(pair);
    if (!link.exists || base === null || link.config === usual) return;
    settings.push({
      from: Math.floor(pair / n),
      to: pair % n,
      config: link.config,
      changedFrom: link.config === base ? null : base,
    });
  });
  return settings;
}
