import type { RecordedCommand } from '../../engine/types.ts';
import type { RunRequest } from '../../worker/protocol.ts';
import type { SimController } from '../state/controller.ts';
import { useSimStore, type SimStore } from '../state/store.ts';
import { commandsByTime, payloadOf } from './compareUrl.ts';
import { mirrorDecision, newCommands } from './mirror.ts';
import {
  envelope,
  openEnvelope,
  type FromSide,
  type SideInfo,
  type SideName,
  type ToSide,
} from './protocol.ts';
import { seriesDelta } from './seriesDelta.ts';

/** What the bridge needs from the page it runs in, injectable for tests. */
export interface BridgeEnv {
  /** Sends a message to the compare page. */
  post(message: FromSide): void;
  /** Calls `listener` with each request the compare page sends; returns an unsubscribe. */
  listen(listener: (request: ToSide) => void): () => void;
  /** The page's own fragment, which its controller keeps holding the run. */
  currentFragment(): string;
}

/** The browser's bridge environment: messages to and from the parent window, same origin only. */
export function browserBridgeEnv(side: SideName): BridgeEnv {
  return {
    post: (message) => {
      window.parent.postMessage(envelope(side, message), window.location.origin);
    },
    listen: (listener) => {
      const onMessage = (event: MessageEvent) => {
        if (event.source !== window.parent || event.origin !== window.location.origin) return;
        const opened = openEnvelope(event.data);
        if (opened?.side === side) listener(opened.message as ToSide);
      };
      window.addEventListener('message', onMessage);
      return () => {
        window.removeEventListener('message', onMessage);
      };
    },
    currentFragment: () => window.location.hash,
  };
}

/**
 * Connects one side of a comparison to the compare page: reports the run, each frame's time,
 * metric samples, invariants, the command log and the person's own commands, and carries out
 * the page's requests (step to a time, seek, apply a mirrored command, load a run) one at a time.
 */
export function startBridge(controller: SimController, env: BridgeEnv): () => void {
  let isMirroring = false;
  let lastPayload: string | null = null;
  let lastNoticeId = 0;
  let queue: Promise<void> = Promise.resolve();
  // Undoing a drop on one side would leave the other side forked (see `setUndoOffered`).
  controller.setUndoOffered(false);

  const onChange = (state: SimStore, previous: SimStore) => {
    const isNewRun = state.view !== previous.view;
    if (isNewRun && state.view !== null) env.post({ type: 'loaded', info: sideInfo(state) });
    reportFrame(env, state, previous);
    if (state.commands !== previous.commands) {
      env.post({ type: 'log', commands: state.commands });
      // A load replaces the log wholesale; only commands given on a loaded run are new.
      const added = isNewRun || isMirroring ? [] : newCommands(previous.commands, state.commands);
      for (const recorded of added) env.post({ type: 'user-command', recorded });
    }
    const payload = payloadOf(env.currentFragment());
    if (payload !== null && payload !== lastPayload) {
      lastPayload = payload;
      env.post({ type: 'link', payload });
    }
    for (const notice of state.notices) {
      if (notice.id <= lastNoticeId) continue;
      lastNoticeId = notice.id;
      env.post({ type: 'notice', tone: notice.tone, text: notice.text });
    }
    if (state.phase === 'crashed' && previous.phase !== 'crashed') {
      env.post({ type: 'failed', message: 'Its simulation worker stopped.' });
    }
  };

  const mirror = async (request: Extract<ToSide, { type: 'mirror' }>): Promise<FromSide> => {
    await moveTo(controller, request.atUs);
    const before = useSimStore.getState().commands.length;
    isMirroring = true;
    try {
      await controller.command(request.command, { isMirrored: true });
    } finally {
      isMirroring = false;
    }
    const isOk = useSimStore.getState().commands.length > before;
    const message = isOk ? '' : (latestNoticeText() ?? 'the run refused it');
    return { type: 'done', requestId: request.requestId, isOk, message };
  };

  const carryOut = async (request: ToSide): Promise<FromSide> => {
    switch (request.type) {
      case 'step-until':
        await controller.step({ kind: 'until', timeUs: request.timeUs });
        return { type: 'done', requestId: request.requestId, isOk: true, message: '' };
      case 'seek':
        await controller.seek(request.timeUs);
        return { type: 'done', requestId: request.requestId, isOk: true, message: '' };
      case 'mirror':
        return mirror(request);
      case 'load': {
        const message = await loadFitting(controller, request.run, request.positionUs);
        return { type: 'done', requestId: request.requestId, isOk: message === '', message };
      }
      default: {
        const unknown: never = request;
        throw new Error(`Unknown compare request ${JSON.stringify(unknown)}`);
      }
    }
  };

  const unsubscribeStore = useSimStore.subscribe(onChange);
  const unlisten = env.listen((request) => {
    queue = queue.then(async () => {
      env.post(await carryOut(request));
    });
  });
  env.post({ type: 'hello' });
  const state = useSimStore.getState();
  if (state.view !== null) env.post({ type: 'loaded', info: sideInfo(state) });
  return () => {
    unsubscribeStore();
    unlisten();
  };
}

function sideInfo(state: SimStore): SideInfo {
  const view = state.view;
  if (view === null) throw new Error('No run is loaded.');
  return {
    meta: view.meta,
    topology: view.topology,
    run: { ...view.run, commands: state.commands },
  };
}

function reportFrame(env: BridgeEnv, state: SimStore, previous: SimStore): void {
  const frame = state.frame;
  if (frame === null) return;
  if (frame !== previous.frame) {
    env.post({
      type: 'frame',
      timeUs: frame.timeUs,
      frontierUs: frame.frontierUs,
      traceHash: frame.traceHash,
      invariants: frame.invariants,
    });
  }
  const delta = seriesDelta(
    { ...previous, frontierUs: previous.frame?.frontierUs ?? -1 },
    { ...state, frontierUs: frame.frontierUs },
  );
  if (delta !== null) env.post({ type: 'series', delta });
}

/** Puts the run at exactly `timeUs`: forward by stepping, back by seeking. */
async function moveTo(controller: SimController, timeUs: number): Promise<void> {
  const nowUs = useSimStore.getState().frame?.timeUs ?? 0;
  if (nowUs < timeUs) await controller.step({ kind: 'until', timeUs });
  else if (nowUs > timeUs) await controller.seek(timeUs);
}

function latestNoticeText(): string | null {
  return useSimStore.getState().notices.at(-1)?.text ?? null;
}

/**
 * Loads `run` keeping only the commands that fit its topology (another variant may lack a node
 * the commands name): first without commands to learn the topology, then with those that fit.
 * Returns '' when all fitted, else what was left out and why.
 */
async function loadFitting(
  controller: SimController,
  run: RunRequest,
  positionUs: number,
): Promise<string> {
  await controller.load({ ...run, commands: [] }, 0);
  const view = useSimStore.getState().view;
  if (view === null || view.run.scenarioId !== run.scenarioId) {
    return latestNoticeText() ?? 'the run could not be loaded';
  }
  const info: SideInfo = { meta: view.meta, topology: view.topology, run: view.run };
  const kept: RecordedCommand[] = [];
  const reasons: string[] = [];
  for (const recorded of commandsByTime(run.commands)) {
    const decision = mirrorDecision(recorded.command, info, null);
    if (decision.ok) kept.push({ atUs: recorded.atUs, command: decision.command });
    else reasons.push(`${recorded.command.type}: ${decision.reason}`);
  }
  await controller.load({ ...run, commands: kept }, positionUs);
  return reasons.length === 0 ? '' : `left out ${reasons.join('; ')}`;
}
