import type { ExperimentPoint, ExperimentResult } from '../../experiments/run.ts';
import { pointLabel } from './experimentText.ts';
import { figureHeight, figureLayout, figureWidth } from './figureLayout.ts';

/** Colours per series (theme variables, so light and dark both work), in series order. */
const seriesClasses = ['experiment-series-a', 'experiment-series-b', 'experiment-series-c'];

function seriesClass(index: number | null): string {
  return index === null
    ? 'experiment-series-none'
    : (seriesClasses[index] ?? 'experiment-series-a');
}

/**
 * The experiment's figure as an SVG: each series' means joined by a line with their 95%
 * intervals, each theory curve dashed in its series' colour, and every point a button that opens
 * its seed-1 run. React draws the marks (there are at most a few dozen), d3 only places them.
 */
export function ExperimentFigure({
  result,
  onOpen,
}: {
  readonly result: ExperimentResult;
  readonly onOpen: (point: ExperimentPoint) => void;
}) {
  const layout = figureLayout(result);
  const { plot } = layout;
  const { x, y } = result.experiment;
  return (
    <figure className="experiment-figure">
      <svg
        viewBox={`0 0 ${figureWidth} ${figureHeight}`}
        role="group"
        aria-label={`${result.experiment.title}: ${y.label} against ${x.label}`}
      >
        <g className="experiment-axes" aria-hidden="true">
          <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} />
          <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} />
          {layout.xTicks.map((tick) => (
            <text key={`x${tick.label}`} x={tick.at} y={plot.bottom + 12} textAnchor="middle">
              {tick.label}
            </text>
          ))}
          {layout.yTicks.map((tick) => (
            <text key={`y${tick.label}`} x={plot.left - 4} y={tick.at + 3} textAnchor="end">
              {tick.label}
            </text>
          ))}
          <text x={(plot.left + plot.right) / 2} y={figureHeight - 2} textAnchor="middle">
            {x.label}
            {x.unit === '' || x.unit === 'ratio' ? '' : ` (${x.unit})`}
          </text>
        </g>
        {layout.theory.map((curve, index) => (
          <path
            key={result.theory[index]?.id ?? index}
            d={curve.path}
            className={`experiment-theory ${seriesClass(curve.seriesIndex)}`}
            aria-hidden="true"
          />
        ))}
        {layout.series.map((series, seriesIndex) => {
          const info = result.series[seriesIndex];
          return (
            <g key={info?.id ?? seriesIndex} className={seriesClass(seriesIndex)}>
              <path d={series.path} className="experiment-line" aria-hidden="true" />
              {series.points.map((mark) => {
                const point = info?.points[mark.pointIndex];
                if (info === undefined || point === undefined) return null;
                return (
                  <g
                    key={mark.pointIndex}
                    role="button"
                    tabIndex={0}
                    className="experiment-point"
                    aria-label={pointLabel(result, info.label, point)}
                    onClick={() => {
                      onOpen(point);
                    }}
                    onKeyDown={(event) => {
                      if (event.key !== 'Enter' && event.key !== ' ') return;
                      event.preventDefault();
                      onOpen(point);
                    }}
                  >
                    <line x1={mark.cx} x2={mark.cx} y1={mark.lowY} y2={mark.highY} />
                    <circle cx={mark.cx} cy={mark.cy} r={3.5} />
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="experiment-legend">
          {result.series.map((series, index) => (
            <li key={series.id} className={seriesClass(index)}>
              <span className="experiment-swatch" aria-hidden="true" /> {series.label}
            </li>
          ))}
          {result.theory.map((curve) => (
            <li
              key={curve.id}
              className={seriesClass(
                curve.series === null
                  ? null
                  : result.series.findIndex((series) => series.id === curve.series),
              )}
            >
              <span className="experiment-swatch is-dashed" aria-hidden="true" /> theory{' '}
              {curve.label}
            </li>
          ))}
        </ul>
        <span className="muted">
          y: {y.label}
          {y.unit === '' ? '' : ` (${y.unit})`}; bars: 95% intervals over {result.experiment.seeds}.
          Each point opens its seed-1 run.
        </span>
      </figcaption>
    </figure>
  );
}
