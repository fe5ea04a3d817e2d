import type { Chronicle, LaneMark, LaneSpan, MessageTrip } from './messages.ts';

/**
 * What the diagram draws for one time window: the trips, marks and spans that fall in it, with
 * everything capped so that the drawing stays fast however many events the trace holds. When
 * more trips fall in the window than can be drawn one by one, they are aggregated: one bundle per
 * pair of lanes and slice of send time, drawn as a thicker arrow with its count.
 */

/** Everything drawn at once (arrows or bundles, marks and spans together) at most. */
export const drawableMax = 1_500;
/** Lane marks drawn at most (the most recent win); they come out of `drawableMax`. */
export const laneMarksMax = 200;
/** Down and paused spans drawn at most (the most recent win); also out of `drawableMax`. */
export const laneSpansMax = 100;
/** Send-time slices per pair of lanes when aggregating, at most. */
export const bundleSlicesMax = 48;

/** A span of simulated time, start inclusive, end inclusive. */
export interface TimeWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/** Several trips between one pair of lanes, sent in one slice of the window, drawn as one. */
export interface Bundle {
  readonly from: number;
  readonly to: number;
  /** Mean send time and mean end time of its trips: where the bundle's arrow starts and ends. */
  readonly sentUs: number;
  readonly endUs: number;
  readonly count: number;
  readonly droppedCount: number;
  /** The message type when every trip has the same one, otherwise ''. */
  readonly type: string;
}

/** The drawable content of one window. */
export interface WindowContent {
  readonly window: TimeWindow;
  /** Trips drawn one by one (empty when aggregated). */
  readonly trips: readonly MessageTrip[];
  /** Bundles drawn instead of trips (empty when not aggregated). */
  readonly bundles: readonly Bundle[];
  readonly marks: readonly LaneMark[];
  readonly spans: readonly LaneSpan[];
  readonly counts: WindowCounts;
}

/** What falls in the window, whether drawn one by one, bundled or left out. */
export interface WindowCounts {
  readonly messages: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly inFlight: number;
  readonly crashes: number;
  /** Trips drawn inside bundles (0 when not aggregated). */
  readonly bundled: number;
  /** Trips left out because even the bundles did not fit (many lanes in a wide window). */
  readonly omitted: number;
  /** Marks and spans left out over their caps. */
  readonly marksOmitted: number;
}

/** Whether a trip is drawn in the window: sent before its end and not ended before its start. */
export function overlaps(trip: MessageTrip, window: TimeWindow): boolean {
  return trip.sentUs <= window.endUs && trip.endUs >= window.startUs;
}

/** The content of `window`, with at most `budget` things drawn in all. */
export function contentInWindow(
  chronicle: Chronicle,
  window: TimeWindow,
  budget: number = drawableMax,
): WindowContent {
  const allMarks = chronicle.marks.filter(
    (mark) => mark.timeUs >= window.startUs && mark.timeUs <= window.endUs,
  );
  const allSpans = chronicle.spans.filter(
    (span) => span.startUs <= window.endUs && span.endUs >= window.startUs,
  );
  const marks = allMarks.slice(-Math.min(laneMarksMax, budget));
  const spans = allSpans.slice(-Math.min(laneSpansMax, budget - marks.length));
  const tripBudget = Math.max(0, budget - marks.length - spans.length);
  const inWindow = chronicle.trips.filter((trip) => overlaps(trip, window));
  const base = {
    ...countTrips(inWindow),
    crashes: allMarks.filter((mark) => mark.kind === 'crashed').length,
    marksOmitted: allMarks.length - marks.length + allSpans.length - spans.length,
  };
  if (inWindow.length <= tripBudget) {
    return {
      window,
      trips: inWindow,
      bundles: [],
      marks,
      spans,
      counts: { ...base, bundled: 0, omitted: 0 },
    };
  }
  const bundles = bundleTrips(inWindow, window, tripBudget);
  const bundled = bundles.reduce((sum, bundle) => sum + bundle.count, 0);
  return {
    window,
    trips: [],
    bundles,
    marks,
    spans,
    counts: { ...base, bundled, omitted: inWindow.length - bundled },
  };
}

function countTrips(trips: readonly MessageTrip[]): {
  messages: number;
  delivered: number;
  dropped: number;
  inFlight: number;
} {
  let delivered = 0;
  let dropped = 0;
  for (const trip of trips) {
    if (trip.outcome === 'delivered') delivered++;
    else if (trip.outcome === 'dropped') dropped++;
  }
  return {
    messages: trips.length,
    delivered,
    dropped,
    inFlight: trips.length - delivered - dropped,
  };
}

interface BundleSum {
  from: number;
  to: number;
  sentSumUs: number;
  endSumUs: number;
  count: number;
  droppedCount: number;
  type: string;
  slice: number;
}

/**
 * Bundles trips per (sender, receiver, slice of send time). The slice count is chosen so that
 * every pair of lanes present gets the same number of slices and the total fits the budget;
 * should there be more pairs than the budget, only the fullest bundles are kept.
 */
export function bundleTrips(
  trips: readonly MessageTrip[],
  window: TimeWindow,
  budget: number,
): Bundle[] {
  if (budget <= 0) return [];
  const pairs = new Set<number>();
  let laneCount = 0;
  for (const trip of trips) laneCount = Math.max(laneCount, trip.from + 1, trip.to + 1);
  for (const trip of trips) pairs.add(trip.from * laneCount + trip.to);
  const slices = Math.max(1, Math.min(bundleSlicesMax, Math.floor(budget / pairs.size)));
  const sliceUs = Math.max(1, (window.endUs - window.startUs) / slices);
  const sums = new Map<number, BundleSum>();
  for (const trip of trips) {
    const slice = Math.min(
      slices - 1,
      Math.max(0, Math.floor((trip.sentUs - window.startUs) / sliceUs)),
    );
    const key = (trip.from * laneCount + trip.to) * slices + slice;
    let sum = sums.get(key);
    if (sum === undefined) {
      sum = {
        from: trip.from,
        to: trip.to,
        sentSumUs: 0,
        endSumUs: 0,
        count: 0,
        droppedCount: 0,
        type: trip.type,
        slice,
      };
      sums.set(key, sum);
    }
    sum.sentSumUs += trip.sentUs;
    sum.endSumUs += trip.endUs;
    sum.count++;
    if (trip.outcome === 'dropped') sum.droppedCount++;
    if (sum.type !== trip.type) sum.type = '';
  }
  let kept = [...sums.values()];
  if (kept.length > budget) {
    kept = kept.sort((a, b) => b.count - a.count || a.slice - b.slice).slice(0, budget);
  }
  return kept
    .sort((a, b) => a.slice - b.slice || a.from - b.from || a.to - b.to)
    .map((sum) => ({
      from: sum.from,
      to: sum.to,
      sentUs: sum.sentSumUs / sum.count,
      endUs: sum.endSumUs / sum.count,
      count: sum.count,
      droppedCount: sum.droppedCount,
      type: sum.type,
    }));
}
