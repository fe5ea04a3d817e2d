import {
  type BreakerInstrumentData,
  outcomeKind,
  outcomesShownMax,
} from '../../scenarios/circuit-breaker/instrument.ts';
import { barRow, group, instrumentColours, rootOf, textAt } from './d3Kit.ts';
import type { InstrumentDrawing } from './types.ts';

const states = [
  { id: 'closed', label: 'closed', colour: instrumentColours.ok },
  { id: 'open', label: 'open', colour: instrumentColours.bad },
  { id: 'half-open', label: 'half-open', colour: instrumentColours.warn },
] as const;

/** The operator's forced states: the box each lights, and its name in that box. */
const forcedStates = {
  'forced-open': { lights: 'open', label: 'held open' },
  disabled: { lights: 'closed', label: 'disabled' },
  'metrics-only': { lights: 'closed', label: 'metrics only' },
} as const;

/** Where each state's box sits, as fractions of the width (closed left, open centre, half-open right). */
const stateX = { closed: 1 / 6, open: 3 / 6, 'half-open': 5 / 6 } as const;

const outcomeColour = {
  ok: instrumentColours.ok,
  slow: instrumentColours.warn,
  failed: instrumentColours.bad,
} as const;

const boxHeight = 26;
const machineTop = 18;
const windowTop = 96;
const ratesTop = 142;

/**
 * The breaker: its state machine with the current state lit and the transitions labelled, the
 * open-state countdown and half-open trials under their states, the sliding window's newest
 * outcomes, and the two rates against their thresholds.
 */
export const circuitBreakerDrawing: InstrumentDrawing = {
  heightPx: () => 196,
  draw(svg, raw, widthPx) {
    const data = raw as BreakerInstrumentData;
    const root = rootOf(svg);
    const boxWidth = Math.min(84, widthPx / 3 - 10);

    // The state machine.
    const machine = group(root, 'cb-machine');
    const arrows = [
      { from: 'closed', to: 'open' },
      { from: 'open', to: 'half-open' },
    ] as const;
    machine
      .selectAll('line.cb-arrow')
      .data(arrows)
      .join('line')
      .attr('class', 'cb-arrow')
      .attr('x1', (d) => stateX[d.from] * widthPx + boxWidth / 2)
      .attr('x2', (d) => stateX[d.to] * widthPx - boxWidth / 2 - 2)
      .attr('y1', machineTop + boxHeight / 2)
      .attr('y2', machineTop + boxHeight / 2)
      .style('stroke', instrumentColours.muted)
      .attr('marker-end', 'url(#cb-head)');
    const defs = group(root, 'cb-defs', 'defs');
    defs
      .selectAll('marker')
      .data([null])
      .join('marker')
      .attr('id', 'cb-head')
      .attr('viewBox', '0 0 8 8')
      .attr('refX', 7)
      .attr('refY', 4)
      .attr('markerWidth', 7)
      .attr('markerHeight', 7)
      .attr('orient', 'auto')
      .selectAll('path')
      .data([null])
      .join('path')
      .attr('d', 'M0,0 L8,4 L0,8 z')
      .style('fill', instrumentColours.muted);
    // Back from half-open: to closed when the trials pass (below), to open when one fails.
    const backY = machineTop + boxHeight + 14;
    machine
      .selectAll('path.cb-back')
      .data([null])
      .join('path')
      .attr('class', 'cb-back')
      .attr(
        'd',
        `M${stateX['half-open'] * widthPx},${machineTop + boxHeight} L${stateX['half-open'] * widthPx},${backY} L${stateX.closed * widthPx},${backY} L${stateX.closed * widthPx},${machineTop + boxHeight + 2}`,
      )
      .style('fill', 'none')
      .style('stroke', instrumentColours.muted)
      .attr('marker-end', 'url(#cb-head)');
    textAt(machine, 'cb-back-label', widthPx / 2, backY + 11, 'trials pass', 'middle', 10);
    textAt(
      machine,
      'cb-arrow-label-1',
      widthPx / 3,
      machineTop - 5,
      'rate ≥ threshold',
      'middle',
      10,
    );
    textAt(
      machine,
      'cb-arrow-label-2',
      (2 * widthPx) / 3,
      machineTop - 5,
      'wait ends',
      'middle',
      10,
    );

    // An operator's forced state lights the box it behaves like, named for what it is and drawn
    // dashed: held open refuses every call as open does; disabled and metrics only let every
    // call through as closed does.
    const forced = forcedStates[data.state as keyof typeof forcedStates] as
      (typeof forcedStates)[keyof typeof forcedStates] | undefined;
    const lit = forced?.lights ?? data.state;
    const boxes = machine
      .selectAll<SVGGElement, (typeof states)[number]>('g.cb-state')
      .data(states, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'cb-state');
        g.append('rect').attr('rx', 6);
        g.append('text').attr('text-anchor', 'middle');
        return g;
      })
      .attr(
        'transform',
        (d) => `translate(${stateX[d.id] * widthPx - boxWidth / 2},${machineTop})`,
      );
    boxes
      .select('rect')
      .attr('width', boxWidth)
      .attr('height', boxHeight)
      .style('fill', (d) => (d.id === lit ? d.colour : 'none'))
      .style('stroke', (d) => d.colour)
      .style('stroke-width', (d) => (d.id === lit ? 2.5 : 1.2))
      .style('stroke-dasharray', (d) => (d.id === lit && forced !== undefined ? '5 3' : null));
    boxes
      .select('text')
      .attr('x', boxWidth / 2)
      .attr('y', boxHeight / 2 + 4)
      .style('font-size', '12px')
      .style('font-weight', (d) => (d.id === lit ? '700' : '400'))
      .style('fill', (d) => (d.id === lit ? '#ffffff' : instrumentColours.text))
      .text((d) => (d.id === lit && forced !== undefined ? forced.label : d.label));

    // Under open: the countdown; under half-open: the trial calls.
    const openX = stateX.open * widthPx - boxWidth / 2;
    const countdown =
      data.openRemainingUs === null || data.waitInOpenUs <= 0
        ? 0
        : data.openRemainingUs / data.waitInOpenUs;
    barRow(machine, 'cb-countdown', openX, machineTop + boxHeight + 4, boxWidth, 5, [
      { fraction: countdown, colour: instrumentColours.bad },
    ]);
    const trialX = stateX['half-open'] * widthPx - boxWidth / 2;
    const trials = Array.from({ length: Math.min(20, data.permittedHalfOpenCalls) }, (_, i) => i);
    const step = boxWidth / Math.max(1, trials.length);
    machine
      .selectAll('circle.cb-trial')
      .data(trials)
      .join('circle')
      .attr('class', 'cb-trial')
      .attr('cx', (i) => trialX + step * (i + 0.5))
      .attr('cy', machineTop + boxHeight + 7)
      .attr('r', Math.min(3.5, step / 2 - 0.5))
      .style('fill', (i) =>
        data.state !== 'half-open'
          ? 'none'
          : i < data.probesFinished
            ? instrumentColours.ok
            : i < data.probesStarted
              ? instrumentColours.warn
              : 'none',
      )
      .style('stroke', instrumentColours.warn);

    // The sliding window: newest outcomes, oldest left.
    const windowGroup = group(root, 'cb-window');
    const label =
      data.state === 'half-open'
        ? 'Trial calls this half-open period'
        : data.state === 'open'
          ? data.calls === 0
            ? 'Window: emptied on opening'
            : 'Window: kept while open (late results recorded)'
          : data.windowKind === 'count'
            ? `Window: the last ${data.windowSize} calls`
            : `Window: calls in the last ${(data.windowSize / 1_000_000).toFixed(0)} s`;
    const shown = data.outcomes.length < data.calls ? ` (newest ${data.outcomes.length})` : '';
    textAt(windowGroup, 'cb-window-label', 0, windowTop - 6, `${label}${shown}`, 'start', 11);
    const cells = Math.max(outcomesShownMax / 2, Math.min(outcomesShownMax, data.windowSize));
    const cell = Math.min(14, widthPx / cells);
    windowGroup
      .selectAll('rect.cb-slot')
      .data(Array.from({ length: Math.min(cells, outcomesShownMax) }, (_, i) => i))
      .join('rect')
      .attr('class', 'cb-slot')
      .attr('x', (i) => i * cell + 0.5)
      .attr('y', windowTop)
      .attr('width', cell - 1.5)
      .attr('height', 14)
      .style('fill', (i) => {
        const bits = data.outcomes[i];
        return bits === undefined ? 'none' : outcomeColour[outcomeKind(bits)];
      })
      .style('stroke', instrumentColours.grid);
    const legend = [
      { id: 'ok', label: 'ok', colour: outcomeColour.ok },
      { id: 'slow', label: 'slow', colour: outcomeColour.slow },
      { id: 'failed', label: 'failed', colour: outcomeColour.failed },
    ];
    legend.forEach((entry, i) => {
      const x = i * 52;
      windowGroup
        .selectAll(`rect.cb-key-${entry.id}`)
        .data([null])
        .join('rect')
        .attr('class', `cb-key-${entry.id}`)
        .attr('x', x)
        .attr('y', windowTop + 20)
        .attr('width', 9)
        .attr('height', 9)
        .style('fill', entry.colour);
      textAt(
        windowGroup,
        `cb-key-label-${entry.id}`,
        x + 12,
        windowTop + 28,
        entry.label,
        'start',
        10,
      );
    });
    textAt(
      windowGroup,
      'cb-window-count',
      widthPx,
      windowTop + 28,
      `${data.calls} calls · judged from ${data.minimumCalls}`,
      'end',
      10,
    );

    // The rates against the thresholds.
    const rates = group(root, 'cb-rates');
    const judged = data.calls >= data.minimumCalls && data.calls > 0;
    const failRate = data.calls === 0 ? 0 : data.failures / data.calls;
    const slowRate = data.calls === 0 ? 0 : data.slow / data.calls;
    const labelWidth = 92;
    const barWidth = Math.max(40, widthPx - labelWidth - 8);
    const rows = [
      { id: 'fail', name: 'Failure rate', rate: failRate, threshold: data.failureRateThreshold },
      { id: 'slow', name: 'Slow-call rate', rate: slowRate, threshold: data.slowCallRateThreshold },
    ];
    rows.forEach((row, index) => {
      const y = ratesTop + index * 24;
      textAt(rates, `cb-rate-name-${row.id}`, 0, y + 9, row.name, 'start', 11);
      const over = judged && row.threshold <= 1 && row.rate >= row.threshold;
      barRow(rates, `cb-rate-${row.id}`, labelWidth, y, barWidth, 10, [
        { fraction: row.rate, colour: over ? instrumentColours.bad : instrumentColours.accent },
      ]);
      const marker = row.threshold <= 1 ? labelWidth + row.threshold * barWidth : null;
      rates
        .selectAll(`line.cb-threshold-${row.id}`)
        .data(marker === null ? [] : [marker])
        .join('line')
        .attr('class', `cb-threshold-${row.id}`)
        .attr('x1', (x) => x)
        .attr('x2', (x) => x)
        .attr('y1', y - 3)
        .attr('y2', y + 13)
        .style('stroke', instrumentColours.text)
        .style('stroke-width', 2);
      textAt(
        rates,
        `cb-rate-value-${row.id}`,
        labelWidth,
        y + 21,
        `${Math.round(row.rate * 100)}%${row.threshold <= 1 ? ` · opens at ${Math.round(row.threshold * 100)}%` : ' · off'}${judged ? '' : ' · not judged yet'}`,
        'start',
        10,
      );
    });
  },
};
