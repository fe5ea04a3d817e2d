import { useEffect, useRef } from 'react';
import { useWidth } from './useWidth.ts';

export interface D3SvgProps {
  /** Draws the chart into the svg at the given size; a new function redraws it. */
  readonly draw: (svg: SVGSVGElement, widthPx: number, heightPx: number) => void;
  /** Read by assistive technology instead of the drawing; null hides a drawing described elsewhere. */
  readonly ariaLabel: string | null;
  /** Fixed, or worked out from the width. */
  readonly heightPx: number | ((widthPx: number) => number);
  readonly className: string;
}

/**
 * The frame every d3 chart here shares: React renders an empty <svg> as wide as its wrapper;
 * `draw` (d3) fills it from an effect, so React never reconciles the marks. Callers memoise
 * `draw` on their data (useCallback) so that it runs only when the data or the size change.
 */
export function D3Svg({ draw, ariaLabel, heightPx: height, className }: D3SvgProps) {
  const wrapper = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const widthPx = useWidth(wrapper);
  const heightPx = typeof height === 'number' ? height : height(widthPx);

  useEffect(() => {
    if (svg.current === null || widthPx <= 0) return;
    draw(svg.current, widthPx, heightPx);
  }, [draw, widthPx, heightPx]);

  return (
    <div ref={wrapper} className={className}>
      {ariaLabel === null ? (
        <svg ref={svg} aria-hidden="true" width={widthPx} height={heightPx} />
      ) : (
        <svg ref={svg} role="img" aria-label={ariaLabel} width={widthPx} height={heightPx} />
      )}
    </div>
  );
}
