import type { NodeContext } from '../../engine/types.ts';
import { aggregateAsOf, describeEvent } from './account.ts';
import type { HandlerMessage, HandlerState } from './handler.ts';
import { accountId, countParam } from './protocol.ts';
import { handlerWith } from './stateCopies.ts';
import type { LoadedMessage } from './storeProtocol.ts';

/**
 * "As of": an account's state at any past version, answered by replaying its stream up to that
 * version, like checking out an old commit. An operator control on a command handler asks the
 * store for the stream's first `version` events and folds them with `aggregateAsOf`; the answer
 * (balance, and every change up to then with who made it) is kept in the handler's state for the
 * inspector and noted in the trace. The baseline's CRUD store has only the current row: the
 * question has no answer there.
 */

/** Changes listed in an answer (the latest ones up to the version asked). */
export const asOfHistoryMax = 20;

export interface AsOfRequest {
  readonly requestId: number;
  readonly stream: string;
  /** The version asked for (0: the latest). */
  readonly version: number;
}

export interface AsOfView {
  readonly stream: string;
  readonly askedVersion: number;
  /** The version reached (the stream may be shorter than asked); null when there is no history. */
  readonly version: number | null;
  readonly balance: number | null;
  /** The stream's version now, for comparison. */
  readonly latestVersion: number | null;
  /** Who changed the account, up to that version (the latest changes). */
  readonly history: readonly string[];
  readonly note: string;
}

type Context = NodeContext<HandlerMessage>;

/** Starts an "as of" query (`args.account`, `args.version`; version 0 means the latest). */
export function startAsOf(
  state: HandlerState,
  args: Readonly<Record<string, number>>,
  ctx: Context,
  storeRole: string,
): HandlerState {
  const accounts = countParam(ctx, 'accountCount', 2);
  const stream = accountId(Math.min(accounts, Math.max(1, Math.round(args.account ?? 1))));
  const version = Math.max(0, Math.round(args.version ?? 0));
  if (state.mode === 'crud') {
    const note = `the CRUD store keeps only ${stream}'s current balance: its balance as of v${version}, and who changed it, are lost`;
    ctx.annotate(`as of: ${note}`);
    const asOf: AsOfView = {
      stream,
      askedVersion: version,
      version: null,
      balance: null,
      latestVersion: null,
      history: [],
      note,
    };
    return handlerWith(state, { asOfRequest: null, asOf });
  }
  const store = ctx.nodesWithRole(storeRole)[0];
  if (store === undefined) return state;
  const requestId = state.nextRequestId;
  ctx.send(store, {
    type: 'Load',
    loadId: requestId,
    stream,
    afterVersion: 0,
    upToVersion: version > 0 ? version : null,
    useSnapshot: false,
  });
  return handlerWith(state, {
    nextRequestId: requestId + 1,
    asOfRequest: { requestId, stream, version },
  });
}

/** The store's answer: fold up to the version asked. */
export function asOfReply(state: HandlerState, message: LoadedMessage, ctx: Context): HandlerState {
  const request = state.asOfRequest;
  if (request?.requestId !== message.loadId) return state;
  const asked = request.version > 0 ? request.version : message.version;
  const { version, state: account } = aggregateAsOf(message.events, asked);
  const history = message.events
    .filter((event) => event.version <= version)
    .slice(-asOfHistoryMax)
    .map(describeEvent);
  const note = `${request.stream} as of v${version}: balance ${account.balance} (now at v${message.version})`;
  ctx.annotate(note);
  const asOf: AsOfView = {
    stream: request.stream,
    askedVersion: request.version,
    version,
    balance: account.balance,
    latestVersion: message.version,
    history,
    note,
  };
  return handlerWith(state, { asOfRequest: null, asOf });
}
