import type { Operation, Value } from '../../consistency/history.ts';
import { secondsText } from '../../worker/commandText.ts';

/*
 * Where the history view draws what: a lane per client, a bar per operation from its invocation
 * to its answer, fault commands as marks on the same time axis. Pure, so the choice of what is
 * drawn and where is tested without a DOM. Only the anomaly's neighbourhood is drawn (a run
 * records thousands of operations; a picture of all of them shows nothing).
 */

export interface LayoutOptions {
  /** The operations that show the anomaly (a violation's witness), by id. */
  readonly witness: readonly number[];
  /** Operations the longest order found could not place, by id. */
  readonly unplaced?: readonly number[];
  /** The key the anomaly is on (null when it spans keys): its operations are drawn first. */
  readonly key: string | null;
  /** Fault commands of the run, in time order. */
  readonly faults?: readonly { readonly atUs: number; readonly label: string }[];
  /** At most this many bars (witness bars always, then the nearest others). */
  readonly maxBars: number;
  /** Plot width in px, from the first drawn invocation to the last drawn answer. */
  readonly width: number;
}

export interface LaidBar {
  readonly op: Operation;
  readonly lane: number;
  readonly x: number;
  readonly width: number;
  /** False for an operation never answered: the bar runs to the axis' end, open. */
  readonly isAnswered: boolean;
  readonly isWitness: boolean;
  readonly isUnplaced: boolean;
}

export interface HistoryLayout {
  /** Clients with a drawn bar, in natural order (c2 before c10, c1.2 after c1). */
  readonly lanes: readonly string[];
  readonly bars: readonly LaidBar[];
  readonly faults: readonly { readonly x: number; readonly atUs: number; readonly label: string }[];
  readonly startUs: number;
  readonly endUs: number;
  /** Operations in the history (the "M" of "showing N of M"). */
  readonly total: number;
}

function valueText(value: Value | undefined): string {
  if (value === undefined) return '?';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What an account op's outcome adds to its label: nothing when accepted. */
const outcomeMarks: Readonly<Record<string, string>> = { accepted: '', rejected: ' ✗' };

/**
 * A bar's label: "w k11←60", "r k11→54", "a k1←7"; a read never answered is "r k11→?". Account
 * ops by the money they move: "acct-1 +50", "acct-1 −70", rejected "acct-1 −70 ✗", never
 * answered "acct-1 −70?".
 */
export function barLabel(op: Operation): string {
  switch (op.kind) {
    case 'read':
      return `r ${op.key}→${valueText(op.result)}`;
    case 'write':
      return `w ${op.key}←${valueText(op.value)}`;
    case 'append':
      return `a ${op.key}←${valueText(op.value)}`;
    case 'deposit':
    case 'withdraw': {
      const sign = op.kind === 'deposit' ? '+' : '−';
      const outcome =
        op.result === undefined
          ? op.completeUs === null
            ? '?'
            : ''
          : outcomeMarks[String(op.result)];
      return `${op.key} ${sign}${valueText(op.value)}${outcome ?? ''}`;
    }
    default: {
      const unknown: never = op.kind;
      return unknown;
    }
  }
}

/** What an op did, in words: "read k11 returned 54", "withdrew 70 from acct-1, rejected". */
function actionText(op: Operation): string {
  switch (op.kind) {
    case 'read':
      return op.completeUs === null
        ? `read ${op.key}`
        : `read ${op.key} returned ${valueText(op.result)}`;
    case 'deposit':
      return `deposited ${valueText(op.value)} to ${op.key}${op.result === 'rejected' ? ', rejected' : ''}`;
    case 'withdraw':
      return op.result === undefined
        ? `tried to withdraw ${valueText(op.value)} from ${op.key}`
        : `withdrew ${valueText(op.value)} from ${op.key}, ${valueText(op.result)}`;
    case 'write':
    case 'append':
      return `${op.kind} ${op.key} ${valueText(op.value)}`;
  }
}

/** A bar's accessible name: "c2 read k11 returned 54, 5.210 s to 5.240 s". */
export function barName(op: Operation): string {
  const when =
    op.completeUs === null
      ? `sent at ${secondsText(op.invokeUs)}, never answered`
      : `${secondsText(op.invokeUs)} to ${secondsText(op.completeUs)}`;
  return `${op.client} ${actionText(op)}, ${when}`;
}

/** Bars narrower than this are widened so they can be seen and clicked. */
export const barWidthMin = 4;

const naturalOrder = new Intl.Collator('en', { numeric: true });

/** Lays out the operations around a violation's witness. */
export function layoutHistory(ops: readonly Operation[], options: LayoutOptions): HistoryLayout {
  const witness = new Set(options.witness);
  const unplaced = new Set(options.unplaced ?? []);
  const witnessOps = ops.filter((op) => witness.has(op.id));
  const drawn = pickOps(ops, witnessOps, options.key, options.maxBars);
  const startUs = Math.min(...drawn.map((op) => op.invokeUs));
  // The axis ends at the last answer or invocation drawn; unanswered bars run to it.
  const endUs = Math.max(...drawn.map((op) => op.completeUs ?? op.invokeUs));
  const spanUs = Math.max(1, endUs - startUs);
  const xOf = (us: number): number => ((us - startUs) / spanUs) * options.width;
  const lanes = [...new Set(drawn.map((op) => op.client))].sort(naturalOrder.compare);
  const bars = drawn.map((op): LaidBar => {
    const x = xOf(op.invokeUs);
    return {
      op,
      lane: lanes.indexOf(op.client),
      x,
      width: Math.max(barWidthMin, xOf(op.completeUs ?? endUs) - x),
      isAnswered: op.completeUs !== null,
      isWitness: witness.has(op.id),
      isUnplaced: unplaced.has(op.id),
    };
  });
  const faults = (options.faults ?? [])
    .filter((fault) => fault.atUs >= startUs && fault.atUs <= endUs)
    .map((fault) => ({ ...fault, x: xOf(fault.atUs) }));
  return drawn.length === 0
    ? { lanes: [], bars: [], faults: [], startUs: 0, endUs: 0, total: ops.length }
    : { lanes, bars, faults, startUs, endUs, total: ops.length };
}

/**
 * The witness, then the operations that overlap the witness' time span: those on the anomaly's
 * key first, then the rest, each nearest a witness operation first (a witness may span seconds:
 * what happened beside its operations explains it, not what happened between them); at most
 * `maxBars`, returned in invocation order.
 */
function pickOps(
  ops: readonly Operation[],
  witnessOps: readonly Operation[],
  key: string | null,
  maxBars: number,
): Operation[] {
  if (witnessOps.length === 0) return [];
  const fromUs = Math.min(...witnessOps.map((op) => op.invokeUs));
  const toUs = Math.max(...witnessOps.map((op) => op.completeUs ?? op.invokeUs));
  const isWitness = new Set(witnessOps.map((op) => op.id));
  const overlapping = ops.filter(
    (op) => !isWitness.has(op.id) && op.invokeUs <= toUs && (op.completeUs ?? Infinity) >= fromUs,
  );
  const rank = (op: Operation): number => (key !== null && op.key === key ? 0 : 1);
  // Time between two operations' intervals, 0 when they overlap.
  const gapUs = (a: Operation, b: Operation): number =>
    Math.max(0, a.invokeUs - (b.completeUs ?? Infinity), b.invokeUs - (a.completeUs ?? Infinity));
  const distance = (op: Operation): number =>
    Math.min(...witnessOps.map((witness) => gapUs(op, witness)));
  const ranked = overlapping.map((op) => ({ op, rank: rank(op), distance: distance(op) }));
  ranked.sort((a, b) => a.rank - b.rank || a.distance - b.distance || a.op.id - b.op.id);
  const room = Math.max(0, maxBars - witnessOps.length);
  return [...witnessOps, ...ranked.slice(0, room).map(({ op }) => op)].sort(
    (a, b) => a.invokeUs - b.invokeUs || a.id - b.id,
  );
}
