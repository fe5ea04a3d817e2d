import type { Command, WorldView } from '../../engine/types.ts';
import type { TourStep } from '../define.ts';
import { auditId, balancesId, clientIdsFor, handlerIdsFor, hotAccount } from './protocol.ts';
import {
  clientsOf,
  handlersOf,
  isCaughtUp,
  logHeadOf,
  projectionLagOf,
  projectionsOf,
  storeDurableOf,
  streamOf,
} from './world.ts';

/**
 * The guided tour, on the default run (two clients, two handlers, snapshots off). Every action
 * is computed from the world when the step starts.
 */

const firstClient = clientIdsFor(1)[0] ?? 'client-1';
const firstHandler = handlerIdsFor(1)[0] ?? 'handler-1';

function isProjectionCaughtUp(world: WorldView, id: string): boolean {
  const projection = projectionsOf(world).find((each) => each.node.id === id);
  return projection !== undefined && isCaughtUp(world, projection);
}

/** The last race's commands, once both are answered: accepted both. */
function isRaceSettled(world: WorldView): boolean {
  const race =
    clientsOf(world).find((client) => client.node.id === firstClient)?.state?.race ?? null;
  return (
    race !== null &&
    race.outcomes.length === 2 &&
    race.outcomes.every((each) => each === 'accepted')
  );
}

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
      'Clients on the left send bank commands (deposit, withdraw, transfer) to the two command ' +
      'handlers. For each command a handler loads the account by replaying its events, checks the ' +
      'rules (no overdraft), and appends the new event to the account’s stream in the event store, ' +
      'saying which version it expects the stream to be at. Nothing is ever updated in place: ' +
      'watch the store’s event count grow, and the two projections on the right (balances, and ' +
      'an audit trail of who changed what) follow the log.',
    waitFor: {
      description: 'the log holds 40 events and both projections have caught up',
      isMet: (world) =>
        logHeadOf(world) >= 40 &&
        isProjectionCaughtUp(world, balancesId) &&
        isProjectionCaughtUp(world, auditId),
      timeoutMs: 10_000,
    },
  },
  {
    id: 'race',
    title: 'Two commands race on one account',
    narration:
      'client-1 now sends two deposits on acct-1 at the same instant, one to each handler. Both ' +
      'handlers load acct-1 at the same version and both append "after version v".',
    actions: () => [
      { type: 'scenario.fault', fault: 'race', node: firstClient, args: { amount: 10 } },
    ],
    question: {
      prompt: 'Both appends expect the same version. What does the store do?',
      choices: [
        'It writes both; the second one overwrites the first',
        'It writes the first; the second gets a conflict, its handler reloads acct-1 and retries, and both deposits land',
        'It refuses both, and the clients must try again',
      ],
      answerIndex: 1,
      explanation:
        'Optimistic concurrency: an append lands only if the stream is still at the expected ' +
        'version. The loser hears "conflict", reads the one event it missed, checks the rules again ' +
        'on the new balance and appends after it. Look at client-1’s state: one deposit says ' +
        '"appended after 1 retries" (the conflict and retry metrics count them too). No update is ' +
        'lost, and no lock was held while the handlers worked. (Once in a while both appends do ' +
        'not overlap, because another command on acct-1 was in between: then neither conflicts.)',
    },
    waitFor: {
      description: 'both deposits are accepted',
      isMet: isRaceSettled,
      timeoutMs: 5000,
    },
  },
  {
    id: 'crash-projection',
    title: 'Crash the balances projection',
    narration:
      'The balances projection has crashed and lost its memory: its view was only in memory, and ' +
      'it keeps no checkpoint with the defaults. The log keeps growing meanwhile. The projection-lag ' +
      'chart jumps to the whole log: that is how much the projection will have to replay.',
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
      'whole log in batches. It folds every event, in order, into balances.',
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
        'A projection is a pure fold of the log, and the log never changes, so replaying it gives the ' +
        'same view every time: the "projection equals the fold of the log" invariant checks it after ' +
        'every event. This is why read models in an event-sourced system are disposable: change one, ' +
        'wipe it, replay. The cost is replay time, which grows with the log (a checkpoint parameter ' +
        'lets a projection resume from disk instead).',
    },
    waitFor: {
      description: 'the balances projection has caught up again',
      isMet: (world) => isProjectionCaughtUp(world, balancesId),
      timeoutMs: 5000,
    },
  },
  {
    id: 'replay-grows',
    title: 'Loads get longer as the log grows',
    narration:
      'Every command loads its account by replaying the account’s whole stream. The hot account, ' +
      'acct-1, gets the most commands, so its stream is the longest: watch the replay-length chart ' +
      '(events read per load) climb, and with it the store’s time per load and the command latency.',
    waitFor: {
      description: 'acct-1’s stream holds 60 events',
      isMet: (world) => streamOf(world, hotAccount).length >= 60,
      timeoutMs: 30_000,
    },
  },
  {
    id: 'snapshots',
    title: 'Snapshots cut replay cost',
    narration:
      'Now snapshots are switched on: whenever an account’s version passes a multiple of 10, the ' +
      'handler that appended saves the folded state to the store, and loads start from the latest ' +
      'snapshot.',
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
        'A load now reads the snapshot plus the events after it: fewer than 10 here, however long the ' +
        'stream. The stream itself is untouched: snapshots are a cache, derived from the log and ' +
        'checked against it (the replay invariant compares every snapshot with the fold).',
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
    title: 'Time travel: an account as of an old version',
    narration:
      'handler-1 is asked for acct-1 as of half its history: it reads the stream up to that version ' +
      'and folds it, like checking out an old commit. Open handler-1 in the inspector: "asOf" shows ' +
      'the balance then and every change up to then, with the client and handler that made it. ' +
      'Open the event store’s durable state to see each stream’s events.',
    actions: (world) => [
      {
        type: 'scenario.fault',
        fault: 'as-of',
        node: firstHandler,
        args: { account: 1, version: pastVersion(world) },
      },
    ],
    waitFor: {
      description: 'handler-1 shows acct-1 as of the old version',
      isMet: (world) => {
        const handler = handlersOf(world).find((each) => each.node.id === firstHandler);
        return handler?.state?.asOf?.version !== undefined && handler.state.asOf.version !== null;
      },
      timeoutMs: 3000,
    },
  },
  {
    id: 'baseline',
    title: 'What the CRUD baseline cannot tell you',
    narration:
      'Last, the operator rebuilds the audit view from scratch, and it comes back identical. Now ' +
      'switch to the baseline: a CRUD store with one row per account, overwritten on every change. ' +
      'It is just as safe against races (it checks a row version), but it keeps no past: ask it ' +
      '"as of" and it can only say the history is gone; there is no audit trail to rebuild and ' +
      'nothing to replay.',
    actions: () => [
      { type: 'scenario.fault', fault: 'rebuild-projection', node: auditId, args: {} },
    ],
    waitFor: {
      description: 'the audit view is rebuilt',
      isMet: (world) => isProjectionCaughtUp(world, auditId),
      timeoutMs: 5000,
    },
  },
];
