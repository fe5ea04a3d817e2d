import { SimError } from '../engine/errors.ts';
import { Simulation, defaultSimulationOptions } from '../engine/simulation.ts';
import type { TraceEvent } from '../engine/trace.ts';
import type { RunDescription } from '../engine/types.ts';
import type { Scenario } from '../scenarios/define.ts';
import { type RunFile, makeRunFile } from './runFile.ts';

/*
 * Exports of a run: its run file, and its trace as JSON lines. Both describe the run played to
 * a time `untilUs` the way a load, a seek or the CLI plays it (every event up to and including
 * that microsecond), so the figures in them are what a replay of the run file reproduces.
 */

/** Trace events listed in one export; the hash in the last line still covers them all. */
export const traceLinesEventsMax = 1_000_000;
/** Lines joined into one chunk (a chunk is one string, so a long trace is not one huge one). */
export const traceLinesPerChunk = 10_000;

/** Events a trace replay runs between two reads of the trace window. */
const replayBatchEvents = 1_000;
/** The replay's trace window: far more than one batch of events can record. */
const replayTraceWindowMax = 65_536;

/** The first line of a trace export. */
export interface TraceHeaderLine {
  readonly format: 'distsim-trace';
  readonly version: 1;
  readonly run: RunDescription;
  readonly untilUs: number;
}

/** The last line of a trace export: how many events there were and the run's fingerprint. */
export interface TraceEndLine {
  readonly end: true;
  /** Trace events the run recorded up to `untilUs`. */
  readonly events: number;
  /** Event lines in the export (fewer than `events` when truncated). */
  readonly listed: number;
  readonly isTruncated: boolean;
  readonly traceHash: string;
  readonly note?: string;
}

/** One event line: the engine's trace event with node ids instead of indexes. */
export interface TraceEventLine {
  readonly index: number;
  readonly timeUs: number;
  readonly type: TraceEvent['type'];
  readonly node: string | null;
  readonly peer: string | null;
  readonly messageId: number | null;
  readonly label: string;
  readonly value: number;
}

/**
 * The run file of a run at its current time. A run stepped one event at a time can stand in the
 * middle of a microsecond; the file describes the run at the end of that microsecond (what
 * replaying to `untilUs` gives), so the summary comes from a copy that finishes it.
 */
export function runFileOf(scenario: Scenario, sim: Simulation): RunFile {
  const settled = Simulation.fromCheckpoint(scenario, sim.checkpoint());
  settled.runUntil(sim.nowUs);
  return makeRunFile(sim.describe(), sim.nowUs, {
    eventCount: settled.eventCount,
    traceHash: settled.traceHash,
    metrics: settled.metricFinals(),
    invariants: settled.invariantResults(),
  });
}

/**
 * Replays `run` from the start to `untilUs` and yields its trace as JSON lines, in chunks of
 * `traceLinesPerChunk` lines: a header line, one line per event (at most `eventsMax`), and an
 * end line with the event count and trace hash. Past `eventsMax` the replay still runs to the
 * end, so the end line's count and hash cover the whole run, and says that the list is cut.
 */
export function* traceJsonLines(
  scenario: Scenario,
  run: RunDescription,
  untilUs: number,
  eventsMax = traceLinesEventsMax,
): Generator<string, TraceEndLine> {
  const sim = new Simulation(scenario, run, {
    ...defaultSimulationOptions,
    traceWindowMax: replayTraceWindowMax,
  });
  const header: TraceHeaderLine = { format: 'distsim-trace', version: 1, run, untilUs };
  let lines: string[] = [JSON.stringify(header)];
  let listed = 0;
  let read = 0;
  for (;;) {
    const done = sim.runUntil(untilUs, replayBatchEvents);
    if (listed < eventsMax && sim.traceCount - read > replayTraceWindowMax) {
      throw new SimError('limit-exceeded', 'One step of the run traced too many events to list.');
    }
    for (const event of listed < eventsMax ? sim.traceEvents(read) : []) {
      if (listed >= eventsMax) break;
      lines.push(JSON.stringify(eventLine(sim, event)));
      listed++;
      if (lines.length >= traceLinesPerChunk) {
        yield `${lines.join('\n')}\n`;
        lines = [];
      }
    }
    read = sim.traceCount;
    if (done < replayBatchEvents) break;
  }
  const isTruncated = listed < sim.traceCount;
  const end: TraceEndLine = {
    end: true,
    events: sim.traceCount,
    listed,
    isTruncated,
    traceHash: sim.traceHash,
    ...(isTruncated
      ? { note: `Only the first ${listed} events are listed; the hash covers all of them.` }
      : {}),
  };
  lines.push(JSON.stringify(end));
  yield `${lines.join('\n')}\n`;
  return end;
}

function eventLine(sim: Simulation, event: TraceEvent): TraceEventLine {
  return {
    index: event.index,
    timeUs: event.timeUs,
    type: event.type,
    node: sim.nodeList[event.node]?.id ?? null,
    peer: sim.nodeList[event.peer]?.id ?? null,
    messageId: event.messageId < 0 ? null : event.messageId,
    label: event.label,
    value: event.value,
  };
}
