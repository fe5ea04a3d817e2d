import type { MomentSink, MomentSpec, NodeId, NodeView, WorldView } from '../../engine/types.ts';
import type { AmbassadorState } from './ambassadorState.ts';
import { allowanceOf, budgetWindowUs } from './budget.ts';
import { paramOf, remoteRole } from './protocol.ts';
import type { RemoteState } from './remote.ts';
import type { AppState } from './app.ts';
import { ambassadorStateOf, appStateOf } from './world.ts';

/**
 * The moments a learner wants marked: an ambassador's retry budget running out (the storm it
 * prevents) and having room again, an instance taken out of rotation by its breaker and put back,
 * and a remote instance's queue filling up (both variants: the overload retries make worse) and
 * draining. A hedge winning happens on most hedged requests, so it is a metric, not a moment.
 */
export const ambassadorMoments: readonly MomentSpec[] = [
  { id: 'budget-exhausted', label: 'Retry budget exhausted' },
  { id: 'budget-restored', label: 'Retry budget restored' },
  { id: 'instance-ejected', label: 'Instance ejected' },
  { id: 'instance-restored', label: 'Instance restored' },
  { id: 'remote-overloaded', label: 'Remote overloaded' },
  { id: 'remote-drained', label: 'Remote drained' },
  { id: 'requests-failing', label: 'Requests failing' },
  { id: 'requests-recovered', label: 'Requests recovered' },
];

/** The span an app's success rate is judged over, and the fewest answers judged. */
export const successWindowUs = 1_000_000;
const answersJudgedMin = 10;
/** Below this share of successes an app is failing; at or above the second it has recovered. */
const failingBelow = 0.4;
const recoveredFrom = 0.75;

/** One app's answers counted at the start of the current window. */
interface AppSeen {
  readonly app: NodeId;
  windowStartUs: number;
  succeeded: number;
  failed: number;
  isFailing: boolean;
}

/** An ambassador's budget as last reported. */
interface BudgetSeen {
  readonly ambassador: NodeId;
  /** Refusals counted when last looked at (the counter restarts with the ambassador). */
  refusals: number;
  isExhausted: boolean;
}

/** One ambassador's breaker for one instance, reported open and not yet closed. */
interface Ejection {
  readonly ambassador: NodeId;
  readonly remote: NodeId;
}

/** What the moments remember between events (plain data, in the monitor's memory). */
export interface MomentMemory {
  budgets: BudgetSeen[];
  ejections: Ejection[];
  /** Remote instances reported overloaded and not yet drained. */
  overloaded: NodeId[];
  apps: AppSeen[];
}

export function createMomentMemory(): MomentMemory {
  return { budgets: [], ejections: [], overloaded: [], apps: [] };
}

/** Reports what changed with the event at `node` (every node after a command). */
export function noticeMoments(
  world: WorldView,
  node: NodeView | undefined,
  memory: MomentMemory,
  moment: MomentSink,
): void {
  if (node !== undefined) {
    noticeNode(world, node, memory, moment);
    return;
  }
  for (const each of world.nodes) noticeNode(world, each, memory, moment);
}

function noticeNode(
  world: WorldView,
  node: NodeView,
  memory: MomentMemory,
  moment: MomentSink,
): void {
  if (node.status === 'crashed') return;
  const ambassador = ambassadorStateOf(node);
  if (ambassador !== null) {
    noticeBudget(world, node.id, ambassador, memory, moment);
    noticeBreakers(node.id, ambassador, memory, moment);
  } else if (node.role === remoteRole && node.state !== undefined) {
    noticeRemote(node.id, node.state as RemoteState, memory, moment);
  } else {
    const app = appStateOf(node);
    if (app !== null) noticeApp(world.nowUs, node.id, app, memory, moment);
  }
}

/**
 * An app's requests as its user sees them, in both variants: judged once a second from the
 * answers of that second. Failing when fewer than 40% succeeded (the baseline's 20% loss alone
 * keeps it near 80%), recovered once 75% do again (hysteresis, so one bad second is one moment).
 */
function noticeApp(
  nowUs: number,
  id: NodeId,
  state: AppState,
  memory: MomentMemory,
  moment: MomentSink,
): void {
  let seen: AppSeen | undefined;
  for (const each of memory.apps) if (each.app === id) seen = each;
  // A restarted app counts from zero again: start a new window.
  if (seen === undefined || state.succeeded < seen.succeeded || state.failed < seen.failed) {
    if (seen === undefined) {
      seen = { app: id, windowStartUs: nowUs, succeeded: 0, failed: 0, isFailing: false };
      memory.apps.push(seen);
    }
    seen.windowStartUs = nowUs;
    seen.succeeded = state.succeeded;
    seen.failed = state.failed;
    return;
  }
  if (nowUs - seen.windowStartUs < successWindowUs) return;
  const succeeded = state.succeeded - seen.succeeded;
  const failed = state.failed - seen.failed;
  seen.windowStartUs = nowUs;
  seen.succeeded = state.succeeded;
  seen.failed = state.failed;
  const answers = succeeded + failed;
  if (answers < answersJudgedMin) return;
  if (!seen.isFailing && succeeded < answers * failingBelow) {
    seen.isFailing = true;
    moment(
      'requests-failing',
      `${id}'s requests are failing: only ${succeeded} of its last ${answers} succeeded`,
      [id],
    );
  } else if (seen.isFailing && succeeded >= answers * recoveredFrom) {
    seen.isFailing = false;
    moment(
      'requests-recovered',
      `${id}'s requests succeed again: ${succeeded} of its last ${answers}`,
      [id],
    );
  }
}

/**
 * Hysteresis: exhausted at the first refusal, restored only once the window's retries are down
 * to three quarters of what the budget allows, so a budget hovering at its limit is one moment.
 */
function noticeBudget(
  world: WorldView,
  id: NodeId,
  state: AmbassadorState,
  memory: MomentMemory,
  moment: MomentSink,
): void {
  let seen: BudgetSeen | undefined;
  for (const each of memory.budgets) if (each.ambassador === id) seen = each;
  if (seen === undefined) {
    seen = { ambassador: id, refusals: 0, isExhausted: false };
    memory.budgets.push(seen);
  }
  const refusals = state.counters.budgetRefusals;
  const isRefusing = refusals > seen.refusals;
  seen.refusals = refusals;
  let requests = 0;
  let retries = 0;
  if (isRefusing || seen.isExhausted) {
    for (const slice of state.budget.slices) {
      requests += slice.requests;
      retries += slice.retries;
    }
  }
  const windowS = budgetWindowUs / 1_000_000;
  if (!seen.isExhausted) {
    if (!isRefusing) return;
    seen.isExhausted = true;
    moment(
      'budget-exhausted',
      `${id}'s retry budget is spent: ${retries} retries and hedges for ${requests} requests ` +
        `in the last ${windowS} s (${paramOf(world, 'retryBudgetPercent')}% + ` +
        `${paramOf(world, 'retryBudgetMinPerSec')}/s allowed), so it refuses more`,
      [id],
    );
    return;
  }
  const allowance = allowanceOf(requests, world.params);
  if (retries * 4 > allowance * 3) return;
  seen.isExhausted = false;
  moment(
    'budget-restored',
    `${id}'s retry budget has room again: ${retries} retries and hedges in the last ${windowS} s ` +
      `of ${Math.floor(allowance)} allowed`,
    [id],
  );
}

/**
 * An instance is ejected when the ambassador's breaker for it opens, and restored when that
 * breaker closes; a failed trial (half-open back to open) keeps it ejected, one moment.
 */
function noticeBreakers(
  id: NodeId,
  state: AmbassadorState,
  memory: MomentMemory,
  moment: MomentSink,
): void {
  const { remotes, breakers } = state.instances;
  for (let index = 0; index < breakers.length; index++) {
    const breaker = breakers[index];
    const remote = remotes[index];
    if (breaker === undefined || remote === undefined) continue;
    const at = ejectionIndex(memory.ejections, id, remote);
    if (breaker.value === 'open' && at < 0) {
      memory.ejections.push({ ambassador: id, remote });
      moment(
        'instance-ejected',
        `${id} stopped sending to ${remote}: its breaker opened (${breaker.context.reason})`,
        [id, remote],
      );
    } else if (breaker.value === 'closed' && at >= 0) {
      memory.ejections.splice(at, 1);
      moment(
        'instance-restored',
        breaker.context.reason === 'initial state'
          ? `${id} restarted with fresh breakers: ${remote} gets attempts again`
          : `${id} sends to ${remote} again: its breaker closed (${breaker.context.reason})`,
        [id, remote],
      );
    }
  }
}

function ejectionIndex(ejections: readonly Ejection[], ambassador: NodeId, remote: NodeId): number {
  for (let index = 0; index < ejections.length; index++) {
    const each = ejections[index];
    if (each?.ambassador === ambassador && each.remote === remote) return index;
  }
  return -1;
}

/** Overloaded when the queue is full (calls are rejected), drained once it is empty again. */
function noticeRemote(
  id: NodeId,
  state: RemoteState,
  memory: MomentMemory,
  moment: MomentSink,
): void {
  const at = memory.overloaded.indexOf(id);
  if (at < 0) {
    if (state.queue.length < state.queueLimitSeen) return;
    memory.overloaded.push(id);
    moment(
      'remote-overloaded',
      `${id} is overloaded: its queue of ${state.queueLimitSeen} calls is full, so it rejects new ones`,
      [id],
    );
  } else if (state.queue.length === 0) {
    memory.overloaded.splice(at, 1);
    moment('remote-drained', `${id} has drained its queue: it is keeping up again`, [id]);
  }
}
