import { select } from 'd3-selection';
import type {
  AnsweredReading,
  AttemptKind,
  BudgetReading,
  InFlightReading,
  RequestsInstrumentData,
} from '../../scenarios/ambassador/instrument.ts';
import { barRow, group, instrumentColours, rootOf, textAt } from './d3Kit.ts';
import type { InstrumentDrawing } from './types.ts';

const kindColour: Readonly<Record<AttemptKind, string>> = {
  first: instrumentColours.info,
  retry: instrumentColours.warn,
  hedge: instrumentColours.violet,
};
const failedColour = instrumentColours.bad;
const earlierColour = '#94a3b8';

const rowStep = 16;
const trackHeight = 10;
const labelWidth = 36;
const dotStep = 7;
const dotsMax = 6;

interface Layout {
  readonly budgetTop: number;
  readonly flightTop: number;
  readonly answeredTop: number;
  readonly legendTop: number;
  readonly height: number;
}

function layoutOf(data: RequestsInstrumentData): Layout {
  if (!data.hasAmbassador) {
    return { budgetTop: 0, flightTop: 0, answeredTop: 0, legendTop: 0, height: 44 };
  }
  const budgetTop = 12;
  const flightTop = budgetTop + 6 + data.budgets.length * rowStep + 14;
  const answeredTop = flightTop + 6 + Math.max(1, data.inFlight.length) * rowStep + 14;
  const legendTop = answeredTop + 6 + Math.max(1, data.answered.length) * rowStep + 8;
  return { budgetTop, flightTop, answeredTop, legendTop, height: legendTop + 22 };
}

function shortId(requestId: number): string {
  return `#${requestId % 1_000_000}`;
}

/** Where the track of a request row starts, after its id and its attempt dots. */
function trackX(data: RequestsInstrumentData): number {
  const dots = Math.min(dotsMax, Math.max(1, ...data.inFlight.map((each) => each.maxAttempts)));
  return labelWidth + dots * dotStep + 4;
}

/** The attempts so far as dots: failed ones red, live ones by kind, the rest of the maximum hollow. */
function flightDots(request: InFlightReading): string[] {
  const dots: string[] = [];
  for (let i = 0; i < request.failed; i++) dots.push(failedColour);
  for (const attempt of request.live) dots.push(kindColour[attempt.kind]);
  while (dots.length < request.maxAttempts) dots.push('none');
  return dots.slice(0, dotsMax);
}

function answeredDots(request: AnsweredReading): string[] {
  const dots: string[] = [];
  for (let i = 0; i < request.attempts; i++) {
    const isLast = i === request.attempts - 1;
    dots.push(isLast && request.outcome === 'ok' ? instrumentColours.ok : failedColour);
  }
  while (dots.length < request.maxAttempts) dots.push('none');
  return dots.slice(0, dotsMax);
}

/**
 * The ambassador's requests: each ambassador's retry budget (retries in the last 10 s against
 * its allowance); the focused ambassador's requests in flight on a timeline from arrival to the
 * deadline (earlier failed attempts and a backoff in progress in grey, live attempts by kind,
 * each with its per-try timeout marked); and its newest answered requests with their attempts,
 * outcome and latency.
 */
export const ambassadorDrawing: InstrumentDrawing = {
  heightPx: (raw) => layoutOf(raw as RequestsInstrumentData).height,
  draw(svg, raw, widthPx) {
    const data = raw as RequestsInstrumentData;
    const root = rootOf(svg);
    const layout = layoutOf(data);
    textAt(
      root,
      'am-baseline',
      0,
      14,
      data.hasAmbassador ? '' : 'Direct calls: one attempt each,',
      'start',
      11,
      instrumentColours.muted,
    );
    textAt(
      root,
      'am-baseline-2',
      0,
      30,
      data.hasAmbassador ? '' : 'no retries, no budget, no hedges.',
      'start',
      11,
      instrumentColours.muted,
    );

    // The retry budgets.
    const budget = group(root, 'am-budget');
    textAt(
      budget,
      'am-budget-title',
      0,
      layout.budgetTop - 2,
      !data.hasAmbassador
        ? ''
        : data.isBudgetOn
          ? `Retry budget: retries in 10 s / allowed (${data.budgetPercent}%)`
          : 'Retry budget off: retries in the last 10 s',
      'start',
      10,
      instrumentColours.muted,
    );
    const budgetBarX = 40;
    const budgetTextWidth = 92;
    const budgetBarWidth = Math.max(40, widthPx - budgetBarX - budgetTextWidth);
    const budgetRows = budget
      .selectAll<SVGGElement, BudgetReading>('g.am-budget-row')
      .data(data.hasAmbassador ? data.budgets : [], (d) => d.ambassador)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'am-budget-row');
        g.append('text').attr('class', 'am-budget-id');
        g.append('text').attr('class', 'am-budget-text').attr('text-anchor', 'end');
        return g;
      })
      .attr('transform', (_d, i) => `translate(0,${layout.budgetTop + 4 + i * rowStep})`);
    budgetRows
      .select('text.am-budget-id')
      .attr('x', 0)
      .attr('y', 9)
      .style('font-size', '11px')
      .style('fill', instrumentColours.text)
      .text((d) => d.ambassador);
    budgetRows.each(function eachBudget(d) {
      const used = !data.isBudgetOn
        ? Math.min(1, d.retries / Math.max(1, d.requests))
        : d.allowance <= 0
          ? 0
          : d.retries / d.allowance;
      barRow(select(this) as never, 'am-budget-bar', budgetBarX, 0, budgetBarWidth, trackHeight, [
        {
          fraction: used,
          colour: d.isRefusing || used >= 1 ? instrumentColours.bad : instrumentColours.accent,
        },
      ]);
    });
    budgetRows
      .select('text.am-budget-text')
      .attr('x', widthPx)
      .attr('y', 9)
      .style('font-size', '10px')
      .style('fill', (d) => (d.isRefusing ? instrumentColours.bad : instrumentColours.text))
      .text((d) =>
        !d.isUp
          ? 'down'
          : data.isBudgetOn
            ? `${d.retries} of ${Math.floor(d.allowance)}${d.isRefusing ? ' · full' : ''}`
            : `${d.retries} of ${d.requests} req`,
      );

    // Requests in flight: a timeline from arrival (left) to the deadline (right).
    const x0 = trackX(data);
    const trackWidth = Math.max(40, widthPx - x0);
    const xOf = (us: number): number =>
      x0 + Math.min(1, Math.max(0, us / Math.max(1, data.deadlineUs))) * trackWidth;
    const flight = group(root, 'am-flight');
    textAt(
      flight,
      'am-flight-title',
      0,
      layout.flightTop - 2,
      !data.hasAmbassador
        ? ''
        : `In flight at ${data.focus ?? '—'}: arrival → ${data.deadlineUs / 1_000_000} s deadline`,
      'start',
      10,
      instrumentColours.muted,
    );
    textAt(
      flight,
      'am-flight-none',
      0,
      layout.flightTop + 13,
      data.hasAmbassador && data.inFlight.length === 0 ? 'none' : '',
      'start',
      10,
      instrumentColours.muted,
    );
    const flightRows = flight
      .selectAll<SVGGElement, InFlightReading>('g.am-flight-row')
      .data(data.inFlight, (d) => `${d.app}#${d.requestId}`)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'am-flight-row');
        g.append('text').attr('class', 'am-id');
        g.append('rect').attr('class', 'am-track');
        g.append('rect').attr('class', 'am-earlier');
        g.append('text').attr('class', 'am-earlier-text');
        g.append('g').attr('class', 'am-dots');
        g.append('g').attr('class', 'am-live');
        return g;
      })
      .attr('transform', (_d, i) => `translate(0,${layout.flightTop + 4 + i * rowStep})`);
    flightRows
      .select('text.am-id')
      .attr('x', 0)
      .attr('y', 9)
      .style('font-size', '9.5px')
      .style('fill', instrumentColours.text)
      .text((d) => shortId(d.requestId));
    flightRows
      .select('rect.am-track')
      .attr('x', x0)
      .attr('y', 0)
      .attr('width', trackWidth)
      .attr('height', trackHeight)
      .style('fill', instrumentColours.surface)
      .style('stroke', instrumentColours.grid);
    // Before the first live attempt (or up to now, while a retry waits out its backoff): the
    // earlier attempts that failed and the backoff waits between them.
    const earlierEnd = (d: InFlightReading): number =>
      d.live.length === 0 ? d.elapsedUs : Math.min(...d.live.map((each) => each.sentAfterUs));
    flightRows
      .select('rect.am-earlier')
      .attr('x', x0)
      .attr('y', 1)
      .attr('width', (d) => (d.failed > 0 || d.isBackingOff ? xOf(earlierEnd(d)) - x0 : 0))
      .attr('height', trackHeight - 2)
      .style('fill', earlierColour)
      .style('stroke', (d) => (d.isBackingOff ? instrumentColours.warn : 'none'))
      .style('stroke-dasharray', '3 2');
    flightRows
      .select('text.am-earlier-text')
      .attr('x', x0 + 3)
      .attr('y', 8.5)
      .style('font-size', '9px')
      .style('fill', '#ffffff')
      .text((d) => {
        if (xOf(earlierEnd(d)) - x0 < 46) return '';
        return d.isBackingOff ? `✕${d.failed} backoff` : `✕${d.failed} failed`;
      });
    flightRows.each(function eachRequest(d) {
      const row = select(this);
      row
        .select('g.am-dots')
        .selectAll('circle')
        .data(flightDots(d))
        .join('circle')
        .attr('cx', (_c, i) => labelWidth + i * dotStep + 3)
        .attr('cy', 5)
        .attr('r', 2.8)
        .style('fill', (c) => c)
        .style('stroke', instrumentColours.muted)
        .style('stroke-width', 0.6);
      const live = row
        .select('g.am-live')
        .selectAll<SVGGElement, InFlightReading['live'][number]>('g.am-attempt')
        .data(d.live)
        .join((enter) => {
          const g = enter.append('g').attr('class', 'am-attempt');
          g.append('rect');
          g.append('line');
          return g;
        });
      const lane = trackHeight / Math.max(1, d.live.length);
      live
        .select('rect')
        .attr('x', (a) => xOf(a.sentAfterUs))
        .attr('y', (_a, i) => i * lane)
        .attr('width', (a) => Math.max(1.5, xOf(d.elapsedUs) - xOf(a.sentAfterUs)))
        .attr('height', lane)
        .style('fill', (a) => kindColour[a.kind]);
      // The per-try timeout: the attempt counts as failed if no answer comes by this tick.
      live
        .select('line')
        .attr('x1', (a) => xOf(a.sentAfterUs + data.tryTimeoutUs))
        .attr('x2', (a) => xOf(a.sentAfterUs + data.tryTimeoutUs))
        .attr('y1', (_a, i) => i * lane - 1)
        .attr('y2', (_a, i) => (i + 1) * lane + 1)
        .style('stroke', instrumentColours.text)
        .style('stroke-width', 1.5);
    });

    // Answered requests, newest first: attempts, outcome, latency.
    const answered = group(root, 'am-answered');
    textAt(
      answered,
      'am-answered-title',
      0,
      layout.answeredTop - 2,
      data.hasAmbassador ? 'Answered, newest first: attempts and latency' : '',
      'start',
      10,
      instrumentColours.muted,
    );
    const answeredRows = answered
      .selectAll<SVGGElement, AnsweredReading>('g.am-answered-row')
      .data(data.answered, (d) => `${d.app}#${d.requestId}`)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'am-answered-row');
        g.append('text').attr('class', 'am-id');
        g.append('rect').attr('class', 'am-track');
        g.append('rect').attr('class', 'am-latency');
        g.append('text').attr('class', 'am-outcome');
        g.append('g').attr('class', 'am-dots');
        return g;
      })
      .attr('transform', (_d, i) => `translate(0,${layout.answeredTop + 4 + i * rowStep})`);
    answeredRows
      .select('text.am-id')
      .attr('x', 0)
      .attr('y', 9)
      .style('font-size', '9.5px')
      .style('fill', instrumentColours.text)
      .text((d) => shortId(d.requestId));
    answeredRows
      .select('rect.am-track')
      .attr('x', x0)
      .attr('y', 0)
      .attr('width', trackWidth)
      .attr('height', trackHeight)
      .style('fill', instrumentColours.surface)
      .style('stroke', instrumentColours.grid);
    answeredRows
      .select('rect.am-latency')
      .attr('x', x0)
      .attr('y', 1)
      .attr('width', (d) => xOf(d.latencyMs * 1000) - x0)
      .attr('height', trackHeight - 2)
      .style('fill', (d) => (d.outcome === 'ok' ? instrumentColours.ok : failedColour));
    // The latency and outcome after the bar where they fit, else inside it, else the latency alone.
    const charPx = 5.2;
    const placeOutcome = (
      d: AnsweredReading,
    ): { readonly text: string; readonly x: number; readonly isInside: boolean } => {
      const end = xOf(d.latencyMs * 1000);
      const full = `${d.latencyMs} ms${d.outcome === 'ok' ? '' : ` · ${d.outcome}`}`;
      const short = `${d.latencyMs} ms`;
      for (const text of [full, short]) {
        const width = text.length * charPx;
        if (end + 3 + width <= widthPx) return { text, x: end + 3, isInside: false };
        if (end - x0 >= width + 6) return { text, x: end - 3, isInside: true };
      }
      return { text: short, x: widthPx, isInside: false };
    };
    answeredRows
      .select('text.am-outcome')
      .attr('x', (d) => placeOutcome(d).x)
      .attr('y', 8.5)
      .attr('text-anchor', (d) =>
        placeOutcome(d).isInside || placeOutcome(d).x === widthPx ? 'end' : 'start',
      )
      .style('font-size', '9px')
      .style('fill', (d) => (placeOutcome(d).isInside ? '#ffffff' : instrumentColours.text))
      .text((d) => placeOutcome(d).text);
    answeredRows.each(function eachAnswer(d) {
      select(this)
        .select('g.am-dots')
        .selectAll('circle')
        .data(answeredDots(d))
        .join('circle')
        .attr('cx', (_c, i) => labelWidth + i * dotStep + 3)
        .attr('cy', 5)
        .attr('r', 2.8)
        .style('fill', (c) => c)
        .style('stroke', instrumentColours.muted)
        .style('stroke-width', 0.6);
    });

    // The legend.
    const legend = group(root, 'am-legend');
    const keys = data.hasAmbassador
      ? [
          { id: 'first', label: 'first try', colour: kindColour.first },
          { id: 'retry', label: 'retry', colour: kindColour.retry },
          { id: 'hedge', label: 'hedge', colour: kindColour.hedge },
          { id: 'failed', label: 'failed', colour: failedColour },
          { id: 'earlier', label: 'earlier+backoff', colour: earlierColour },
        ]
      : [];
    // Two lines: the attempt kinds, then failures and the earlier part.
    const placed = keys.map((key, index) => {
      const line = index < 3 ? 0 : 1;
      const before = keys.slice(line === 0 ? 0 : 3, index);
      const at = before.reduce((sum, each) => sum + 20 + each.label.length * 5.2, 0);
      return { ...key, at, line };
    });
    const legendItems = legend
      .selectAll<SVGGElement, (typeof placed)[number]>('g.am-key')
      .data(placed, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'am-key');
        g.append('rect');
        g.append('text');
        return g;
      })
      .attr('transform', (d) => `translate(${d.at},${layout.legendTop + d.line * 13})`);
    legendItems
      .select('rect')
      .attr('x', 0)
      .attr('y', -7)
      .attr('width', 8)
      .attr('height', 8)
      .style('fill', (d) => d.colour);
    legendItems
      .select('text')
      .attr('x', 11)
      .attr('y', 0)
      .style('font-size', '9.5px')
      .style('fill', instrumentColours.muted)
      .text((d) => d.label);
    textAt(
      legend,
      'am-tick',
      widthPx,
      layout.legendTop + 13,
      data.hasAmbassador ? '| per-try timeout' : '',
      'end',
      9.5,
      instrumentColours.muted,
    );
  },
};
