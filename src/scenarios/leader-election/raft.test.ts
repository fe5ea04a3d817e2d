import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../engine/rng.ts';
import type { Message, NodeContext, NodeId } from '../../engine/types.ts';
import type { RaftMessage, RequestVoteReplyMessage } from './protocol.ts';
import { type RaftDurable, raftBehaviour } from './raft.ts';
import { defaultsWith, members } from './testKit.ts';

type RaftContext = NodeContext<Message, RaftDurable>;

/** A context for driving the Raft behaviour by hand; it records what the node sends. */
function handContext(self: NodeId, durable: RaftDurable) {
  const sent: { to: NodeId; message: Message }[] = [];
  const disk = { durable };
  const ctx: RaftContext = {
    self,
    role: 'node',
    params: defaultsWith(),
    localTimeUs: 0,
    random: new RngStreams(1).get(`node:${self}`),
    nodeIds: members,
    nodesWithRole: () => members,
    send: (to, message) => sent.push({ to, message }),
    setTimer: () => undefined,
    cancelTimer: () => undefined,
    hasTimer: () => false,
    get durable() {
      return disk.durable;
    },
    persist: (next) => {
      disk.durable = next;
    },
    metric: () => undefined,
    annotate: () => undefined,
  };
  return { ctx, sent };
}

function askVote(ctx: RaftContext, state: ReturnType<typeof raftBehaviour.init>, from: NodeId) {
  const request: RaftMessage = { type: 'RequestVote', term: 3, candidateId: from };
  return raftBehaviour.receive(state, { kind: 'message', from, message: request }, ctx);
}

describe('the Raft vote', () => {
  it('is written to disk before the reply, so a restart cannot vote twice in a term', () => {
    const { ctx, sent } = handContext('n1', { term: 2, votedFor: null });
    askVote(ctx, raftBehaviour.init(ctx), 'n2');
    expect(ctx.durable).toEqual({ term: 3, votedFor: 'n2' });
    // Crash and restart: volatile state is rebuilt from scratch, durable state stays.
    askVote(ctx, raftBehaviour.init(ctx), 'n3');
    const replies = sent.map((each) => each.message as RequestVoteReplyMessage);
    expect(replies.map((reply) => [reply.term, reply.isGranted])).toEqual([
      [3, true],
      [3, false],
    ]);
  });
});
