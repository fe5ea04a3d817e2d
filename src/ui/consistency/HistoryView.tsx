import { type KeyboardEvent, useRef } from 'react';
import type { Operation } from '../../consistency/history.ts';
import type { Violation } from '../../consistency/verdict.ts';
import { secondsText } from '../../worker/commandText.ts';
import { opLabel, opName, showingText } from './consistencyText.ts';
import { useWidth } from '../charts/useWidth.ts';
import { layoutHistory } from './historyLayout.ts';

/** Bars drawn at most: enough for the anomaly and what overlaps it, few enough to read. */
export const historyBarsMax = 40;

/** Plot width before the figure has been measured (and in test DOMs, which do not lay out). */
const plotWidthFallback = 640;
/** Narrowest plot: below it bars of a few milliseconds vanish. */
const plotWidthMin = 160;
const laneHeight = 26;
const barHeight = 16;
const gutter = 44;
const axisHeight = 18;
const faultHeight = 14;

/** Whether a label fits on a bar this wide (about 6.5 px a character at the view's size). */
function fits(label: string, width: number): boolean {
  return width >= label.length * 6.5 + 6;
}

/**
 * The history around one violation: a lane per client (sessions as the history names them), a
 * bar per operation from invocation to answer, the witness highlighted, ops the longest order
 * could not place outlined, faults as vertical marks. Each bar is a button (`onOpen`): the panel
 * takes the run to the operation's answer and picks its messages.
 */
export function HistoryView({
  ops,
  violation,
  model,
  faults,
  onOpen,
}: {
  readonly ops: readonly Operation[];
  /** The model the violation breaks, in words: each verdict's picture gets its own name. */
  readonly model: string;
  readonly violation: Violation;
  readonly faults: readonly { readonly atUs: number; readonly label: string }[];
  readonly onOpen: (op: Operation) => void;
}) {
  // Drawn at the width it is shown at, so its text stays at the page's size in a narrow column.
  const box = useRef<HTMLElement>(null);
  const widthPx = useWidth(box);
  const plotWidth = widthPx > 0 ? Math.max(plotWidthMin, widthPx - gutter - 8) : plotWidthFallback;
  const layout = layoutHistory(ops, {
    witness: violation.ops,
    unplaced: violation.unplaced ?? [],
    key: violation.key,
    faults,
    maxBars: historyBarsMax,
    width: plotWidth,
  });
  if (layout.bars.length === 0) return <figure ref={box} className="history-view" />;
  const height = faultHeight + layout.lanes.length * laneHeight + axisHeight;
  const top = faultHeight;
  const onKey = (op: Operation) => (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onOpen(op);
  };
  return (
    <figure ref={box} className="history-view">
      <figcaption className="muted">
        {showingText(layout.bars.length, layout.total)}, {secondsText(layout.startUs)} to{' '}
        {secondsText(layout.endUs)}; the anomaly&apos;s operations are highlighted
        {violation.unplaced !== undefined && violation.unplaced.length > 0
          ? ', the ones no order can place are outlined'
          : ''}
        . Choose one to go to its answer, its messages drawn bold in the space-time diagram and its
        path lit in the topology.
      </figcaption>
      <svg
        className="history-svg"
        viewBox={`0 0 ${gutter + plotWidth + 8} ${height}`}
        role="group"
        aria-label={`Operations by client over simulated time, breaking ${model}`}
      >
        {layout.lanes.map((lane, index) => (
          <text
            key={lane}
            className="history-lane"
            x={gutter - 6}
            y={top + index * laneHeight + laneHeight / 2}
            textAnchor="end"
            dominantBaseline="middle"
          >
            {lane}
          </text>
        ))}
        {layout.faults.map((fault, index) => (
          <g key={`${fault.atUs}-${index}`} className="history-fault">
            <title>{`${secondsText(fault.atUs)} · ${fault.label}`}</title>
            <line
              x1={gutter + fault.x}
              x2={gutter + fault.x}
              y1={2}
              y2={top + layout.lanes.length * laneHeight}
            />
            <text x={gutter + fault.x + 2} y={10}>
              ⚡
            </text>
          </g>
        ))}
        {layout.bars.map((bar) => {
          const classes = ['history-bar'];
          if (bar.isWitness) classes.push('is-witness');
          if (bar.isUnplaced) classes.push('is-unplaced');
          if (!bar.isAnswered) classes.push('is-open');
          const y = top + bar.lane * laneHeight + (laneHeight - barHeight) / 2;
          const label = opLabel(bar.op);
          const name = `${opName(bar.op)}${bar.isWitness ? ', part of the anomaly' : ''}${bar.isUnplaced ? ', cannot be placed' : ''}`;
          return (
            <g
              key={bar.op.id}
              className={classes.join(' ')}
              role="button"
              tabIndex={0}
              aria-label={name}
              onClick={() => {
                onOpen(bar.op);
              }}
              onKeyDown={onKey(bar.op)}
            >
              <title>{name}</title>
              <rect x={gutter + bar.x} y={y} width={bar.width} height={barHeight} rx={3} />
              {/* Labels of short bars (witness ones too) would overlap their neighbours: the sentence and the name say it. */}
              {fits(label, bar.width) ? (
                <text x={gutter + bar.x + 3} y={y + barHeight / 2} dominantBaseline="middle">
                  {label}
                </text>
              ) : null}
            </g>
          );
        })}
        <text className="history-axis" x={gutter} y={height - 4}>
          {secondsText(layout.startUs)}
        </text>
        <text className="history-axis" x={gutter + plotWidth} y={height - 4} textAnchor="end">
          {secondsText(layout.endUs)}
        </text>
      </svg>
    </figure>
  );
}
