import type { ModelName } from '../consistency/verdict.ts';

/**
 * View hints: how the UI draws a scenario, kept beside the scenario's model but separate from
 * it (the engine never reads them). Colours are CSS colours that read on light and dark
 * backgrounds; shapes and icons are names the UI maps to its own drawings.
 */

/** How the UI draws the nodes of one role. */
export interface RoleHint {
  readonly shape: 'circle' | 'square' | 'hexagon' | 'diamond';
  /** An icon name from the UI's set, e.g. `server`, `laptop`, `database`. */
  readonly icon: string;
}

export interface ScenarioViewHints {
  /** The scenario id these hints belong to (checked against the model registry). */
  readonly id: string;
  /** Dot colour per message type. */
  readonly messageColours: Readonly<Record<string, string>>;
  /** Shape and icon per node role. */
  readonly roles: Readonly<Record<string, RoleHint>>;
  /** Node fill colour per summary label (`leader`, `follower`…). */
  readonly stateColours: Readonly<Record<string, string>>;
  /** Chart title per metric name. */
  readonly metricLabels: Readonly<Record<string, string>>;
  /**
   * Metrics drawn together as bars of their latest values (e.g. keys per shard), one group per
   * chart; each bar is labelled with `bars[i].label`. Metrics in a group are not charted alone.
   */
  readonly barGroups?: readonly BarGroup[];
  /**
   * Metrics drawn together as a stacked area over time (e.g. traffic share per implementation);
   * the values are stacked in the order given. Metrics in a group are not charted alone.
   */
  readonly stackedAreas?: readonly StackedArea[];
  /**
   * For scenarios that record their clients' histories: the consistency table measured by the
   * scenario's consistency test (the one its README shows; a test keeps the two equal).
   */
  readonly consistency?: ConsistencyTable;
  /** "How true is this?": what the scenario models, what it leaves out, what it reproduces. */
  readonly fidelity?: Fidelity;
}

/**
 * What a person may believe after watching a scenario, in plain sentences: the sources its
 * protocol follows, what is modelled, what is deliberately left out (and what that changes), and
 * which published results it reproduces (each with the experiment that shows it) or does not.
 */
export interface Fidelity {
  /** The sources the protocol follows, as cited in the code: "the Raft paper (Ongaro …)". */
  readonly follows: readonly string[];
  /** What is modelled, one short sentence each. */
  readonly modelled: readonly string[];
  /** What is left out, and what a person should therefore not conclude, one sentence each. */
  readonly leftOut: readonly string[];
  /** Published results: reproduced (with the experiment id that shows it) or not (and why). */
  readonly results: readonly FidelityResult[];
}

export interface FidelityResult {
  /** The result in words, with its source. */
  readonly claim: string;
  readonly isReproduced: boolean;
  /** The experiment (`sim experiment <id>`, the app's Experiments panel) that measures it. */
  readonly experiment?: string;
  /** Why it is not reproduced, or what the measurement showed, in one sentence. */
  readonly note?: string;
}

/** One row per setting, one cell per model: "holds", "violated (seed 3)", "undecided (…)". */
export interface ConsistencyTable {
  readonly rows: readonly {
    readonly label: string;
    readonly seeds: readonly number[];
    readonly cells: Readonly<Record<ModelName, string>>;
  }[];
}

export interface BarGroup {
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly { readonly metric: string; readonly label: string }[];
}

export interface StackedArea {
  readonly title: string;
  readonly unit: string;
  readonly layers: readonly {
    readonly metric: string;
    readonly label: string;
    readonly colour: string;
  }[];
}
