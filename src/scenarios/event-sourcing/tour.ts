import type { Command, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { auditId, balancesId, handlerIdsFor, hotAccount } from './protocol.ts';
import {
  handlersOf,
  isCaughtUp,
  logHeadOf,
  projectionLagOf,
  projectionsOf,
  storeDurableOf,
  streamOf,
} from './world.ts';

/**
 * The guided tour, on the default run (two clients, two handlers, snapshots off). The default run
 * plays the pattern's signature unprompted: both handlers take commands on the same accounts, so
 * appends race and the store refuses the loser ("Conflict retried" moments from the first
 * seconds). The tour follows that, then breaks a projection and switches snapshots on by hand (the
 * storyline does neither), and ends on the question the CRUD baseline cannot answer. Every action
 * is computed from the world when the step starts.
 */

const firstHandler = handlerIdsFor(1)[0] ?? 'handler-1';

/** Up, at the log's head, holding nothing back, and not replaying from position 0. */
export function isProjectionSettled(world: WorldView, id: string): boolean {
  const projection = projectionsOf(world).find((each) => each.node.id === id);
  return (
    projection !== undefined &&
    isCaughtUp(world, projection) &&
    projection.state?.isRebuilding === false
  );
}

/**
 * Conflicts the handlers have retried or given up on so far (each handler's own count, the one
 * the "Conflict retried" moment watches rise).
 */
export function conflictsSoFar(world: WorldView): number {
  return handlersOf(world).reduce((sum, handler) => sum + (handler.state?.conflicts ?? 0), 0);
}

/** Conflicts the tour waits for in the storyline: the first one. */
export const conflictsToSee = 1;

/** Events in the hot account's stream before the tour switches snapshots on. */
export const longStream = 60;

/** The version "as of" which the tour looks at the hot account: half-way through its history. */
function pastVersion(world: WorldView): number {
  return Math.max(1, Math.floor(streamOf(world, hotAccount).length / 2));
}

const restartCrashed = (world: WorldView): Command[] =>
  world.nodes
    .filter((node) => node.status === 'crashed')
    .map((node) => ({ type: 'node.restart', node: node.id }));

export const eventSourcingTour: readonly TourStep[] = [
  {
    id: 'log-grows',
    title: 'Every change is an event in a log',
    narration:
      'Clients on the left send bank commands (deposit, withdraw, transfer) to two command ' +
      'handlers. A handler loads the account by replaying its events, checks the rules (no ' +
      'overdraft), and appends a new event to the account’s stream in the event store; nothing is ' +
      'ever changed in place. In the Streams figure next to the topology, each row is one account’s ' +
      'stream, its newest events drawn as numbered cells (green deposits, amber withdrawals, violet ' +
      'transfers). Below them, the two projections on the right (balances, and an audit trail of ' +
      'who changed what) are cursors following the log.',
    waitFor: {
      description: 'the log holds 40 events and both projections have caught up',
      isMet: (world) =>
        logHeadOf(world) >= 40 &&
        isProjectionSettled(world, balancesId) &&
        isProjectionSettled(world, auditId),
      timeoutMs: 10_000,
    },
  },
  {
    id: 'conflict',
    title: 'Two handlers race on one account',
    narration:
      'Both handlers take commands on the same accounts, and acct-1 gets almost a third of them. ' +
      'Sometimes both load acct-1 at the same version and both try to append “after version v”. ' +
      'No lock stops them: this is optimistic concurrency, as in EventStoreDB’s expected version. ' +
      'Watch the timeline under the topology for “Conflict retried” ticks, and the last line of the ' +
      'Streams figure.',
    question: {
      prompt: 'Two appends expect acct-1 at the same version. What does the store do?',
      choices: [
        'It writes both; the second one overwrites the first',
        'It writes the first; the second is refused, and its handler reloads acct-1 and retries',
        'It refuses both, and the clients must try again',
      ],
      answerIndex: 1,
      explanation:
        'An append lands only if the stream is still at the version it expects. The loser is ' +
        'refused: the timeline gets a “Conflict retried” tick, “What just happened” names the ' +
        'handler and the account, and the Streams figure’s last line says “expected v7, was v8” ' +
        'or the like. The handler reads the events it missed, checks the rules again on the new ' +
        'balance and appends after them, so no update is lost and no lock was held.',
    },
    waitFor: {
      description: 'a handler’s append was refused and retried',
      isMet: (world) => conflictsSoFar(world) >= conflictsToSee,
      timeoutMs: 15_000,
    },
  },
  {
    id: 'crash-projection',
    title: 'Crash the balances projection',
    narration:
      'The storyline never breaks a projection, so the tour does it by hand: the balances ' +
      'projection crashes and loses its view, which lived only in memory (with the defaults it ' +
      'keeps no checkpoint on disk). The log keeps growing meanwhile. In the Streams figure its ' +
      'cursor turns grey and falls back to position 0: it is behind by the whole log.',
    actions: () => [{ type: 'node.crash', node: balancesId }],
    waitFor: {
      description: 'the crashed projection is behind by the whole log',
      isMet: (world) => logHeadOf(world) > 0 && projectionLagOf(world) >= logHeadOf(world),
      timeoutMs: 2000,
    },
  },
  {
    id: 'rebuild',
    title: 'Restart it: it rebuilds from the log',
    narration:
      'The projection restarts with nothing, subscribes from position 0, and the store sends it the ' +
      'whole log in batches; it folds every event, in order, into balances. The timeline gets a ' +
      '“Projection rebuilding” tick, then a “Projection rebuilt” tick once it reaches the head, and ' +
      'its cursor in the Streams figure runs back up to the others.',
    actions: restartCrashed,
    question: {
      prompt: 'Will the rebuilt balances equal what a projection that never crashed would show?',
      choices: [
        'No: what it knew before the crash is gone',
        'Yes: replaying the same events in the same order gives exactly the same state',
        'Only if a snapshot of the projection was taken before the crash',
      ],
      answerIndex: 1,
      explanation:
        'A projection is a pure fold of the log (replaying the events one by one into a view), and ' +
        'the log never changes, so replaying it gives the same view every time: the “projection ' +
        'equals the fold of the log” invariant checks it after every event. “What just happened” ' +
        'says how many events it replayed and how long that took. This is why read models are ' +
        'disposable: change one, wipe it, replay.',
    },
    waitFor: {
      description: 'the balances projection is rebuilt and at the head again',
      isMet: (world) => isProjectionSettled(world, balancesId),
      timeoutMs: 5000,
    },
  },
  {
    id: 'replay-grows',
    title: 'Loads get longer as the log grows',
    narration:
      'Every command loads its account by replaying the account’s whole stream. acct-1 gets the ' +
      'most commands, so its stream is the longest: watch its version number climb in the Streams ' +
      'figure, and the replay-length chart (events read per load) climb with it, and the store’s ' +
      'time per load. Left alone, it only gets worse as the log grows.',
    waitFor: {
      description: `acct-1’s stream holds ${longStream} events`,
      isMet: (world) => streamOf(world, hotAccount).length >= longStream,
      timeoutMs: 15_000,
    },
  },
  {
    id: 'snapshots',
    title: 'Snapshots cut replay cost',
    narration:
      'Now the tour switches snapshots on: whenever an account’s version passes a multiple of 10, ' +
      'the handler that appended saves the folded state to the store, and loads start from the ' +
      'latest snapshot. The timeline gets a “Snapshot taken” tick for each account’s first one, and ' +
      'the Streams figure marks it in blue at the version it folds up to.',
    actions: () => [{ type: 'param.set', key: 'snapshotEvery', value: 10 }],
    question: {
      prompt: 'What happens to the events read per load?',
      choices: [
        'Nothing: every event must still be replayed',
        'It drops to fewer than 10 events per load (the tail after the last snapshot)',
        'It drops to zero: the snapshot replaces the stream',
      ],
      answerIndex: 1,
      explanation:
        'A load now reads the snapshot plus the events after it: the replay-length chart falls to ' +
        'under 10 however long the stream is. The stream itself is untouched (its row in the ' +
        'Streams figure keeps counting): a snapshot is a cache derived from the log, and the replay ' +
        'invariant checks every snapshot against the fold.',
    },
    waitFor: {
      description: 'every account with 10 events or more has a snapshot',
      isMet: (world) => {
        const durable = storeDurableOf(world);
        if (durable === null) return false;
        return [...durable.streams].every(
          ([stream, events]) => events.length < 10 || durable.snapshots.has(stream),
        );
      },
      timeoutMs: 10_000,
    },
  },
  {
    id: 'as-of',
    title: 'Time travel, and what the CRUD baseline cannot tell you',
    narration:
      'handler-1 is asked for acct-1 as of half its history: it reads the stream up to that ' +
      'version and folds it, like checking out an old commit. Open handler-1 in the inspector: ' +
      '“asOf” shows the balance then and every change up to then, with the client and handler that ' +
      'made it. The baseline is a CRUD store with one row per account, overwritten on every change ' +
      'and just as safe against races, since it checks a row version.',
    actions: (world) => [
      {
        type: 'scenario.fault',
        fault: 'as-of',
        node: firstHandler,
        args: { account: 1, version: pastVersion(world) },
      },
    ],
    question: {
      prompt: 'Asked the same question, what can the CRUD baseline answer?',
      choices: [
        'The same balance, read from its row',
        'Nothing: the row holds only today’s balance, so the past and who changed it are gone',
        'The balance, but not who changed it',
      ],
      answerIndex: 1,
      explanation:
        'Open the side-by-side view. On the left, handler-1’s “asOf” has the old balance and its ' +
        'history; on the right, the baseline’s handler-1 says the history is lost. Its Streams ' +
        'figure shows rows with only a balance and a version, no events, no snapshots and no ' +
        'projection cursors, while its timeline still gets “Conflict retried” ticks.',
    },
    waitFor: {
      description: 'handler-1 shows acct-1 as of the old version',
      isMet: (world) => {
        const handler = handlersOf(world).find((each) => each.node.id === firstHandler);
        return handler?.state?.asOf?.version !== undefined && handler.state.asOf.version !== null;
      },
      timeoutMs: 3000,
    },
    comparesWithBaseline: true,
  },
];
