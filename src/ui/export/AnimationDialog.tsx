import { useEffect, useId, useRef, useState } from 'react';
import { downloadBlob } from '../controls/viewExport.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { formatInfo, videoFormatsFor, type AnimationFormat } from './encoders.ts';
import { ExportCancelled, exportAnimation, type AnimationHost } from './exportAnimation.ts';
import {
  defaultWindow,
  frameRates,
  frameWidths,
  planFrames,
  secondsToUs,
  usToSeconds,
} from './framePlan.ts';
import { pageHost } from './pageHost.ts';
import './animation.css';

export interface AnimationDialogProps {
  readonly onClose: () => void;
  /** The page the frames are taken from; the app's own unless a test passes another. */
  readonly host?: AnimationHost;
}

interface Progress {
  readonly done: number;
  readonly total: number;
}

/**
 * "Animation…" from the export menu: a time window of the run as an animated GIF, or as a WebM
 * or MP4 video where this browser can encode one at the chosen size. A native modal <dialog>:
 * Escape closes it (cancelling an export under way), and while frames are taken it shows how
 * many of how many, with Cancel, which stops and keeps nothing.
 */
export function AnimationDialog({ onClose, host }: AnimationDialogProps) {
  const controller = useController();
  const initial = useState(() => {
    const frame = useSimStore.getState().frame;
    const now = frame?.timeUs ?? 0;
    return defaultWindow(now, frame?.frontierUs ?? now);
  })[0];
  const [fromText, setFromText] = useState(usToSeconds(initial.fromUs));
  const [toText, setToText] = useState(usToSeconds(initial.toUs));
  const [fps, setFps] = useState<number>(10);
  const [width, setWidth] = useState<number>(960);
  const [format, setFormat] = useState<AnimationFormat>('gif');
  const [videoFormats, setVideoFormats] = useState<readonly AnimationFormat[]>([]);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  const abort = useRef<AbortController | null>(null);
  const titleId = useId();
  const problemId = useId();
  const isBusy = progress !== null;

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    return () => {
      // Closing mid-export (the menu unmounts it) must not leave frames being taken.
      abort.current?.abort();
      if (element.open) element.close();
      if (opener?.isConnected === true) opener.focus();
    };
  }, []);

  // Which video formats this browser can encode at the chosen width (asked once per width).
  useEffect(() => {
    let isCurrent = true;
    void videoFormatsFor(width, width).then((formats) => {
      if (!isCurrent) return;
      setVideoFormats(formats);
      setFormat((chosen) => (chosen === 'gif' || formats.includes(chosen) ? chosen : 'gif'));
    });
    return () => {
      isCurrent = false;
    };
  }, [width]);

  const start = async (): Promise<void> => {
    setStatus('');
    const fromUs = secondsToUs(fromText);
    const toUs = secondsToUs(toText);
    if (fromUs === null || toUs === null) {
      setProblem('Give the window’s start and end in seconds, e.g. 2.5.');
      return;
    }
    const { frame, view } = useSimStore.getState();
    if (frame === null || view === null) {
      setProblem('There is no run to export yet.');
      return;
    }
    const planned = planFrames({ fromUs, toUs, fps, runEndUs: frame.frontierUs });
    if (!planned.ok) {
      setProblem(planned.problem);
      return;
    }
    setProblem('');
    const cancel = new AbortController();
    abort.current = cancel;
    setProgress({ done: 0, total: planned.plan.timesUs.length });
    try {
      const result = await exportAnimation(
        { plan: planned.plan, width, format },
        host ?? (await pageHost(controller)),
        {
          signal: cancel.signal,
          onProgress: (done, total) => {
            setProgress({ done, total });
          },
        },
      );
      const info = formatInfo[format];
      const variant = view.run.variant === 'baseline' ? '-baseline' : '';
      const name = `${view.run.scenarioId}${variant}-seed-${view.run.seed}-${Math.floor(fromUs / 1000)}-${Math.floor(toUs / 1000)}ms-${fps}fps.${info.extension}`;
      downloadBlob(new Blob([result.bytes], { type: info.mimeType }), name);
      const kilobytes = Math.ceil(result.bytes.length / 1024);
      setStatus(
        `Saved ${name}: ${planned.plan.timesUs.length} frames, ${result.width}×${result.height}, ${kilobytes} kB.`,
      );
    } catch (error) {
      if (error instanceof ExportCancelled) setStatus('Export cancelled; nothing was saved.');
      else
        setProblem(
          `The animation could not be made: ${error instanceof Error ? error.message : String(error)}`,
        );
    } finally {
      abort.current = null;
      setProgress(null);
    }
  };

  const close = (): void => {
    abort.current?.abort();
    onClose();
  };

  const field = (id: string) => ({
    id,
    'aria-describedby': problem === '' ? undefined : problemId,
  });
  return (
    <dialog
      ref={dialog}
      className="modal-dialog animation-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: the parent unmounts the dialog, whose cleanup closes it and restores focus.
        event.preventDefault();
        close();
      }}
      onKeyDown={(event) => {
        // The page's shortcuts (Space plays…) must not act on the run behind the dialog.
        event.stopPropagation();
      }}
    >
      <form
        className="animation-dialog-content"
        onSubmit={(event) => {
          event.preventDefault();
          if (!isBusy) void start();
        }}
      >
        <h2 id={titleId}>Export an animation</h2>
        <p className="muted">
          Frames are taken at exact simulated times, so the same run always gives the same pictures.
        </p>
        <fieldset disabled={isBusy} className="animation-dialog-fields">
          <label htmlFor={`${titleId}-from`}>From (s)</label>
          <input
            {...field(`${titleId}-from`)}
            type="text"
            inputMode="decimal"
            value={fromText}
            onChange={(event) => {
              setFromText(event.currentTarget.value);
            }}
          />
          <label htmlFor={`${titleId}-to`}>To (s)</label>
          <input
            {...field(`${titleId}-to`)}
            type="text"
            inputMode="decimal"
            value={toText}
            onChange={(event) => {
              setToText(event.currentTarget.value);
            }}
          />
          <label htmlFor={`${titleId}-fps`}>Frame rate</label>
          <select
            id={`${titleId}-fps`}
            value={fps}
            onChange={(event) => {
              setFps(Number(event.currentTarget.value));
            }}
          >
            {frameRates.map((rate) => (
              <option key={rate} value={rate}>
                {rate} frames/s
              </option>
            ))}
          </select>
          <label htmlFor={`${titleId}-width`}>Width</label>
          <select
            id={`${titleId}-width`}
            value={width}
            onChange={(event) => {
              setWidth(Number(event.currentTarget.value));
            }}
          >
            {frameWidths.map((pixels) => (
              <option key={pixels} value={pixels}>
                {pixels} px
              </option>
            ))}
          </select>
          <label htmlFor={`${titleId}-format`}>Format</label>
          <select
            id={`${titleId}-format`}
            value={format}
            onChange={(event) => {
              setFormat(event.currentTarget.value as AnimationFormat);
            }}
          >
            {(['gif', ...videoFormats] as const).map((option) => (
              <option key={option} value={option}>
                {formatInfo[option].label}
              </option>
            ))}
          </select>
        </fieldset>
        <p id={problemId} className="animation-dialog-problem" role="alert">
          {problem}
        </p>
        {progress === null ? null : (
          <div className="animation-dialog-progress">
            <progress max={progress.total} value={progress.done} aria-label="Frames taken" />
            <span>
              {progress.done} of {progress.total} frames
            </span>
          </div>
        )}
        <p className="animation-dialog-status" role="status">
          {status}
        </p>
        <div className="animation-dialog-buttons">
          <button type="submit" className="primary" disabled={isBusy}>
            Export
          </button>
          {isBusy ? (
            <button
              type="button"
              onClick={() => {
                abort.current?.abort();
              }}
            >
              Cancel export
            </button>
          ) : null}
          <button type="button" onClick={close}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}
