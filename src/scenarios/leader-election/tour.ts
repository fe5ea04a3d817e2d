import type { Command, NodeId, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { leaderElectionParams } from './params.ts';
import { paramOf } from './protocol.ts';
import { leadersOf, membersOf, usableLeader } from './world.ts';

/**
 * The guided tour. The default run's storyline is the first election (a "Leader elected" moment
 * within a fraction of a second), then the leader freezing at 5 s (a "Leader lost" tick and a
 * new leader in a newer term) and waking at 9 s to step down; the tour follows it in its first
 * three steps, then causes every later lesson by hand (partition, identical timeouts, a crash).
 * Every action is computed from the world when the step starts ("crash the current leader"),
 * so the tour works whatever node the elections picked.
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

/**
 * A whole term has passed without a leader since the last one crashed: every member that is up
 * stands (or follows) in a term two past the crashed node's (which keeps its durable term), so
 * nobody is left in the term after it. With identical timeouts that term was lost to a split
 * vote, which the monitor reports as a moment once its last candidate has moved on.
 */
function hasWastedATerm(world: WorldView): boolean {
  if (hasUsableLeader(world)) return false;
  const members = membersOf(world);
  const down = members.filter((member) => !member.isUp);
  if (down.length === 0) return false;
  const crashedTerm = Math.max(...down.map((member) => member.term));
  return members.every((member) => !member.isUp || member.term >= crashedTerm + 2);
}

export const leaderElectionTour: readonly TourStep[] = [
  {
    id: 'first-election',
    title: 'Everyone starts as a follower',
    narration:
      'Five nodes start as followers. In the Election figure (next to the topology) each row is a node, and ' +
      'the blue bar under it is its election timer draining: a wait drawn at random between 150 ' +
      'and 300 ms. The first to run out makes its node a candidate for term 1: it votes for ' +
      'itself and asks the others for votes (Raft’s RequestVote). With 3 of 5 votes it leads, ' +
      'and the timeline gets a "Leader elected" tick.',
    waitFor: { description: 'a leader is elected', isMet: hasUsableLeader, timeoutMs: 3000 },
  },
  {
    id: 'leader-freezes',
    title: 'The leader freezes',
    narration:
      'Touch nothing. At 5 s the leader’s process freezes for 4 s (a long pause, like a ' +
      'stop-the-world garbage collection or a VM its host paused). It still believes it leads, ' +
      'but it runs no code: no heartbeats leave it, and the empty AppendEntries that kept ' +
      'refilling the others’ timer bars stop. In the Election figure its row says "frozen"; ' +
      'the timeline gets a "Leader lost" tick. Nobody is told; each follower only notices when ' +
      'its own bar runs out. This step plays at 1×.',
    speed: 1,
    question: {
      prompt: 'Which node becomes the next leader?',
      choices: [
        'The node with the highest id',
        'Whichever follower’s election timer runs out first',
        'Nobody: they wait for the old leader to come back',
      ],
      answerIndex: 1,
      explanation:
        'The shortest blue bar empties first: that follower stands in the next term while the ' +
        'others are still waiting, and they grant it their votes. Ids play no part; the random ' +
        'timeouts decide. A second "Leader elected" tick follows the "Leader lost" one by about ' +
        'one election timeout, while the frozen node still thinks it leads the old term.',
    },
    waitFor: {
      description: 'a new leader is elected while the old one is frozen',
      // The frozen node still holds the leader role of its old term: two believe they lead.
      isMet: (world) => hasUsableLeader(world) && leadersOf(world).length >= 2,
      timeoutMs: 7000,
    },
  },
  {
    id: 'leader-wakes',
    title: 'The old leader wakes up and steps down',
    narration:
      'Four seconds on, the frozen node runs again, exactly where it stopped: it still believes ' +
      'it leads its old term and sends heartbeats. The first reply it gets carries the newer ' +
      'term, and Raft’s rule is absolute: a higher term wins, so it steps down to follower and ' +
      'adopts that term. In the Election figure its row turns to follower of the new term; one ' +
      'leader again, and no term ever had two. This step plays at 1×.',
    speed: 1,
    waitFor: {
      description: 'the old leader has stepped down: one leader, every node in its term',
      isMet(world) {
        const leader = usableLeader(world);
        if (leader === null || leadersOf(world).length !== 1) return false;
        const term = membersOf(world).find((member) => member.id === leader)?.term;
        return membersOf(world).every((member) => member.isUp && member.term === term);
      },
      timeoutMs: 6000,
    },
  },
  {
    id: 'partition-leader',
    title: 'Cut the leader off with one follower',
    narration:
      'The tour splits the network: the leader and one follower on one side, three nodes on the ' +
      'other. The timeline gets a "Leader lost" tick, because a leader that cannot reach a ' +
      'majority is of no use to clients. Only the side with three of five nodes can gather ' +
      'enough votes to elect anyone.',
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
        'Nothing tells it that it lost anything: its row stays green in its old term, and its ' +
        'partner keeps following it. Meanwhile the majority elects a leader in a newer term (a ' +
        'new "Leader elected" tick), so two rows are green, but never two in the same term. Two ' +
        'votes of five would not be a majority anyway.',
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
      'The tour heals the partition. The two leaders, each with its followers, can hear each ' +
      'other again. Watch the term column of the Election figure.',
    actions: () => [{ type: 'net.heal' }],
    question: {
      prompt: 'What happens to the stale leader?',
      choices: [
        'Both leaders carry on',
        'It sees a higher term in the first message it gets from the other side, and steps down',
        'The leader with the higher id wins',
      ],
      answerIndex: 1,
      explanation:
        'Any message with a higher term makes a node step down and adopt the term: the old ' +
        'leader’s row turns into a follower of the new leader, and every row shows the same ' +
        'term. One leader remains. (A node cut off alone would have stood in term after term; ' +
        'back, its inflated term would force one more election. Real Raft adds a "pre-vote" ' +
        'round to avoid that.)',
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
      'Now the tour squeezes the election timeout range to a single value: max is set to min. ' +
      'Followers pick it up the next time they reset their timers, which is at every heartbeat, ' +
      'so a moment from now every blue bar in the Election figure starts from the same length.',
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
      'The tour crashes the leader once more ("Leader lost"). Watch the blue bars run out ' +
      'together and the roles and terms in the Election figure.',
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
        'them): several rows turn amber (candidate), each with its own vote and nobody with 3. ' +
        'The timeline gets a "Split vote" tick, and the terms climb. Nothing in the simulation ' +
        'pulls them apart, so this can go on for good; random timeouts are what makes one ' +
        'candidate usually go first.',
    },
    waitFor: {
      description: 'a whole term passes without a leader',
      isMet: hasWastedATerm,
      timeoutMs: 3000,
    },
  },
  {
    id: 'compare-bully',
    title: 'Restore randomness, then compare with Bully',
    narration:
      'The tour restores the random range and restarts the crashed node; a "Leader elected" tick ' +
      'ends the split votes. Now open this run beside its baseline, the Bully algorithm, with ' +
      'the same seed and the same crashes, partition and settings: the highest-numbered node ' +
      'alive declares itself leader, and nobody votes (its Election figure has no vote column). ' +
      'On its timeline, look at what happened right after the partition.',
    actions(world) {
      const randomMax = leaderElectionParams.electionTimeoutMaxMs.default;
      const max = Math.max(randomMax, paramOf(world, 'electionTimeoutMinMs'));
      return [{ type: 'param.set', key: 'electionTimeoutMaxMs', value: max }, ...restartAll(world)];
    },
    comparesWithBaseline: true,
    question: {
      prompt: 'When the tour cut the leader off with one follower, what did Bully do?',
      choices: [
        'The same as Raft: the pair could not elect anyone without a majority',
        'The side that lost touch with its leader elected one of its own, however small it was',
        'Nobody led until the partition healed',
      ],
      answerIndex: 1,
      explanation:
        'Bully reads "I cannot hear the leader" as "the leader is dead" and needs no majority, so ' +
        'on its side the cut-off pair crowned the higher-numbered of the two: a "Leader elected" ' +
        'tick right after the split, while its old leader carried on on the other side. ' +
        'Raft’s pair could not (two votes of five). Both sides ran the same commands at the ' +
        'same times, but Bully’s leaders are other nodes (always the highest id it can hear), ' +
        'so the crashes hit it differently.',
    },
    waitFor: { description: 'a leader is elected', isMet: hasUsableLeader, timeoutMs: 3000 },
  },
];
