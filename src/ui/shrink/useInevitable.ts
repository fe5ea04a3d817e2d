import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  InevitableInput,
  InevitableProgress,
  InevitableResult,
} from '../../shrink/inevitable.ts';
import type { InevitableReplyMessage } from '../../shrink/inevitableMessages.ts';
import type { InevitableWorkerFactory, InevitableWorkerHandle } from './inevitableWorker.ts';

export type InevitableState =
  | { readonly status: 'idle' }
  | {
      readonly status: 'running';
      /** Null until the worker reports its first point. */
      readonly progress: InevitableProgress | null;
      readonly isStopping: boolean;
    }
  | { readonly status: 'done'; readonly result: InevitableResult }
  | { readonly status: 'cancelled'; readonly progress: InevitableProgress }
  | { readonly status: 'failed'; readonly message: string };

const idle: InevitableState = { status: 'idle' };

/**
 * One measurement at a time in its own worker, as `useShrink` runs a shrink: start, cancel (the
 * worker stops before its next run and answers with the points so far), and the outcome.
 */
export function useInevitable(factory: InevitableWorkerFactory): {
  readonly state: InevitableState;
  readonly start: (input: InevitableInput) => void;
  readonly cancel: () => void;
  readonly reset: () => void;
} {
  const [state, setState] = useState<InevitableState>(idle);
  const worker = useRef<InevitableWorkerHandle | null>(null);

  const stop = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
  }, []);

  useEffect(() => stop, [stop]);

  const start = useCallback(
    (input: InevitableInput) => {
      stop();
      // Messages from a worker that has since been replaced or stopped are ignored.
      const isCurrent = () => worker.current === handle;
      const finish = (next: InevitableState) => {
        if (!isCurrent()) return;
        stop();
        setState(next);
      };
      const onMessage = (message: InevitableReplyMessage) => {
        if (!isCurrent()) return;
        switch (message.type) {
          case 'progress':
            setState((before) =>
              before.status === 'running' ? { ...before, progress: message.progress } : before,
            );
            return;
          case 'done':
            finish({ status: 'done', result: message.result });
            return;
          case 'cancelled':
            finish({ status: 'cancelled', progress: message.progress });
            return;
          case 'failed':
            finish({ status: 'failed', message: message.message });
            return;
          default: {
            const unknown: never = message;
            return unknown;
          }
        }
      };
      const handle: InevitableWorkerHandle = factory({
        onMessage,
        onError: (reason) => {
          finish({
            status: 'failed',
            message: `Measuring stopped: the worker failed (${reason}). The run on screen is unchanged.`,
          });
        },
      });
      worker.current = handle;
      setState({ status: 'running', progress: null, isStopping: false });
      handle.post({ type: 'start', input });
    },
    [factory, stop],
  );

  const cancel = useCallback(() => {
    worker.current?.post({ type: 'cancel' });
    setState((before) => (before.status === 'running' ? { ...before, isStopping: true } : before));
  }, []);

  const reset = useCallback(() => {
    stop();
    setState(idle);
  }, [stop]);

  return { state, start, cancel, reset };
}
