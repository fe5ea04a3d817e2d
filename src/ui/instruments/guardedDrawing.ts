import { instrumentColours, rootOf } from './d3Kit.ts';
import type { InstrumentDrawing } from './types.ts';

/** Height of the one line that replaces a drawing that failed. */
const failedHeightPx = 28;

/**
 * `drawing` with its failures kept inside the figure: a reading it cannot draw (a bug, or data of
 * an unexpected shape) shows one line saying so instead of taking the page down. The figure's
 * sentence, which is read from the world and not from the drawing, stays correct either way.
 */
export function guardedDrawing(drawing: InstrumentDrawing): InstrumentDrawing {
  let hasFailed = false;
  return {
    heightPx(data, widthPx) {
      try {
        hasFailed = false;
        return drawing.heightPx(data, widthPx);
      } catch {
        hasFailed = true;
        return failedHeightPx;
      }
    },
    draw(svg, data, widthPx, heightPx) {
      const root = rootOf(svg);
      try {
        if (hasFailed) throw new Error('its height could not be worked out');
        root.selectAll('text.instrument-failed').remove();
        drawing.draw(svg, data, widthPx, heightPx);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        root.selectAll('*').remove();
        root
          .append('text')
          .attr('class', 'instrument-failed')
          .attr('x', 4)
          .attr('y', 18)
          .style('fill', instrumentColours.muted)
          .text(`This reading could not be drawn (${reason}).`);
      }
    },
  };
}
