import type { CheckOptions } from '../consistency/check.ts';
import type { Operation } from '../consistency/history.ts';
import type { ModelName } from '../consistency/verdict.ts';
import type { InvariantResult } from '../engine/invariants.ts';
import type { MetricFinal } from '../engine/metrics.ts';
import type { LinkConfig } from '../engine/network.ts';
import type { PackedTrace } from '../engine/trace.ts';
import type {
  Command,
  LayoutHint,
  MetricSpec,
  Moment,
  MomentSpec,
  NodeStatus,
  ParamSpec,
  RecordedCommand,
  RunDescription,
  ScenarioFaultSpec,
  Variant,
} from '../engine/types.ts';
import type { InstrumentReading } from '../scenarios/define.ts';
import type { OperationTrail } from './operationTrails.ts';
import type { RunFile } from './runFile.ts';

/**
 * The worker protocol: types only, shared by the page and the worker. Bump the version on any
 * change that an old page could misread.
 */
export const protocolVersion = 1;

/** What the page asks of a run that has not been checked yet (from a URL, a file, a form). */
export interface RunRequest {
  readonly scenarioId: string;
  readonly seed: number;
  readonly variant: Variant;
  readonly params: Readonly<Record<string, number>>;
  readonly commands: readonly RecordedCommand[];
  /** Optional scenario version the request was recorded against. */
  readonly scenarioVersion?: number;
}

/** How `step` advances the run. */
export type StepMode =
  | { readonly kind: 'events'; readonly count: number }
  | { readonly kind: 'until'; readonly timeUs: number }
  /** To the next event a person would care about (a state change, a drop, a crash…). */
  | { readonly kind: 'interesting' };

/** Requests to the worker. Those with a `requestId` get exactly one `reply` or `error`. */
export type ToWorker =
  | {
      readonly type: 'load';
      readonly requestId: number;
      readonly run: RunRequest;
      readonly positionUs?: number;
    }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'speed'; readonly speed: number }
  | { readonly type: 'step'; readonly requestId: number; readonly mode: StepMode }
  | { readonly type: 'seek'; readonly requestId: number; readonly timeUs: number }
  | { readonly type: 'command'; readonly requestId: number; readonly command: Command }
  | { readonly type: 'removeCommand'; readonly requestId: number; readonly index: number }
  /** The run file of the run at its current time (replies `run` with `file`). */
  | { readonly type: 'export'; readonly requestId: number }
  /**
   * The trace from the start to the current time as JSON lines: the host pauses and replays the
   * run (the live run keeps only a window of recent events). Replies `trace`.
   */
  | { readonly type: 'exportTrace'; readonly requestId: number }
  /** The scenarios this build has, for the picker. */
  | { readonly type: 'catalogue'; readonly requestId: number }
  /**
   * Opens a share link; when it cannot be used, loads `fallback` instead and says why in the
   * `ready` message's notices.
   */
  | {
      readonly type: 'openLink';
      readonly requestId: number;
      readonly link: string;
      readonly fallback: RunRequest;
    }
  /**
   * Enters tour step `stepIndex` (null leaves the tour): applies the step's actions when
   * `isApplyingActions`, and reports its wait condition in every frame.
   */
  | {
      readonly type: 'tour';
      readonly requestId: number;
      readonly stepIndex: number | null;
      readonly isApplyingActions: boolean;
    }
  | { readonly type: 'options'; readonly pauseOnViolation: boolean }
  /** A node's full state, for the inspector. */
  | { readonly type: 'inspect'; readonly requestId: number; readonly node: number }
  /** The clients' recorded operations of the run so far, for the consistency checks. */
  | { readonly type: 'history'; readonly requestId: number }
  | { readonly type: 'recycle'; readonly buffers: readonly ArrayBuffer[] };

/** Static facts about the loaded scenario, sent once per load. */
export interface ScenarioMeta {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly summary: string;
  readonly baselineLabel: string;
  readonly baselineSummary: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly metrics: readonly MetricSpec[];
  readonly invariants: readonly {
    readonly id: string;
    readonly kind: 'safety' | 'liveness';
    readonly description: string;
  }[];
  readonly faults: readonly ScenarioFaultSpec[];
  /** The kinds of moment the scenario reports, for the timeline's legend. */
  readonly moments: readonly MomentSpec[];
  readonly tour: readonly TourStepMeta[];
  /** The instrument's heading; null when the scenario has no instrument. */
  readonly instrumentTitle: string | null;
  /** The playback speed the page starts this scenario at. */
  readonly defaultSpeed: number;
}

/** A tour step as data (its actions and wait conditions run in the worker). */
export interface TourStepMeta {
  readonly id: string;
  readonly title: string;
  readonly narration: string;
  readonly hasActions: boolean;
  readonly waitFor: { readonly description: string; readonly timeoutMs: number } | null;
  readonly question: {
    readonly prompt: string;
    readonly choices: readonly string[];
    readonly answerIndex: number;
    readonly explanation: string;
  } | null;
  /** Playback speed while the step runs; null: the scenario's default speed. */
  readonly speed: number | null;
  /** Whether the revealed step offers to open the run beside its baseline. */
  readonly comparesWithBaseline: boolean;
}

export interface TopologyNodeMeta {
  readonly id: string;
  readonly role: string;
  readonly layout: LayoutHint | null;
}

export interface TopologyMeta {
  readonly nodes: readonly TopologyNodeMeta[];
  /** Linked ordered pairs as [from, to] node indexes. */
  readonly links: readonly (readonly [number, number])[];
}

/** One node as the page shows it. */
export interface NodeFrame {
  readonly status: NodeStatus;
  readonly label: string;
  readonly badge: string;
  readonly health: 'ok' | 'warn' | 'bad';
}

/**
 * Everything the page needs after one slice. Bulk parts are packed typed arrays transferred (not
 * copied) to the page: `inFlight` holds [id, from, to, sentUs, dueUs] per message with
 * `inFlightTypes` as a parallel label array; `metricSamples` holds [metric, timeUs, value].
 */
export interface Frame {
  readonly seq: number;
  readonly timeUs: number;
  /** The furthest time this run has reached (the end of the timeline); a command resets it to now. */
  readonly frontierUs: number;
  readonly eventCount: number;
  readonly traceHash: string;
  readonly isPlaying: boolean;
  readonly speed: number;
  readonly nodes: readonly NodeFrame[];
  readonly inFlight: Float64Array;
  readonly inFlightTypes: readonly string[];
  readonly trace: PackedTrace;
  readonly traceTotal: number;
  readonly metricSamples: Float64Array;
  readonly invariants: readonly InvariantResult[];
  readonly commandCount: number;
  /**
   * How many commands of the log have taken effect by now. After a seek back the rest wait to
   * replay, and a new command here drops them (the page says so before it acts).
   */
  readonly commandsApplied: number;
  /** Directed [from, to] node pairs whose link is cut by a partition or held, flattened. */
  readonly cutLinks: Int32Array;
  /** What every link not listed in `linkSettings` does: the topology's default link. */
  readonly usualLink: LinkConfig;
  /**
   * The links that do something else: configured apart by the topology, or changed by a command
   * (a person's or the chaos schedule's `link.set`). Usually a handful, so a frame stays small
   * however many links the run has.
   */
  readonly linkSettings: readonly LinkSettingFrame[];
  /** The watched tour step and whether its wait condition has been met. */
  readonly tour: TourFrame | null;
  /** Set when playback stopped because an invariant was violated. */
  readonly violationStop: ViolationStop | null;
  /**
   * Every moment of the run up to the frontier, when they changed since the previous frame
   * (a new one was found, or a command cut the old future off); null when unchanged.
   */
  readonly moments: readonly Moment[] | null;
  /** The scenario's instrument as it reads now; null when the scenario has none. */
  readonly instrument: InstrumentFrame | null;
}

/** One directed link whose settings are not the frame's `usualLink`. */
export interface LinkSettingFrame {
  readonly from: number;
  readonly to: number;
  /** What the link does now. */
  readonly config: LinkConfig;
  /** What it did when the run started, while a command has changed it since; null otherwise. */
  readonly changedFrom: LinkConfig | null;
}

/**
 * An instrument reading with the scenario it belongs to: the page swaps runs while older frames
 * may still be on their way, and a drawing must never be handed another scenario's data.
 */
export interface InstrumentFrame extends InstrumentReading {
  readonly scenarioId: string;
}

export interface TourFrame {
  readonly stepIndex: number;
  readonly isWaitMet: boolean;
  /** Simulated time spent waiting so far. */
  readonly waitedUs: number;
}

export interface ViolationStop {
  readonly invariantId: string;
  readonly message: string;
  readonly nodes: readonly string[];
  readonly timeUs: number;
}

/** One entry of the scenario picker. */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
}

/** A node's full state, as the inspector shows it. */
export interface NodeInspection {
  readonly id: string;
  readonly role: string;
  readonly status: NodeStatus;
  readonly state: unknown;
  readonly durable: unknown;
  readonly localTimeUs: number;
}

/**
 * A run's recorded history (src/scenarios/histories.ts), with what the page needs to check it
 * without the scenario's code: how to read it, and the models these settings promise.
 */
export interface RunHistory {
  readonly ops: readonly Operation[];
  /**
   * Each op's messages and the nodes they went between, in the order of `ops` (null where the
   * trace no longer holds its invocation): how a bar of the history picture points at its
   * messages in the space-time diagram and at its path in the topology.
   */
  readonly trails: readonly (OperationTrail | null)[];
  readonly check: Pick<CheckOptions, 'model' | 'initial'>;
  readonly promises: readonly ModelName[];
}

/** A run's trace as JSON lines (see runExport.ts), in chunks that joined make the file. */
export interface TraceExport {
  readonly chunks: readonly string[];
  /** Trace events up to the export's time; the hash covers them all. */
  readonly events: number;
  /** Events listed in the lines (fewer than `events` past the export cap). */
  readonly listed: number;
  readonly traceHash: string;
}

/** A frame's in-flight record width. */
export const inFlightStride = 5;
/** A frame's metric sample width. */
export const metricSampleStride = 3;

export type ReplyValue =
  | { readonly kind: 'none' }
  /** The run's description; `file` is its run file when the request was `export`. */
  | { readonly kind: 'run'; readonly run: RunDescription; readonly file: RunFile | null }
  | { readonly kind: 'trace'; readonly trace: TraceExport }
  | { readonly kind: 'stepped'; readonly events: number }
  | { readonly kind: 'summary'; readonly metrics: readonly MetricFinal[] }
  | { readonly kind: 'catalogue'; readonly entries: readonly CatalogueEntry[] }
  | { readonly kind: 'inspect'; readonly node: NodeInspection }
  /** Null when the scenario records no history. */
  | { readonly kind: 'history'; readonly history: RunHistory | null };

export type FromWorker =
  | {
      readonly type: 'ready';
      readonly requestId: number;
      readonly protocolVersion: number;
      readonly meta: ScenarioMeta;
      readonly topology: TopologyMeta;
      readonly run: RunDescription;
      /** What was wrong with a share link and what was loaded instead; clamped values. */
      readonly notices: readonly string[];
      /** Playback position the run was opened at (a share link's position). */
      readonly positionUs: number;
    }
  | { readonly type: 'frame'; readonly frame: Frame }
  | { readonly type: 'reply'; readonly requestId: number; readonly value: ReplyValue }
  | {
      readonly type: 'error';
      readonly requestId: number | null;
      readonly code: string;
      readonly message: string;
    };

/** Collects the transferable buffers of a worker message. */
export function transferablesOf(message: FromWorker): ArrayBuffer[] {
  if (message.type !== 'frame') return [];
  const { frame } = message;
  const buffers = [
    frame.inFlight.buffer,
    frame.trace.times.buffer,
    frame.trace.values.buffer,
    frame.trace.messageIds.buffer,
    frame.trace.ints.buffer,
    frame.metricSamples.buffer,
    frame.cutLinks.buffer,
  ];
  return buffers.filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
}
