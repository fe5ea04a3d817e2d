import { type SyntheticEvent, useEffect, useId, useRef, useState } from 'react';
import type {
  ExperimentSummary,
  FromExperimentWorker,
  ToExperimentWorker,
} from '../../experiments/messages.ts';
import type { ExperimentPoint, ExperimentResult } from '../../experiments/run.ts';
import { NumberField } from '../panels/NumberField.tsx';
import { useController } from '../state/context.ts';
import type { WorkerPort } from '../state/workerPort.ts';
import { ExperimentFigure } from './ExperimentFigure.tsx';
import { experimentLink, linkedExperiment, pageSeedsMax } from './experimentText.ts';
import { createExperimentWorker, type ExperimentWorkerFactory } from './experimentWorker.ts';
import './experiments.css';

type Status =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly done: number; readonly total: number }
  | { readonly kind: 'done'; readonly result: ExperimentResult }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * "Experiments": a parameter of a scenario swept over values × seeds in a background worker,
 * with progress and cancel, drawn as the figure it reproduces with the theory overlaid; each
 * point opens its seed-1 run in the main view, and "Copy link" shares the experiment. The
 * experiments' code stays in the worker: the page gets their list and results as data.
 */
export function ExperimentsPanel({
  workerFactory = createExperimentWorker,
}: {
  /** Tests pass one that runs in-process; the page uses a real module worker. */
  readonly workerFactory?: ExperimentWorkerFactory;
}) {
  const controller = useController();
  // A shared link (`?experiment=…`) opens the panel and runs its experiment once listed.
  const [linked, setLinked] = useState(() => linkedExperiment(window.location.search));
  const [isOpen, setOpen] = useState(linked !== null);
  const [list, setList] = useState<readonly ExperimentSummary[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [seeds, setSeeds] = useState('');
  const [seedsProblem, setSeedsProblem] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [copied, setCopied] = useState<string | null>(null);
  const workerRef = useRef<WorkerPort<ToExperimentWorker> | null>(null);
  const selectId = useId();
  const experiment = list?.find((each) => each.id === chosen) ?? list?.[0] ?? null;

  const onMessage = (message: FromExperimentWorker) => {
    switch (message.type) {
      case 'list': {
        setList(message.experiments);
        const found = message.experiments.find((each) => each.id === linked?.id);
        if (linked !== null && found !== undefined) {
          // A shared link runs its experiment as soon as the list is in.
          setLinked(null);
          const count = Math.min(pageSeedsMax, linked.seeds ?? found.defaultSeeds);
          setChosen(found.id);
          setSeeds(String(count));
          setStatus({ kind: 'running', done: 0, total: found.runsPerSeed * count });
          workerRef.current?.post({ type: 'run', experimentId: found.id, seedCount: count });
        }
        return;
      }
      case 'progress':
        setStatus({ kind: 'running', done: message.done, total: message.total });
        return;
      case 'result':
        setStatus({ kind: 'done', result: message.result });
        return;
      case 'failed':
        setStatus({ kind: 'failed', message: message.message });
        return;
      default: {
        const unknown: never = message;
        return unknown;
      }
    }
  };
  // The worker's callbacks are made once; they reach the newest handler through this ref.
  const onMessageRef = useRef(onMessage);
  useEffect(() => {
    onMessageRef.current = onMessage;
  });

  const startWorker = (): WorkerPort<ToExperimentWorker> => {
    const port = workerFactory(
      (message) => {
        onMessageRef.current(message);
      },
      (reason) => {
        workerRef.current?.terminate();
        workerRef.current = null;
        setStatus({ kind: 'failed', message: `The experiment worker stopped: ${reason}` });
      },
    );
    workerRef.current = port;
    return port;
  };

  // The worker starts when the panel is first opened (a link opens it at once).
  useEffect(() => {
    if (!isOpen) return;
    if (workerRef.current === null && list === null) startWorker().post({ type: 'list' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- started once; the ref keeps it.
  }, [isOpen]);
  useEffect(
    () => () => {
      workerRef.current?.terminate();
    },
    [],
  );

  const seedCountOf = (summary: ExperimentSummary): number | null => {
    const text = seeds.trim() === '' ? String(summary.defaultSeeds) : seeds;
    const count = Number(text);
    if (!Number.isInteger(count) || count < 1 || count > pageSeedsMax) {
      setSeedsProblem(`Seeds must be a whole number from 1 to ${pageSeedsMax}.`);
      return null;
    }
    setSeedsProblem(undefined);
    return count;
  };

  const run = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (experiment === null) return;
    const count = seedCountOf(experiment);
    if (count === null) return;
    const port = workerRef.current ?? startWorker();
    setStatus({ kind: 'running', done: 0, total: experiment.runsPerSeed * count });
    port.post({ type: 'run', experimentId: experiment.id, seedCount: count });
  };

  const cancel = () => {
    // A run cannot be interrupted from outside: the worker goes, a new one comes on the next run.
    workerRef.current?.terminate();
    workerRef.current = null;
    setStatus({ kind: 'cancelled' });
  };

  const open = (point: ExperimentPoint) => {
    void controller.load(
      {
        scenarioId: point.run.scenario,
        seed: 1,
        variant: point.run.variant,
        params: point.run.params,
        commands: [],
      },
      point.run.durationMs * 1000,
    );
  };

  const copyLink = () => {
    if (experiment === null) return;
    const count = seedCountOf(experiment);
    if (count === null) return;
    const link = experimentLink(window.location, experiment.id, count);
    void navigator.clipboard.writeText(link).then(
      () => {
        setCopied('Link copied.');
      },
      () => {
        setCopied(`Copy this link: ${link}`);
      },
    );
  };

  const isRunning = status.kind === 'running';
  return (
    <details
      className="panel experiments"
      open={isOpen}
      onToggle={(event) => {
        setOpen(event.currentTarget.open);
      }}
    >
      <summary>Experiments</summary>
      {list === null ? (
        <p className="muted hint">Loading the experiments…</p>
      ) : (
        <form className="experiments-form" aria-label="Experiments" noValidate onSubmit={run}>
          <div className="field">
            <label htmlFor={selectId}>Experiment</label>
            <select
              id={selectId}
              value={experiment?.id ?? ''}
              disabled={isRunning}
              onChange={(event) => {
                setChosen(event.currentTarget.value);
                setSeeds('');
                setCopied(null);
              }}
            >
              {list.map((each) => (
                <option key={each.id} value={each.id}>
                  {each.title}
                </option>
              ))}
            </select>
          </div>
          {experiment === null ? null : (
            <>
              <p className="muted hint">{experiment.summary}</p>
              <p className="muted hint">Reproduces: {experiment.reproduces}</p>
              <NumberField
                label="Seeds"
                value={seeds === '' ? String(experiment.defaultSeeds) : seeds}
                min={1}
                max={pageSeedsMax}
                step={1}
                error={seedsProblem}
                help={`Seeds 1…N for each of ${experiment.runsPerSeed} points.`}
                onChange={setSeeds}
              />
            </>
          )}
          <div className="button-row">
            <button type="submit" disabled={isRunning || experiment === null}>
              Run
            </button>
            <button type="button" disabled={!isRunning} onClick={cancel}>
              Cancel
            </button>
            <button type="button" className="small" onClick={copyLink}>
              Copy link
            </button>
          </div>
          {copied === null ? null : (
            <p className="muted hint" role="status">
              {copied}
            </p>
          )}
        </form>
      )}
      <StatusView status={status} onOpen={open} />
    </details>
  );
}

function StatusView({
  status,
  onOpen,
}: {
  readonly status: Status;
  readonly onOpen: (point: ExperimentPoint) => void;
}) {
  switch (status.kind) {
    case 'idle':
      return null;
    case 'running':
      return (
        <div className="experiments-progress" role="status">
          <progress
            max={status.total}
            value={status.done}
            aria-label={`${status.done} of ${status.total} runs`}
          />
          <span>
            {status.done} of {status.total} runs
          </span>
        </div>
      );
    case 'cancelled':
      return (
        <p className="muted hint" role="status">
          Cancelled.
        </p>
      );
    case 'failed':
      return <p role="alert">{status.message}</p>;
    case 'done':
      return <ExperimentFigure result={status.result} onOpen={onOpen} />;
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}
