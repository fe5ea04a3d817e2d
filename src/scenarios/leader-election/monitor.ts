import type {
  MetricSpec,
  MomentSink,
  Monitor,
  NodeId,
  NodeView,
  WorldView,
} from '../../engine/types.ts';
import {
  isRaftCandidate,
  reportElected,
  reportElectionStarted,
  reportLost,
  reportSplitVote,
} from './moments.ts';
import { nodeRole } from './protocol.ts';
import { type ElectionRole, memberOf, membersOf, roleOf, termOf, usableLeader } from './world.ts';

/**
 * The scenario's metrics. Behaviours record what only they know (an election started, a work
 * request finished); the monitor watches the world after every event for what no single node
 * knows (whether the cluster has a usable leader, whether a term ended without one).
 */
export const leaderElectionMetrics: readonly MetricSpec[] = [
  {
    name: 'downtime',
    unit: 'ms',
    description:
      'Time without a usable leader after each loss of one, one sample per recovery. The mean is ' +
      'the typical failover time, comparable between runs with different numbers of failures; ' +
      'the worst case is visible in the chart and in leaderless-ms.',
    aggregate: 'mean',
  },
  {
    name: 'leaderless-ms',
    unit: 'ms',
    description: 'Total time without a usable leader, the first election included',
    aggregate: 'sum',
  },
  {
    name: 'elections',
    unit: 'elections',
    description:
      'Elections started (a Raft candidacy; a Bully node calling or joining an election)',
    aggregate: 'sum',
  },
  {
    name: 'split-votes',
    unit: 'terms',
    description: 'Terms in which two or more candidates stood and nobody won',
    aggregate: 'sum',
  },
  {
    name: 'term',
    unit: 'term',
    description: 'Highest term of any node',
    aggregate: 'last',
  },
  {
    name: 'work-success',
    unit: 'ratio',
    description: 'Share of client work requests done (1) rather than given up (0)',
    aggregate: 'mean',
  },
  {
    name: 'work-latency',
    unit: 'ms',
    description: 'Time from a work request to its WorkDone, redirects and retries included',
    aggregate: 'p99',
  },
];

/** How often the monitor samples (the engine also checks liveness on this tick). */
export const sampleIntervalUs = 50_000;
/** Samples waiting for the next tick, and terms tracked at once, are capped. */
const pendingSamplesMax = 1_000;
const openTermsMax = 1_000;

interface TermRecord {
  readonly candidates: NodeId[];
  hasLeader: boolean;
}

/** A member's role (null while down) and term as last seen. */
interface SeenMember {
  role: ElectionRole | null;
  term: number;
}

export interface ElectionMonitorMemory {
  /** Role and term of each member as last seen, to notice changes cheaply. */
  readonly lastSeen: Map<NodeId, SeenMember>;
  hasLeader: boolean;
  hasHadLeader: boolean;
  /** Since when there has been no usable leader; null while there is one. */
  leaderlessSinceUs: number | null;
  lastSampleUs: number;
  /** Leaderless time not yet reported. */
  leaderlessUs: number;
  readonly downtimesMs: number[];
  /** Terms in which some node is still a candidate. */
  readonly openTerms: Map<number, TermRecord>;
  splitVotes: number;
  /** The usable leader as last seen (for the leader-lost moment); null while there is none. */
  leaderId: NodeId | null;
  /**
   * Whether a split vote was reported since the last usable leader: identical timeouts can split
   * every term, so one moment marks the stretch of splits, not each of them.
   */
  isSplitReported: boolean;
  /** The newest term whose election-started moment was reported. */
  electionReportedTerm: number;
}

export const leaderElectionMonitor: Monitor<ElectionMonitorMemory> = {
  sampleIntervalUs,
  createMemory(): ElectionMonitorMemory {
    return {
      lastSeen: new Map(),
      hasLeader: false,
      hasHadLeader: false,
      leaderlessSinceUs: 0,
      lastSampleUs: 0,
      leaderlessUs: 0,
      downtimesMs: [],
      openTerms: new Map(),
      splitVotes: 0,
      leaderId: null,
      isSplitReported: false,
      electionReportedTerm: 0,
    };
  },

  observe(
    world: WorldView,
    node: NodeView | undefined,
    memory: ElectionMonitorMemory,
    moment: MomentSink,
  ): void {
    // After a node event only that node, and only a change of its role or term matters (usually
    // there is none); after a command anything may have changed (a crash, a partition).
    if (node !== undefined) {
      const seenBefore = memory.lastSeen.get(node.id);
      const roleBefore = seenBefore?.role ?? null;
      const termBefore = seenBefore?.term ?? 0;
      if (!noteMember(node, memory)) return;
      // A candidacy in a new term, the first of its term, and not one more in a stretch of split
      // votes (that stretch is one moment of its own).
      const term = termOf(node);
      if (
        isRaftCandidate(node) &&
        (roleBefore !== 'candidate' || termBefore !== term) &&
        term > memory.electionReportedTerm &&
        !memory.isSplitReported
      ) {
        memory.electionReportedTerm = term;
        reportElectionStarted(world, node, moment);
      }
      // Only a node's own event makes it a leader (a command crashes or cuts, never elects).
      if (roleBefore !== 'leader' && roleOf(node) === 'leader') reportElected(world, node, moment);
      trackTerms(world, [node], memory, moment);
    } else {
      for (const each of world.nodes) noteMember(each, memory);
      trackTerms(world, world.nodes, memory, moment);
    }
    trackLeader(world, memory, moment);
  },

  sample(world: WorldView, memory: ElectionMonitorMemory, record): void {
    const now = world.nowUs;
    if (memory.leaderlessSinceUs !== null) {
      memory.leaderlessUs += now - Math.max(memory.leaderlessSinceUs, memory.lastSampleUs);
    }
    if (memory.leaderlessUs > 0) record('leaderless-ms', memory.leaderlessUs / 1000);
    memory.leaderlessUs = 0;
    memory.lastSampleUs = now;
    for (const downtimeMs of memory.downtimesMs) record('downtime', downtimeMs);
    memory.downtimesMs.length = 0;
    if (memory.splitVotes > 0) record('split-votes', memory.splitVotes);
    memory.splitVotes = 0;
    let termMax = 0;
    for (const member of membersOf(world)) termMax = Math.max(termMax, member.term);
    record('term', termMax);
  },
};

/**
 * Remembers the node's role and term; true when they changed. It runs after every event, so it
 * reads them in place rather than through a `Member`, and compares without building a string.
 */
function noteMember(node: NodeView, memory: ElectionMonitorMemory): boolean {
  if (node.role !== nodeRole) return false;
  const role = roleOf(node);
  const term = termOf(node);
  const seen = memory.lastSeen.get(node.id);
  if (seen === undefined) {
    memory.lastSeen.set(node.id, { role, term });
    return true;
  }
  if (seen.role === role && seen.term === term) return false;
  seen.role = role;
  seen.term = term;
  return true;
}

/**
 * A term is open while some up node is a candidate in it. When the last candidate of a term
 * stops being one (it won, lost, moved on or crashed), the term is decided: with two or more
 * candidates and no leader, it was a split vote. A lone candidate that fails (say, on the
 * minority side of a partition) is not counted: that is not a split.
 */
function trackTerms(
  world: WorldView,
  acting: readonly NodeView[],
  memory: ElectionMonitorMemory,
  moment: MomentSink,
): void {
  const openTerms = memory.openTerms;
  for (const node of acting) {
    const member = memberOf(node);
    if (member === null || (member.role !== 'candidate' && member.role !== 'leader')) continue;
    let entry = openTerms.get(member.term);
    if (entry === undefined) {
      if (openTerms.size >= openTermsMax) return;
      entry = { candidates: [], hasLeader: false };
      openTerms.set(member.term, entry);
    }
    if (member.role === 'leader') entry.hasLeader = true;
    else if (!entry.candidates.includes(member.id)) entry.candidates.push(member.id);
  }
  if (openTerms.size === 0) return;
  const stillStanding = new Set<number>();
  for (const member of membersOf(world)) {
    if (member.role === 'candidate') stillStanding.add(member.term);
  }
  for (const [term, entry] of openTerms) {
    if (stillStanding.has(term)) continue;
    if (entry.candidates.length >= 2 && !entry.hasLeader) {
      memory.splitVotes++;
      if (!memory.isSplitReported) reportSplitVote(term, entry.candidates, moment);
      memory.isSplitReported = true;
    }
    openTerms.delete(term);
  }
}

/** Notices the cluster losing and regaining a usable leader; measures the gap. */
function trackLeader(world: WorldView, memory: ElectionMonitorMemory, moment: MomentSink): void {
  const leaderId = usableLeader(world);
  const hasLeader = leaderId !== null;
  const lostId = memory.leaderId;
  memory.leaderId = leaderId;
  if (hasLeader === memory.hasLeader) return;
  const now = world.nowUs;
  memory.hasLeader = hasLeader;
  if (hasLeader) memory.isSplitReported = false;
  if (!hasLeader) {
    if (lostId !== null) reportLost(world, lostId, moment);
    memory.leaderlessSinceUs = now;
    return;
  }
  const since = memory.leaderlessSinceUs ?? now;
  memory.leaderlessUs += now - Math.max(since, memory.lastSampleUs);
  if (memory.hasHadLeader && memory.downtimesMs.length < pendingSamplesMax) {
    memory.downtimesMs.push((now - since) / 1000);
  }
  memory.hasHadLeader = true;
  memory.leaderlessSinceUs = null;
}
