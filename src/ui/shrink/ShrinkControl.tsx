import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RunDescription } from '../../engine/types.ts';
import type { ShrinkResult } from '../../shrink/shrink.ts';
import { type CommandTextContext, recordedCommandText } from '../../worker/commandText.ts';
import { compareFragment, payloadFor } from '../compare/compareUrl.ts';
import { fragmentFor } from '../state/controller.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { createShrinkWorker, type ShrinkWorkerFactory } from './shrinkWorker.ts';
import { phaseText, progressText, resultSentence, runsText } from './shrinkText.ts';
import { type ShrinkState, useShrink } from './useShrink.ts';
import './shrink.css';

/** How far past the first violation a run is shrunk when the frontier is not further yet. */
const pastViolationUs = 1000;

/**
 * "Shrink" for one violated safety invariant: finds the smallest run that still breaks it (the
 * run on screen, up to its frontier, shrunk in a worker), shows the search's progress with a
 * Cancel button, then the minimal command log with "Open the minimal run", "Compare with the
 * original" (both side by side on the compare page) and "Copy link".
 * The run on screen is never changed until the minimal run is opened.
 */
export function ShrinkControl({
  invariantId,
  description,
  violationUs,
  factory = createShrinkWorker,
}: {
  readonly invariantId: string;
  readonly description: string;
  readonly violationUs: number;
  readonly factory?: ShrinkWorkerFactory;
}) {
  const { state, start, cancel, reset } = useShrink(factory);
  const view = useSimStore((store) => store.view);
  const region = useRef<HTMLDivElement>(null);

  // Another run on screen: whatever was shrunk belongs to the old one.
  useEffect(() => {
    reset();
  }, [view, reset]);

  // The button pressed (Shrink, Cancel) may be gone after the state changes: keep the focus in
  // the control rather than losing it to the page.
  useEffect(() => {
    const active = document.activeElement;
    if (active !== null && active !== document.body) return;
    region.current?.querySelector<HTMLElement>('button')?.focus();
  }, [state.status]);

  const onShrink = () => {
    const { view: current, commands, frame } = useSimStore.getState();
    if (current === null) return;
    const durationUs = Math.max(frame?.frontierUs ?? 0, violationUs + pastViolationUs);
    start({ run: { ...current.run, commands }, durationUs, invariantId });
  };

  return (
    <div className="shrink" ref={region}>
      {state.status === 'running' ? (
        <div className="shrink-running">
          <p className="muted shrink-progress">
            {state.progress === null ? 'Starting…' : progressText(state.progress)}
          </p>
          <button
            type="button"
            className="small"
            aria-label={`Cancel shrinking ${invariantId}`}
            disabled={state.isStopping}
            onClick={cancel}
          >
            {state.isStopping ? 'Stopping…' : 'Cancel'}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="small"
          aria-label={`Find the smallest run that still breaks ${description}`}
          title="Search for the fewest commands that still break this invariant (the run on screen stays as it is)."
          onClick={onShrink}
        >
          Shrink
        </button>
      )}
      {/* While running, the progress line above shows the phase; the region only says it. */}
      <p
        className={state.status === 'running' ? 'shrink-status visually-hidden' : 'shrink-status'}
        role="status"
      >
        {statusText(state)}
      </p>
      {state.status === 'done' ? <ShrinkOutcome result={state.result} /> : null}
      {state.status === 'cancelled' ? (
        <OpenButton run={state.smallest} atUs={state.durationUs}>
          Open the smallest failing run so far
        </OpenButton>
      ) : null}
    </div>
  );
}

/**
 * What the live region says: the phase only while running (not every run, which would be
 * chatty), then the outcome in one sentence.
 */
function statusText(state: ShrinkState): string {
  switch (state.status) {
    case 'idle':
      return '';
    case 'running':
      if (state.isStopping) return 'Stopping…';
      return `Shrinking: ${state.progress === null ? 'starting' : phaseText[state.progress.phase].toLowerCase()}`;
    case 'done':
      return resultSentence(state.result);
    case 'cancelled':
      return `Stopped after ${runsText(state.runs)}.`;
    case 'failed':
      return state.message;
    default: {
      const unknown: never = state;
      return String(unknown);
    }
  }
}

function ShrinkOutcome({ result }: { readonly result: ShrinkResult }) {
  const meta = useSimStore((store) => store.view?.meta);
  const nodeIds = useSimStore(
    useShallow((store) => store.view?.topology.nodes.map((node) => node.id) ?? []),
  );
  const context: CommandTextContext = meta === undefined ? { nodeIds } : { nodeIds, meta };
  const { minimal } = result;
  return (
    <div className="shrink-outcome">
      {minimal.run.commands.length === 0 ? (
        <p className="muted">It breaks without any command.</p>
      ) : (
        <ol className="shrink-commands" aria-label="Commands of the minimal run">
          {minimal.run.commands.map((entry, index) => (
            <li key={`${index}:${entry.atUs}`} className="mono">
              {recordedCommandText(entry, context)}
            </li>
          ))}
        </ol>
      )}
      <div className="shrink-actions">
        <OpenButton run={minimal.run} atUs={minimal.violation.timeUs}>
          Open the minimal run
        </OpenButton>
        <a
          className="button small"
          href={besideOriginalUrl(result)}
          title="The original run and the minimal one side by side, both where the original broke"
        >
          Compare with the original
        </a>
        <CopyLink run={minimal.run} durationUs={minimal.durationUs} />
      </div>
    </div>
  );
}

/**
 * The compare page with the original run as side a and the minimal one as side b, both at the
 * original's violation (the minimal run never breaks later, so both have broken there).
 */
function besideOriginalUrl(result: ShrinkResult): string {
  const baseUrl = window.location.href.split('#')[0] ?? '';
  const atUs = result.original.violation.timeUs;
  const payloads = {
    a: payloadFor(result.original.run, atUs),
    b: payloadFor(result.minimal.run, atUs),
  };
  return `${baseUrl}${compareFragment(payloads)}`;
}

/** Opens a run in this tab paused at `atUs`, as Explore's "Open seed N" does. */
function OpenButton({
  run,
  atUs,
  children,
}: {
  readonly run: RunDescription;
  readonly atUs: number;
  readonly children: string;
}) {
  const controller = useController();
  return (
    <button
      type="button"
      className="small"
      onClick={() => {
        void controller.load(run, atUs);
      }}
    >
      {children}
    </button>
  );
}

/** Copies the minimal run's share link; where the clipboard is refused, shows it to copy. */
function CopyLink({
  run,
  durationUs,
}: {
  readonly run: RunDescription;
  readonly durationUs: number;
}) {
  const [said, setSaid] = useState('');
  const [fallback, setFallback] = useState<string | null>(null);
  const url = `${window.location.href.split('#')[0] ?? ''}${fragmentFor(run, durationUs)}`;
  const copy = () => {
    // The DOM typings say clipboard always exists; insecure origins and old browsers lack it.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard === undefined) {
      setFallback(url);
      return;
    }
    clipboard.writeText(url).then(
      () => {
        setSaid('Link copied');
      },
      () => {
        setFallback(url);
      },
    );
  };
  return (
    <>
      <button
        type="button"
        className="small"
        aria-label="Copy link to the minimal run"
        onClick={copy}
      >
        Copy link
      </button>
      <span className="muted" role="status">
        {said}
      </span>
      {fallback === null ? null : (
        <label className="shrink-fallback">
          Link to the minimal run (copy it by hand)
          <input
            type="text"
            readOnly
            value={fallback}
            onFocus={(event) => {
              event.currentTarget.select();
            }}
          />
        </label>
      )}
    </>
  );
}
