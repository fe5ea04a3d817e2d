// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type {
  ElectionInstrumentData,
  ElectionNodeReading,
} from '../../scenarios/leader-election/instrument.ts';
import { leaderElectionDrawing } from './LeaderElectionDrawing.ts';

const follower = (id: string, leaderId: string | null = null): ElectionNodeReading => ({
  id,
  role: 'follower',
  term: 1,
  votedFor: null,
  votes: [],
  leaderId,
  timerLeftUs: 150_000,
});

const electing: ElectionInstrumentData = {
  algorithm: 'raft',
  clusterSize: 5,
  majority: 3,
  nodes: [
    {
      id: 'n1',
      role: 'candidate',
      term: 1,
      votedFor: 'n1',
      votes: ['n1', 'n3'],
      leaderId: null,
      timerLeftUs: 60_000,
    },
    { ...follower('n2'), votedFor: 'n1' },
    { ...follower('n3'), votedFor: 'n1' },
    follower('n4'),
    { ...follower('n5'), role: 'down' },
  ],
  usableLeader: null,
  timeoutMinMs: 150,
  timeoutMaxMs: 300,
  heartbeatMs: 50,
  nextTimeout: { id: 'n1', leftUs: 60_000 },
};

function drawn(data: ElectionInstrumentData): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  leaderElectionDrawing.draw(svg, data, 300, leaderElectionDrawing.heightPx(data, 300));
  return svg;
}

function votesOf(svg: SVGSVGElement, id: string): string[] {
  const row = [...svg.querySelectorAll('g.le-node')].find(
    (g) => g.querySelector('text.le-id')?.textContent === id,
  );
  return [...(row?.querySelectorAll('circle.le-vote') ?? [])].map(
    (circle) => (circle as SVGCircleElement).style.fill,
  );
}

describe('leader election drawing', () => {
  it('draws a row per node with its role, term and vote, and the candidate’s votes', () => {
    const svg = drawn(electing);
    expect(svg.querySelectorAll('g.le-node')).toHaveLength(5);
    const roles = [...svg.querySelectorAll('text.le-role')].map((text) => text.textContent);
    expect(roles).toEqual(['candidate', 'follower', 'follower', 'follower', 'down']);
    const voted = [...svg.querySelectorAll('text.le-voted')].map((text) => text.textContent);
    expect(voted).toEqual(['n1', 'n1', 'n1', 'nobody', 'nobody']);
    // Votes from n1 and n3, in member order; the others are empty.
    expect(votesOf(svg, 'n1')).toEqual([
      'rgb(217, 119, 6)',
      'none',
      'rgb(217, 119, 6)',
      'none',
      'none',
    ]);
    expect(votesOf(svg, 'n2')).toEqual([]);
    expect(svg.querySelector('line.le-majority')).not.toBeNull();
    expect(svg.textContent).toContain('2/5');
    expect(svg.textContent).toContain('A leader needs 3 of 5 votes');
  });

  it('redraws in place: the winner is lit and the followers point at it', () => {
    const svg = drawn(electing);
    const won: ElectionInstrumentData = {
      ...electing,
      usableLeader: 'n1',
      nodes: [
        {
          id: 'n1',
          role: 'leader',
          term: 1,
          votedFor: 'n1',
          votes: ['n1', 'n3', 'n2'],
          leaderId: 'n1',
          timerLeftUs: null,
        },
        { ...follower('n2', 'n1'), votedFor: 'n1' },
        { ...follower('n3', 'n1'), votedFor: 'n1' },
        follower('n4', 'n1'),
        { ...follower('n5'), role: 'down' },
      ],
    };
    leaderElectionDrawing.draw(svg, won, 300, 200);
    expect(svg.querySelectorAll('g.le-node')).toHaveLength(5);
    const lit = [...svg.querySelectorAll('rect.le-lit')].map(
      (rect) => (rect as SVGRectElement).style.stroke,
    );
    expect(lit).toEqual(['rgb(22, 163, 74)', 'none', 'none', 'none', 'none']);
    const follows = [...svg.querySelectorAll('text.le-follows')].map((text) => text.textContent);
    expect(follows).toEqual(['', '→ n1', '→ n1', '→ n1', '']);
    expect(svg.textContent).toContain('3/5');
  });

  it('draws Bully without votes', () => {
    const svg = drawn({
      ...electing,
      algorithm: 'bully',
      nodes: [
        { ...follower('n1'), role: 'electing' },
        follower('n2'),
        follower('n3'),
        follower('n4'),
        { ...follower('n5'), role: 'waiting' },
      ],
    });
    expect(svg.querySelectorAll('circle.le-vote')).toHaveLength(0);
    expect(svg.textContent).toContain('Highest id alive wins');
  });

  it('drains each member’s election timer against the longest timeout, none for a leader', () => {
    const svg = drawn(electing);
    const widths = [...svg.querySelectorAll('rect.le-timer')].map((rect) =>
      Number(rect.getAttribute('width')),
    );
    const full = 300 - 24;
    expect(widths[0]).toBeCloseTo((60 / 300) * full);
    expect(widths[1]).toBeCloseTo((150 / 300) * full);
    // n5 is drawn from the fixture's follower with a timer, as given.
    expect(widths).toHaveLength(5);
    const leaderOnly: ElectionInstrumentData = {
      ...electing,
      nodes: [{ ...follower('n1'), role: 'leader', timerLeftUs: null }],
    };
    leaderElectionDrawing.draw(svg, leaderOnly, 300, 200);
    expect(Number(svg.querySelector('rect.le-timer')?.getAttribute('width'))).toBe(0);
  });
});
