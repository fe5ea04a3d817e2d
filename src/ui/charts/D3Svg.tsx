import { useEffect, useRef } from 'react';
import { useWidth } from './useWidth.ts';

export interface D3SvgProps {
  /** Draws the chart into the svg at the given size; a new function redraws it. */
  readonly draw: (svg: SVGSVGElement, widthPx: number, heightPx: number) => void;
  /** Read by assistive technology instead of the drawing. */
  readonly ariaLabel: string;
  readonly heightPx: number;
  readonly className: string;
}

/**
 * The frame every d3 chart here shares: React renders an empty <svg> as wide as its wrapper;
 * `draw` (d3) fills it from an effect, so React never reconciles the marks. Callers memoise
 * `draw` on their data (useCallback) so that it runs only when the data or the size change.
 */
export function D3Svg({ draw, ariaLabel, heightPx, className }: D3SvgProps) {
  const wrapper = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const widthPx = useWidth(wrapper);

  useEffect(() => {
    if (svg.current === null || widthPx <= 0) return;
    draw(svg.current, widthPx, heightPx);
  }, [draw, widthPx, heightPx]);

  return (
    <div ref={wrapper} className={className}>
      <svg ref={svg} role="img" aria-label={ariaLabel} width={widthPx} height={heightPx} />
    </div>
  );
}
