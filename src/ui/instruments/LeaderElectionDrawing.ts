import {
  type ElectionInstrumentData,
  type ElectionNodeReading,
  isStanding,
} from '../../scenarios/leader-election/instrument.ts';
import { select } from 'd3-selection';
import { group, instrumentColours, type Parent, rootOf, textAt } from './d3Kit.ts';
import type { InstrumentDrawing } from './types.ts';

const headerY = 10;
const rowsTop = 18;
const rowHeight = 20;
const pillHeight = 16;
const footerHeight = 44;

/** Column positions, in pixels from the left. */
const column = { id: 2, role: 24, term: 100, voted: 106, last: 150 } as const;
const pillWidth = 56;

function roleColour(node: ElectionNodeReading): string {
  if (node.role === 'leader') return instrumentColours.ok;
  if (isStanding(node.role)) return instrumentColours.warn;
  if (node.role === 'down') return instrumentColours.muted;
  return instrumentColours.info;
}

/** A role is drawn filled when it is taking part in (or has won) an election. */
function isFilled(node: ElectionNodeReading): boolean {
  return node.role === 'leader' || isStanding(node.role);
}

function rowsHeight(data: ElectionInstrumentData): number {
  return rowsTop + data.nodes.length * rowHeight;
}

/**
 * The election: one row per server with its role (leader lit green, candidates amber), its term,
 * whom it voted for in that term, and either the votes it has collected (one dot per server,
 * a tick at the majority) or the leader it follows. Under the rows, what a leader needs and the
 * timeout range the followers draw from.
 */
export const leaderElectionDrawing: InstrumentDrawing = {
  heightPx: (raw) => rowsHeight(raw as ElectionInstrumentData) + footerHeight,
  draw(svg, raw, widthPx) {
    const data = raw as ElectionInstrumentData;
    const root = rootOf(svg);
    const isRaft = data.algorithm === 'raft';

    const header = group(root, 'le-header');
    const headers = [
      { id: 'role', x: column.role, text: 'role', anchor: 'start' },
      { id: 'term', x: column.term, text: 'term', anchor: 'end' },
      { id: 'voted', x: column.voted, text: isRaft ? 'voted' : '', anchor: 'start' },
      { id: 'last', x: column.last, text: isRaft ? 'votes/leader' : 'leader', anchor: 'start' },
    ] as const;
    for (const entry of headers) {
      textAt(
        header,
        `le-head-${entry.id}`,
        entry.x,
        headerY,
        entry.text,
        entry.anchor,
        10,
        instrumentColours.muted,
      );
    }

    const rows = group(root, 'le-rows')
      .selectAll<SVGGElement, ElectionNodeReading>('g.le-node')
      .data(data.nodes, (d) => d.id)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'le-node');
        g.append('rect').attr('class', 'le-lit').attr('rx', 4);
        g.append('text').attr('class', 'le-id');
        g.append('rect').attr('class', 'le-pill').attr('rx', 8);
        g.append('text').attr('class', 'le-role').attr('text-anchor', 'middle');
        g.append('text').attr('class', 'le-term').attr('text-anchor', 'end');
        g.append('text').attr('class', 'le-voted');
        g.append('text').attr('class', 'le-follows');
        g.append('g').attr('class', 'le-votes');
        g.append('rect').attr('class', 'le-timer');
        return g;
      })
      .attr('transform', (_, i) => `translate(0,${rowsTop + i * rowHeight})`);

    const isUsable = (d: ElectionNodeReading): boolean => d.id === data.usableLeader;
    rows
      .select('rect.le-lit')
      .attr('x', 0)
      .attr('y', 0)
      .attr('width', widthPx)
      .attr('height', rowHeight - 2)
      .style('fill', (d) => (isUsable(d) ? instrumentColours.surface : 'none'))
      .style('stroke', (d) => (isUsable(d) ? instrumentColours.ok : 'none'))
      .style('stroke-width', 2);
    const midY = (rowHeight - 2) / 2;
    rows
      .select('text.le-id')
      .attr('x', column.id)
      .attr('y', midY + 4)
      .style('font-size', '11px')
      .style('font-weight', '700')
      .style('fill', instrumentColours.text)
      .text((d) => d.id);
    rows
      .select('rect.le-pill')
      .attr('x', column.role)
      .attr('y', midY - pillHeight / 2)
      .attr('width', pillWidth)
      .attr('height', pillHeight)
      .style('fill', (d) => (isFilled(d) ? roleColour(d) : 'none'))
      .style('stroke', roleColour)
      .style('stroke-dasharray', (d) => (d.role === 'down' ? '3 2' : null));
    rows
      .select('text.le-role')
      .attr('x', column.role + pillWidth / 2)
      .attr('y', midY + 4)
      .style('font-size', (d) => (d.role.length > 7 ? '9px' : '10px'))
      .style('font-weight', (d) => (isFilled(d) ? '700' : '400'))
      .style('fill', (d) => (isFilled(d) ? '#ffffff' : instrumentColours.text))
      .text((d) => d.role);
    rows
      .select('text.le-term')
      .attr('x', column.term)
      .attr('y', midY + 4)
      .style('font-size', '11px')
      .style('fill', instrumentColours.text)
      .text((d) => String(d.term));
    rows
      .select('text.le-voted')
      .attr('x', column.voted)
      .attr('y', midY + 4)
      .style('font-size', '11px')
      .style('fill', (d) =>
        d.votedFor === null ? instrumentColours.muted : instrumentColours.text,
      )
      .text((d) => (isRaft ? (d.votedFor ?? 'nobody') : ''));

    // The election timer draining under each row, against the longest timeout (RaftScope's ring).
    const timerWidth = widthPx - column.role;
    const fullUs = Math.max(1, data.timeoutMaxMs * 1000);
    rows
      .select('rect.le-timer')
      .attr('x', column.role)
      .attr('y', rowHeight - 4)
      .attr('height', 2.5)
      .attr('width', (d) =>
        d.timerLeftUs === null ? 0 : Math.min(1, d.timerLeftUs / fullUs) * timerWidth,
      )
      .style('fill', (d) =>
        d.timerLeftUs !== null && d.timerLeftUs < fullUs / 4
          ? instrumentColours.warn
          : instrumentColours.info,
      );

    // Followers: the leader they follow. Candidates and leaders (Raft): the votes they hold.
    const showsVotes = (d: ElectionNodeReading): boolean =>
      isRaft && (d.role === 'leader' || d.role === 'candidate');
    rows
      .select('text.le-follows')
      .attr('x', column.last)
      .attr('y', midY + 4)
      .style('font-size', '11px')
      .style('fill', (d) =>
        d.leaderId === null ? instrumentColours.muted : instrumentColours.text,
      )
      .text((d) => {
        if (showsVotes(d) || d.role === 'down') return '';
        if (d.role === 'leader') return 'itself';
        return d.leaderId === null ? 'none' : `→ ${d.leaderId}`;
      });

    const count = Math.max(1, data.clusterSize);
    const labelWidth = 26;
    const step = Math.max(4, Math.min(11, (widthPx - column.last - labelWidth) / count));
    const voters = data.nodes.map((node) => node.id);
    rows.select('g.le-votes').each(function (d) {
      const votes = select(this as SVGGElement) as unknown as Parent;
      const slots = showsVotes(d) ? voters.slice(0, count) : [];
      votes
        .selectAll('circle.le-vote')
        .data(slots)
        .join('circle')
        .attr('class', 'le-vote')
        .attr('cx', (_, i) => column.last + step * (i + 0.5))
        .attr('cy', midY)
        .attr('r', Math.max(1.5, step / 2 - 1))
        .style('fill', (id) => (d.votes.includes(id) ? roleColour(d) : 'none'))
        .style('stroke', roleColour(d));
      votes
        .selectAll('line.le-majority')
        .data(showsVotes(d) ? [data.majority] : [])
        .join('line')
        .attr('class', 'le-majority')
        .attr('x1', (m) => column.last + step * m)
        .attr('x2', (m) => column.last + step * m)
        .attr('y1', midY - 8)
        .attr('y2', midY + 8)
        .style('stroke', instrumentColours.text)
        .style('stroke-width', 1.5);
      textAt(
        votes,
        'le-vote-count',
        column.last + step * slots.length + 4,
        midY + 4,
        showsVotes(d) ? `${d.votes.length}/${data.clusterSize}` : '',
        'start',
        10,
      );
    });

    const footer = group(root, 'le-footer');
    const top = rowsHeight(data);
    const shown = data.nodes.length < data.clusterSize ? ` (first ${data.nodes.length} shown)` : '';
    textAt(
      footer,
      'le-majority-text',
      0,
      top + 11,
      isRaft
        ? `A leader needs ${data.majority} of ${data.clusterSize} votes (tick)${shown}.`
        : `Highest id alive wins; no votes, no majority${shown}.`,
      'start',
      10,
      instrumentColours.muted,
    );
    textAt(
      footer,
      'le-timeout-text',
      0,
      top + 25,
      `Blue bars: election timers draining (full: ${data.timeoutMaxMs} ms).`,
      'start',
      10,
      instrumentColours.muted,
    );
    textAt(
      footer,
      'le-heartbeat-text',
      0,
      top + 39,
      `A leader's heartbeat every ${data.heartbeatMs} ms refills them.`,
      'start',
      10,
      instrumentColours.muted,
    );
  },
};
