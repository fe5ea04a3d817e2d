import {
  type RouteReading,
  type RoutesInstrumentData,
  type RouteStage,
  recentMax,
} from '../../scenarios/strangler-fig/instrument.ts';
import { select } from 'd3-selection';
import { group, instrumentColours, rootOf, textAt } from './d3Kit.ts';
import type { InstrumentDrawing } from './types.ts';

/** Legacy's colour: a mid-tone slate that reads on light and dark. */
const legacyColour = '#64748b';
const newColour = instrumentColours.info;

const stageColour: Readonly<Record<RouteStage, string>> = {
  legacy: legacyColour,
  shadow: instrumentColours.violet,
  canary: instrumentColours.warn,
  new: instrumentColours.ok,
  'rolled back': instrumentColours.bad,
};

const rowHeight = 50;
const rowsTop = 2;
const barHeight = 12;
const cell = 5;

function footerTop(data: RoutesInstrumentData): number {
  return rowsTop + data.routes.length * rowHeight + 12;
}

function detailText(route: RouteReading, minCalls: number): string {
  const parts: string[] = [];
  if (route.stage === 'rolled back') {
    parts.push(route.rollbacks === 1 ? 'rolled back once' : `rolled back ${route.rollbacks}×`);
  }
  if (route.windowCalls > 0) {
    parts.push(`${route.windowFailures}/${route.windowCalls} failed`);
  } else if (route.stage !== 'legacy' && route.stage !== 'rolled back') {
    parts.push(`judged from ${minCalls}`);
  }
  if (route.isShadow || route.compared > 0) {
    parts.push(`${route.mismatches} of ${route.compared} differ`);
  }
  return parts.join(' · ');
}

/**
 * The facade's routes: per route its stage, a bar splitting its users between legacy and new
 * (with the shadow copy marked), the new service's newest outcomes in the rollback window and
 * the shadow comparisons; under them the rollback rule and legacy's state.
 */
export const stranglerFigDrawing: InstrumentDrawing = {
  heightPx: (raw) => footerTop(raw as RoutesInstrumentData) + 36,
  draw(svg, raw, widthPx) {
    const data = raw as RoutesInstrumentData;
    const root = rootOf(svg);
    const rows = group(root, 'sf-routes')
      .selectAll<SVGGElement, RouteReading>('g.sf-route')
      .data(data.routes, (d) => d.name)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'sf-route');
        g.append('text').attr('class', 'sf-name');
        g.append('text').attr('class', 'sf-stage').attr('text-anchor', 'end');
        g.append('rect').attr('class', 'sf-track');
        g.append('rect').attr('class', 'sf-legacy');
        g.append('rect').attr('class', 'sf-new');
        g.append('rect').attr('class', 'sf-shadow');
        g.append('text').attr('class', 'sf-legacy-label');
        g.append('text').attr('class', 'sf-new-label').attr('text-anchor', 'end');
        g.append('g').attr('class', 'sf-window');
        g.append('text').attr('class', 'sf-detail').attr('text-anchor', 'end');
        return g;
      })
      .attr('transform', (_d, i) => `translate(0,${rowsTop + i * rowHeight})`);

    rows
      .select('text.sf-name')
      .attr('x', 0)
      .attr('y', 11)
      .style('font-size', '12px')
      .style('font-weight', '600')
      .style('fill', instrumentColours.text)
      .text((d) => `/${d.name}`);
    rows
      .select('text.sf-stage')
      .attr('x', widthPx)
      .attr('y', 11)
      .style('font-size', '11px')
      .style('font-weight', '700')
      .style('fill', (d) => stageColour[d.stage])
      .text((d) =>
        d.stage === 'canary'
          ? `canary ${d.percentNew}%${d.isShadow ? ' + shadow' : ''}`
          : d.stage === 'new' && d.rollbacks > 0
            ? `new (${d.rollbacks} rollback${d.rollbacks === 1 ? '' : 's'} before)`
            : d.stage,
      );

    // The split: legacy's share of the users from the left, new's from the right.
    const barY = 16;
    const legacyWidth = (d: RouteReading): number => ((100 - d.percentNew) / 100) * widthPx;
    rows
      .select('rect.sf-track')
      .attr('x', 0)
      .attr('y', barY)
      .attr('width', widthPx)
      .attr('height', barHeight)
      .style('fill', instrumentColours.surface)
      .style('stroke', instrumentColours.grid);
    rows
      .select('rect.sf-legacy')
      .attr('x', 0)
      .attr('y', barY)
      .attr('width', legacyWidth)
      .attr('height', barHeight)
      .style('fill', legacyColour);
    rows
      .select('rect.sf-new')
      .attr('x', legacyWidth)
      .attr('y', barY)
      .attr('width', (d) => widthPx - legacyWidth(d))
      .attr('height', barHeight)
      .style('fill', newColour);
    // A shadowed route copies legacy's requests to new: a dashed band over the legacy part.
    rows
      .select('rect.sf-shadow')
      .attr('x', 1)
      .attr('y', barY + 1)
      .attr('width', (d) => (d.isShadow ? Math.max(0, legacyWidth(d) - 2) : 0))
      .attr('height', barHeight - 2)
      .style('fill', 'none')
      .style('stroke', instrumentColours.violet)
      .style('stroke-width', 2)
      .style('stroke-dasharray', '4 3');
    rows
      .select('text.sf-legacy-label')
      .attr('x', 3)
      .attr('y', barY + barHeight - 2.5)
      .style('font-size', '9.5px')
      .style('fill', '#ffffff')
      .text((d) =>
        d.percentNew >= 100
          ? ''
          : legacyWidth(d) >= 78
            ? `legacy ${100 - d.percentNew}%${d.isShadow ? ' ⇢ copy' : ''}`
            : `${100 - d.percentNew}%`,
      );
    rows
      .select('text.sf-new-label')
      .attr('x', widthPx - 3)
      .attr('y', barY + barHeight - 2.5)
      .style('font-size', '9.5px')
      .style('fill', '#ffffff')
      .text((d) =>
        d.percentNew <= 0
          ? ''
          : widthPx - legacyWidth(d) >= 50
            ? `new ${d.percentNew}%`
            : `${d.percentNew}%`,
      );

    // The new service's newest outcomes in the rollback window, oldest left.
    const windowY = barY + barHeight + 6;
    rows.each(function eachRoute(d) {
      const isUsed = d.stage !== 'legacy' || d.recent.length > 0;
      const slots = isUsed ? Array.from({ length: recentMax }, (_, i) => i) : [];
      const offset = recentMax - d.recent.length;
      select(this)
        .select('g.sf-window')
        .selectAll('rect.sf-slot')
        .data(slots)
        .join('rect')
        .attr('class', 'sf-slot')
        .attr('x', (i) => i * (cell + 1))
        .attr('y', windowY)
        .attr('width', cell)
        .attr('height', 9)
        .style('fill', (i) => {
          const bit = d.recent[i - offset];
          return bit === undefined
            ? 'none'
            : bit === 1
              ? instrumentColours.bad
              : instrumentColours.ok;
        })
        .style('stroke', instrumentColours.grid)
        .style('stroke-width', 0.6);
    });
    rows
      .select('text.sf-detail')
      .attr('x', widthPx)
      .attr('y', windowY + 8.5)
      .style('font-size', '10px')
      .style('fill', (d) =>
        d.windowCalls >= data.minCalls &&
        d.windowFailures * 100 >= data.thresholdPct * d.windowCalls &&
        d.windowFailures > 0
          ? instrumentColours.bad
          : d.mismatches > 0
            ? instrumentColours.warn
            : instrumentColours.muted,
      )
      .text((d) => detailText(d, data.minCalls));

    // The rollback rule and legacy.
    const footer = group(root, 'sf-footer');
    const top = footerTop(data);
    textAt(
      footer,
      'sf-key',
      0,
      top,
      'Squares: new-service calls, newest right',
      'start',
      10,
      instrumentColours.muted,
    );
    textAt(
      footer,
      'sf-rule',
      0,
      top + 13,
      `Rolls back at ≥ ${data.thresholdPct}% failed of ≥ ${data.minCalls} calls in ${data.windowMs / 1000} s`,
      'start',
      10,
      instrumentColours.muted,
    );
    const legacyWords =
      data.legacy === 'retired'
        ? 'Legacy retired: no way back'
        : data.legacy === 'retiring'
          ? 'Legacy being retired'
          : 'Legacy serving';
    textAt(
      footer,
      'sf-legacy-state',
      0,
      top + 30,
      `${legacyWords}${data.isFacadeDown ? ' · facade down' : ''}`,
      'start',
      11,
      data.legacy === 'serving' ? legacyColour : instrumentColours.text,
    );
  },
};
