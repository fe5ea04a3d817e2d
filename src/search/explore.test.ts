import { describe, expect, it } from 'vitest';
import { leaderElection } from '../scenarios/leader-election/model.ts';
import { plantedViolation } from '../scenarios/planted-violation/model.ts';
import { pubSub } from '../scenarios/pub-sub/model.ts';
import { smallConfigOf } from './configs.ts';
import { type SearchRequest, type SearchResult, SearchError, search } from './explore.ts';
import { replayRun } from './replay.ts';

/*
 * The search on real scenarios: each counterexample is found at a depth and not one level
 * less, and replays in a plain Simulation to the same trace and the same violation; Raft's
 * certificate counts are pinned, so a change in what the search explores shows.
 */

const electionQuiet = smallConfigOf('leader-election').quiet;

function request(overrides: Partial<SearchRequest> & Pick<SearchRequest, 'model'>): SearchRequest {
  return {
    seed: 1,
    variant: 'pattern',
    params: {},
    invariantId: overrides.model.invariants[0]?.id ?? '',
    depthMax: 1,
    faultsMax: 0,
    ...overrides,
  };
}

const planted = (depthMax: number, variant: 'pattern' | 'baseline' = 'pattern'): SearchRequest =>
  request({
    model: plantedViolation,
    variant,
    invariantId: 'no-value-issued-twice',
    depthMax,
    faultsMax: 2,
  });

const bully = (depthMax: number): SearchRequest =>
  request({
    model: leaderElection,
    variant: 'baseline',
    params: { ...electionQuiet, nodeCount: 3 },
    invariantId: 'one-leader-per-term',
    depthMax,
    faultRoles: ['node'],
  });

const raft = (depthMax: number): SearchRequest => ({ ...bully(depthMax), variant: 'pattern' });

function violationOf(result: SearchResult): Extract<SearchResult, { kind: 'violation' }> {
  if (result.kind !== 'violation') throw new Error(`expected a violation, got ${result.kind}`);
  return result;
}

/** The found run in a plain Simulation: same trace hash, same first violation. */
function expectReplays(
  req: SearchRequest,
  found: Extract<SearchResult, { kind: 'violation' }>,
): void {
  const replay = replayRun(req.model, found.run, found.events, req.invariantId);
  expect(replay.events).toBe(found.events);
  expect(replay.traceHash).toBe(found.traceHash);
  expect(replay.invariant?.firstViolation?.event).toBe(found.violation.event);
  expect(replay.invariant?.firstViolation?.message).toBe(found.violation.message);
  // One event less and the invariant still holds: the violation is the schedule's last word.
  const before = replayRun(req.model, found.run, found.violation.event - 1, req.invariantId);
  expect(before.invariant?.violations).toBe(0);
}

describe('search', () => {
  it('finds the planted violation in 4 choices (a crash in the save window) and none in 3', () => {
    const found = violationOf(search(planted(4)));
    expect(found.depth).toBe(4);
    expect(found.steps.map((step) => step.choice.kind)).toEqual([
      'advance',
      'crash',
      'restart',
      'advance',
    ]);
    expect(found.violation.message).toContain('issued 1 again');
    expectReplays(planted(4), found);
    expect(search(planted(3)).kind).toBe('certificate');
    // A deeper bound finds the same shortest schedule: breadth first.
    expect(violationOf(search(planted(8))).steps).toEqual(found.steps);
  });

  it('certifies the write-ahead baseline of the planted violation', () => {
    const result = search(planted(6, 'baseline'));
    expect(result.kind).toBe('certificate');
  });

  it("finds Bully's two leaders in one term in 3 choices and none in 2", () => {
    const found = violationOf(search(bully(6)));
    expect(found.depth).toBe(3);
    expect(found.violation.message).toMatch(/^two leaders in term \d+/);
    // The schedule delivers the election to the highest node and lets the starter time out.
    expect(found.steps.map((step) => step.choice.kind)).toEqual(['advance', 'deliver', 'advance']);
    expectReplays(bully(6), found);
    const shorter = search(bully(2));
    expect(shorter.kind).toBe('certificate');
  });

  it('finds the direct-call baseline of Pub/Sub losing an acknowledged message in 9 choices, none in 8', () => {
    const pubSubRequest = (depthMax: number): SearchRequest =>
      request({
        model: pubSub,
        variant: 'baseline',
        params: smallConfigOf('pub-sub').quiet,
        invariantId: 'no-acked-message-lost',
        depthMax,
      });
    const found = violationOf(search(pubSubRequest(9)));
    expect(found.depth).toBe(9);
    expect(found.violation.message).toContain('was acknowledged');
    expectReplays(pubSubRequest(9), found);
    expect(search(pubSubRequest(8)).kind).toBe('certificate');
  });

  it("finds Bully's two leaders in 2 choices when timers may fire in any order, none in 1", () => {
    const anyTimer = (depthMax: number): SearchRequest => ({
      ...bully(depthMax),
      isAnyTimer: true,
    });
    const found = violationOf(search(anyTimer(4)));
    expect(found.depth).toBe(2);
    // The second node's timer fires before earlier ones, which the run holds with node.pause.
    expect(found.steps.map((step) => step.choice.kind)).toEqual(['advance', 'fire']);
    expect(found.run.commands.map((record) => record.command.type)).toContain('node.pause');
    expectReplays(anyTimer(4), found);
    expect(search(anyTimer(1)).kind).toBe('certificate');
  });

  it('certifies Raft for 3 nodes with timers in any order to depth 4, with stable counts', () => {
    expect(search({ ...raft(4), isAnyTimer: true })).toMatchObject({
      kind: 'certificate',
      states: 914,
      transitions: 1236,
      statesPerDepth: [1, 3, 21, 129, 760],
    });
  });

  it("certifies Raft's one leader per term for 3 nodes to depth 7, with stable counts", () => {
    const result = search(raft(7));
    expect(result).toMatchObject({
      kind: 'certificate',
      depth: 7,
      isExhausted: false,
      states: 1338,
      transitions: 2385,
      statesPerDepth: [1, 1, 3, 10, 35, 116, 322, 850],
    });
  });

  it('explores the same states whatever ran before it (no state kept between searches)', () => {
    const first = search(raft(5));
    search(bully(4));
    expect(search(raft(5))).toEqual(first);
  });

  it('gives up at the state cap and says how deep it got', () => {
    const result = search({ ...raft(7), statesMax: 100 });
    expect(result.kind).toBe('gave-up');
    expect(result.states).toBe(100);
    expect(result.depth).toBe(4);
  });

  it('refuses an unknown invariant and a liveness one', () => {
    expect(() => search({ ...raft(2), invariantId: 'nope' })).toThrow(SearchError);
    expect(() => search({ ...raft(2), invariantId: 'leader-elected' })).toThrow(/liveness/);
  });
});
