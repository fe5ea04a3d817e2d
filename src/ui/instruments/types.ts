/**
 * How the page draws one scenario's instrument. The data is the scenario's own shape (its
 * instrument.ts exports the type); a drawing checks nothing about it beyond what it reads.
 */
export interface InstrumentDrawing {
  /** The drawing's height for this reading at this width, in pixels. */
  heightPx(data: unknown, widthPx: number): number;
  /** Draws the reading into `svg` with d3; called again with each new reading (update, not append). */
  draw(svg: SVGSVGElement, data: unknown, widthPx: number, heightPx: number): void;
}
