import type { Command, NodeId, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { leaderElectionParams } from './params.ts';
import { paramOf } from './protocol.ts';
import { leadersOf, membersOf, usableLeader } from './world.ts';

/**
 * The guided tour. Every action is computed from the world when the step starts ("crash the
 * current leader"), so the tour works whatever node the first election picked.
 */

/** The leader to act on: the usable one, else any node that believes it leads. */
function currentLeader(world: WorldView): NodeId | null {
  return usableLeader(world) ?? leadersOf(world)[0]?.id ?? null;
}

function restartAll(world: WorldView): Command[] {
  return membersOf(world)
    .filter((member) => !member.isUp)
    .map((member) => ({ type: 'node.restart', node: member.id }));
}

const hasUsableLeader = (world: WorldView): boolean => usableLeader(world) !== null;

export const leaderElectionTour: readonly TourStep[] = [
  {
    id: 'first-election',
    title: 'Everyone starts as a follower',
    narration:
      'Five nodes start as followers, each with an election timer drawn at random between 150 and ' +
      '300 ms. The first timer to fire makes its node a candidate for term 1: it votes for itself ' +
      'and sends RequestVote to the others. Watch the votes fly back; with three of five votes it ' +
      'becomes leader and starts sending heartbeats (AppendEntries) every 50 ms, which keep the ' +
      'other timers from firing.',
    waitFor: { description: 'a leader is elected', isMet: hasUsableLeader, timeoutMs: 3000 },
  },
  {
    id: 'kill-leader',
    title: 'Kill the leader',
    narration:
      'The leader just crashed. Its followers stop hearing heartbeats, but nobody is told: each ' +
      'one only notices when its own election timer runs out.',
    actions(world) {
      const leader = currentLeader(world);
      return leader === null ? [] : [{ type: 'node.crash', node: leader }];
    },
    question: {
      prompt: 'Which node becomes the next leader?',
      choices: [
        'The node with the highest id',
        'Whichever follower’s election timer fires first',
        'Nobody: they wait for the old leader to come back',
      ],
      answerIndex: 1,
      explanation:
        'The first follower to time out asks for votes in a new term while the others are still ' +
        'waiting, and they grant them. Ids play no part; the random timeouts decide, and the gap ' +
        'without a leader is about one election timeout.',
    },
    waitFor: { description: 'a new leader is elected', isMet: hasUsableLeader, timeoutMs: 3000 },
  },
  {
    id: 'restart-old-leader',
    title: 'The old leader comes back as a follower',
    narration:
      'Restart the crashed node. It lost its role (volatile) but kept its term and vote (durable, ' +
      'on disk), so it cannot vote twice in a term it already voted in. The first heartbeat it ' +
      'receives carries a newer term: it adopts it and follows.',
    actions: restartAll,
    waitFor: {
      description: 'every node is up and in the leader’s term',
      isMet(world) {
        const leader = usableLeader(world);
        if (leader === null) return false;
        const term = membersOf(world).find((member) => member.id === leader)?.term;
        return membersOf(world).every((member) => member.isUp && member.term === term);
      },
      timeoutMs: 2000,
    },
  },
  {
    id: 'partition-leader',
    title: 'Cut the leader off with one follower',
    narration:
      'The network splits: the leader and one follower on one side, three nodes on the other. ' +
      'Only the side with a majority (three of five) can elect anyone.',
    actions(world) {
      const leader = currentLeader(world);
      const partner = membersOf(world).find((member) => member.id !== leader)?.id;
      if (leader === null || partner === undefined) return [];
      return [{ type: 'net.partition', groups: [[leader, partner]] }];
    },
    question: {
      prompt: 'What does the old leader do while it is cut off?',
      choices: [
        'It steps down at once',
        'It keeps believing it leads, in its old term',
        'It starts a new election and wins it with its partner’s vote',
      ],
      answerIndex: 1,
      explanation:
        'Nothing tells it that it lost anything: it keeps sending heartbeats that only its partner ' +
        'hears, and the partner keeps following it. Meanwhile the majority elects a leader in a ' +
        'newer term, so there are two leaders, but never two in the same term. Had the partner been ' +
        'cut off alone instead, it would stand in term after term and never win: one vote of five ' +
        'is not a majority, and neither is two.',
    },
    waitFor: {
      description: 'the majority side elects a new leader',
      isMet: (world) => hasUsableLeader(world) && leadersOf(world).length >= 2,
      timeoutMs: 3000,
    },
  },
  {
    id: 'heal',
    title: 'Heal the network',
    narration:
      'The partition heals. The two leaders, each with its followers, can hear each other again.',
    actions: () => [{ type: 'net.heal' }],
    question: {
      prompt: 'What happens to the stale leader?',
      choices: [
        'Both leaders carry on',
        'It sees a higher term in the first reply it gets, and steps down',
        'The leader with the higher id wins',
      ],
      answerIndex: 1,
      explanation:
        'Any message with a higher term makes a node step down and adopt the term: the first ' +
        'heartbeat reply from the majority side carries it. A node that was cut off alone and ' +
        'inflated its term would even depose the new leader and force one more election (real ' +
        'Raft adds a "pre-vote" round to avoid that). Either way, one leader remains.',
    },
    waitFor: {
      description: 'exactly one node believes it leads',
      isMet: (world) => hasUsableLeader(world) && leadersOf(world).length === 1,
      timeoutMs: 3000,
    },
  },
  {
    id: 'no-randomness',
    title: 'Take the randomness away',
    narration:
      'Now the election timeout range is squeezed to a single value: max is set to min. Followers ' +
      'pick it up the next time they reset their timers, which is at every heartbeat, so a moment ' +
      'from now every follower waits exactly the same time after the last heartbeat it heard.',
    actions: (world) => [
      {
        type: 'param.set',
        key: 'electionTimeoutMaxMs',
        value: paramOf(world, 'electionTimeoutMinMs'),
      },
    ],
  },
  {
    id: 'kill-without-randomness',
    title: 'Kill the leader again',
    narration:
      'The leader crashes once more. Watch the candidates, the terms climbing, and the ' +
      'split-votes metric.',
    actions(world) {
      const leader = currentLeader(world);
      return leader === null ? [] : [{ type: 'node.crash', node: leader }];
    },
    question: {
      prompt: 'With identical timeouts, what happens to this election?',
      choices: [
        'It is faster: everyone reacts at once',
        'Several nodes stand at once, split the vote, and try again, often many times',
        'Nothing changes',
      ],
      answerIndex: 1,
      explanation:
        'The followers wake within a few milliseconds of each other (only link jitter separates ' +
        'them), each votes for itself, nobody gets a majority, and they all wait the same time ' +
        'again. Here that can go on indefinitely, since nothing else in the simulation pulls them ' +
        'apart; real machines drift apart eventually, after many wasted rounds. Randomized ' +
        'timeouts are what makes one candidate usually go first.',
    },
    waitFor: { description: 'a leader is elected', isMet: hasUsableLeader, timeoutMs: 5000 },
  },
  {
    id: 'compare-bully',
    title: 'Restore randomness, then compare with Bully',
    narration:
      'Randomness is back and the crashed node restarts. Now switch to the baseline, the Bully ' +
      'algorithm (the highest live id wins, no votes), and repeat the partition: each side elects ' +
      'its own leader, and when both sides lose their leader they can even pick two leaders in ' +
      'the same term. The safety invariant flags it.',
    actions(world) {
      const randomMax = leaderElectionParams.electionTimeoutMaxMs.default;
      const max = Math.max(randomMax, paramOf(world, 'electionTimeoutMinMs'));
      return [{ type: 'param.set', key: 'electionTimeoutMaxMs', value: max }, ...restartAll(world)];
    },
    waitFor: { description: 'a leader is elected', isMet: hasUsableLeader, timeoutMs: 3000 },
  },
];
