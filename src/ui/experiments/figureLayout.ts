import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { ExperimentResult } from '../../experiments/run.ts';

/*
 * Where an experiment's figure puts things, as plain data: the axes' ticks, each series' line
 * and points (mean with its 95% interval), and each theory curve's line, in a fixed viewBox the
 * SVG scales to its width. A pure function of the result, so a test can check the drawing's
 * geometry without a DOM.
 */

export const figureWidth = 320;
export const figureHeight = 200;
const margin = { top: 10, right: 10, bottom: 30, left: 44 };
const tickCount = 5;

export interface FigurePoint {
  readonly seriesIndex: number;
  readonly pointIndex: number;
  readonly cx: number;
  readonly cy: number;
  /** The 95% interval's ends, in pixels (equal to cy when there is one seed). */
  readonly lowY: number;
  readonly highY: number;
}

export interface FigureLayout {
  readonly plot: {
    readonly left: number;
    readonly right: number;
    readonly top: number;
    readonly bottom: number;
  };
  readonly xTicks: readonly { readonly at: number; readonly label: string }[];
  readonly yTicks: readonly { readonly at: number; readonly label: string }[];
  readonly series: readonly { readonly path: string; readonly points: readonly FigurePoint[] }[];
  readonly theory: readonly { readonly path: string; readonly seriesIndex: number | null }[];
}

function tickLabel(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}

export function figureLayout(result: ExperimentResult): FigureLayout {
  const plot = {
    left: margin.left,
    right: figureWidth - margin.right,
    top: margin.top,
    bottom: figureHeight - margin.bottom,
  };
  const xs = result.series.flatMap((series) => series.points.map((point) => point.x));
  const ys = [
    ...result.series.flatMap((series) =>
      series.points.flatMap((point) => [point.y.mean - point.y.ci95, point.y.mean + point.y.ci95]),
    ),
    ...result.theory.flatMap((curve) => curve.points.map((point) => point.y)),
  ].filter((value) => Number.isFinite(value));
  const x = scaleLinear()
    .domain([Math.min(...xs), Math.max(...xs)])
    .range([plot.left, plot.right]);
  const y = scaleLinear()
    .domain([Math.min(0, ...ys), Math.max(...ys)])
    .nice()
    .range([plot.bottom, plot.top]);
  const path = line<{ x: number; y: number }>()
    .x((point) => x(point.x))
    .y((point) => y(point.y));
  const seriesIds = result.series.map((series) => series.id);
  return {
    plot,
    xTicks: x.ticks(tickCount).map((at) => ({ at: x(at), label: tickLabel(at) })),
    yTicks: y.ticks(tickCount).map((at) => ({ at: y(at), label: tickLabel(at) })),
    series: result.series.map((series, seriesIndex) => ({
      path: path(series.points.map((point) => ({ x: point.x, y: point.y.mean }))) ?? '',
      points: series.points.map((point, pointIndex) => ({
        seriesIndex,
        pointIndex,
        cx: x(point.x),
        cy: y(point.y.mean),
        lowY: y(point.y.mean - point.y.ci95),
        highY: y(point.y.mean + point.y.ci95),
      })),
    })),
    theory: result.theory.map((curve) => ({
      path: path(curve.points) ?? '',
      seriesIndex: curve.series === null ? null : seriesIds.indexOf(curve.series),
    })),
  };
}
