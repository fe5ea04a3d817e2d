import { SimError } from '../engine/errors.ts';
import type {
  Command,
  Invariant,
  MetricSpec,
  MomentSpec,
  Monitor,
  ParamSpec,
  ScenarioFaultSpec,
  ScenarioModel,
  Topology,
  Variant,
  WorldView,
} from '../engine/types.ts';

/** A condition a tour step waits for, evaluated in the simulation after every slice. */
export interface TourWait {
  /** What the learner is waiting for, e.g. "a new leader is elected". */
  readonly description: string;
  isMet(world: WorldView): boolean;
  /** Simulated time after which the tour offers to move on anyway. */
  readonly timeoutMs: number;
}

/** A predict-then-reveal question. */
export interface TourQuestion {
  readonly prompt: string;
  readonly choices: readonly string[];
  readonly answerIndex: number;
  /** Shown after the learner answers, once the simulation has shown what happens. */
  readonly explanation: string;
}

/** One step of a guided tour: narration, optional actions, an optional wait and question. */
export interface TourStep {
  readonly id: string;
  readonly title: string;
  readonly narration: string;
  /** Commands to apply when the step starts; computed from the world (e.g. "kill the leader"). */
  actions?(world: WorldView): readonly Command[];
  readonly waitFor?: TourWait;
  readonly question?: TourQuestion;
  /**
   * Playback speed while this step runs (the scenario's default speed when absent). With it,
   * no step waits more than 15 s of wall time: `waitFor.timeoutMs / 1000 / speed <= 15`.
   */
  readonly speed?: number;
  /**
   * Offer, once the step is revealed, to open this run beside its baseline (the compare page, in
   * a new tab so the tour stays where it is), with the same seed, settings and commands.
   */
  readonly comparesWithBaseline?: boolean;
}

/**
 * What a scenario's instrument shows at one instant: plain, structured-clonable data for the
 * page's drawing, and the same state in words (the figure's accessible name).
 */
export interface InstrumentReading {
  /** The state in one or two plain sentences, e.g. "Circuit breaker: open, 12 of 20 …". */
  readonly description: string;
  /** Whatever the scenario's drawing needs; its shape is the scenario's own (see its instrument.ts). */
  readonly data: unknown;
}

/**
 * A live drawing of the pattern's mechanism (the breaker's window, the hash ring, the log and its
 * readers), read from the world after every slice. `read` must not change anything it is given.
 */
export interface Instrument {
  /** The figure's heading, e.g. "Breaker". */
  readonly title: string;
  read(world: WorldView, monitorMemory: unknown): InstrumentReading;
}

/** A complete scenario: the engine model plus the teaching material. */
export interface Scenario extends ScenarioModel {
  readonly tour: readonly TourStep[];
  /** The pattern's live drawing, if it has one. */
  readonly instrument: Instrument | null;
  /**
   * Playback speed the page starts at: chosen so that the storyline's first moment shows within
   * about fifteen seconds of pressing Play.
   */
  readonly defaultSpeed: number;
  /** One line on what the baseline is. */
  readonly baselineSummary: string;
  /** Loadable by id (benchmarks, tests) but not listed in the picker or `sim list`. */
  readonly isHidden: boolean;
}

/**
 * What a scenario author writes; everything optional has a sensible default. Generic over the
 * parameter table's keys, so the topology reads typed parameter values (the scenario's
 * `paramReader` from kit/params.ts does the same for behaviours, monitors and world views).
 */
export interface ScenarioDefinition<K extends string = string> {
  readonly id: string;
  readonly version?: number;
  readonly title: string;
  readonly summary: string;
  readonly params: Readonly<Record<K, ParamSpec>>;
  readonly baselineLabel: string;
  readonly baselineSummary: string;
  topology(params: Readonly<Record<K, number>>, variant: Variant): Topology;
  readonly metrics: readonly MetricSpec[];
  readonly monitor?: Monitor;
  readonly invariants: readonly Invariant[];
  readonly faults?: readonly ScenarioFaultSpec[];
  /** The pattern-level moments the monitor reports (see `Monitor.observe`). */
  readonly moments?: readonly MomentSpec[];
  readonly tour: readonly TourStep[];
  readonly instrument?: Instrument;
  /** Playback speed the page starts at (default 1×). */
  readonly defaultSpeed?: number;
  readonly defaultDurationMs?: number;
  readonly isHidden?: boolean;
}

const kebabCase = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Makes a scenario from its definition, filling defaults and checking what can be checked
 * statically (ids, parameter bounds, unique names), so a broken scenario fails at load, loudly.
 */
export function defineScenario<K extends string>(definition: ScenarioDefinition<K>): Scenario {
  const problem = definitionProblem(definition);
  if (problem !== null) throw new SimError('bad-scenario', `${definition.id}: ${problem}`);
  return {
    id: definition.id,
    version: definition.version ?? 1,
    title: definition.title,
    summary: definition.summary,
    params: definition.params,
    baselineLabel: definition.baselineLabel,
    baselineSummary: definition.baselineSummary,
    // Parameter values reach the topology after resolveParams (engine/setup.ts) has checked them
    // against this table and filled in its defaults, so every key it declares is present.
    topology: (params, variant) => definition.topology(params, variant),
    metrics: definition.metrics,
    ...(definition.monitor === undefined ? {} : { monitor: definition.monitor }),
    invariants: definition.invariants,
    faults: definition.faults ?? [],
    moments: definition.moments ?? [],
    tour: definition.tour,
    instrument: definition.instrument ?? null,
    defaultSpeed: definition.defaultSpeed ?? 1,
    isHidden: definition.isHidden ?? false,
    defaultDurationUs: (definition.defaultDurationMs ?? 60_000) * 1000,
  };
}

function definitionProblem<K extends string>(definition: ScenarioDefinition<K>): string | null {
  if (!kebabCase.test(definition.id)) return 'the id must be kebab-case';
  for (const [key, spec] of Object.entries<ParamSpec>(definition.params)) {
    const problem = specProblem(spec);
    if (problem !== null) return `parameter ${key}: ${problem}`;
  }
  for (const fault of definition.faults ?? []) {
    for (const [key, spec] of Object.entries(fault.args)) {
      const problem = specProblem(spec);
      if (problem !== null) return `fault ${fault.id}, argument ${key}: ${problem}`;
    }
  }
  const duplicate = (names: readonly string[]): string | undefined =>
    names.find((name, index) => names.indexOf(name) !== index);
  const metric = duplicate(definition.metrics.map((spec) => spec.name));
  if (metric !== undefined) return `metric ${metric} is declared twice`;
  const invariant = duplicate(definition.invariants.map((spec) => spec.id));
  if (invariant !== undefined) return `invariant ${invariant} is declared twice`;
  const moments = definition.moments ?? [];
  const moment = duplicate(moments.map((spec) => spec.id));
  if (moment !== undefined) return `moment ${moment} is declared twice`;
  const badMoment = moments.find((spec) => !kebabCase.test(spec.id));
  if (badMoment !== undefined) return `moment ${badMoment.id}: the id must be kebab-case`;
  if (moments.length > 0 && definition.monitor === undefined) {
    return 'moments are reported by the monitor, and this scenario has none';
  }
  if (!definition.invariants.some((spec) => spec.kind === 'safety')) {
    return 'a scenario needs at least one safety invariant';
  }
  if (!definition.invariants.some((spec) => spec.kind === 'liveness')) {
    return 'a scenario needs at least one liveness invariant';
  }
  const steps = definition.tour.length;
  if (steps > 0 && (steps < 4 || steps > 8)) return `a tour has 4–8 steps, this one ${steps}`;
  return null;
}

/**
 * What is wrong with a parameter's or a fault argument's spec, or null: the default in range and
 * a positive step; and choices, when listed, at least two, each a distinct value in range and on
 * the step grid with a label of its own, the default among them (a form shows only the choices,
 * so a default outside them could not be shown).
 */
export function specProblem(spec: ParamSpec): string | null {
  if (!(spec.min <= spec.default && spec.default <= spec.max)) {
    return `default ${spec.default} is outside ${spec.min}–${spec.max}`;
  }
  if (!(spec.step > 0)) return 'step must be positive';
  const choices = spec.choices;
  if (choices === undefined) return null;
  if (choices.length < 2) return 'a list of choices needs at least two';
  const values = choices.map((choice) => choice.value);
  const labels = choices.map((choice) => choice.label.trim());
  const outside = values.find((value) => !(spec.min <= value && value <= spec.max));
  if (outside !== undefined) {
    return `choice ${outside} is outside ${spec.min}–${spec.max}`;
  }
  // A form checks a picked value like a typed one, against the bounds and the step.
  const offStep = values.find((value) => !isOnStep(value, spec));
  if (offStep !== undefined) {
    return `choice ${offStep} is not a multiple of ${spec.step} from ${spec.min}`;
  }
  const twice = values.find((value, index) => values.indexOf(value) !== index);
  if (twice !== undefined) return `choice ${twice} is listed twice`;
  if (labels.some((label) => label === '')) return 'every choice needs a label';
  const sameLabel = labels.find((label, index) => labels.indexOf(label) !== index);
  if (sameLabel !== undefined) return `two choices are labelled "${sameLabel}"`;
  if (!values.includes(spec.default)) {
    return `the default ${spec.default} is not one of the choices`;
  }
  return null;
}

function isOnStep(value: number, spec: ParamSpec): boolean {
  const steps = (value - spec.min) / spec.step;
  // Decimal steps (0.1) are not exact in binary; allow a rounding error far below a step.
  return Math.abs(steps - Math.round(steps)) < 1e-9;
}
