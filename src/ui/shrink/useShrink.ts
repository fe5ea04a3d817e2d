import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunDescription } from '../../engine/types.ts';
import type { ShrinkInput, ShrinkProgress, ShrinkResult } from '../../shrink/shrink.ts';
import type { ShrinkReplyMessage } from '../../shrink/shrinkMessages.ts';
import type { ShrinkWorkerFactory, ShrinkWorkerHandle } from './shrinkWorker.ts';

export type ShrinkState =
  | { readonly status: 'idle' }
  | {
      readonly status: 'running';
      /** Null until the worker reports its first run. */
      readonly progress: ShrinkProgress | null;
      readonly isStopping: boolean;
    }
  | { readonly status: 'done'; readonly result: ShrinkResult }
  | {
      readonly status: 'cancelled';
      readonly runs: number;
      readonly smallest: RunDescription;
      /** How long the shrunk run was played (the smallest run so far opens there). */
      readonly durationUs: number;
    }
  | { readonly status: 'failed'; readonly message: string };

const idle: ShrinkState = { status: 'idle' };

/**
 * One shrink at a time in its own worker: start, cancel (the worker stops before its next run
 * and answers with how far it got), and the outcome. The worker ends with the outcome, with a
 * new start, with `reset` and with the component.
 */
export function useShrink(factory: ShrinkWorkerFactory): {
  readonly state: ShrinkState;
  readonly start: (input: ShrinkInput) => void;
  readonly cancel: () => void;
  readonly reset: () => void;
} {
  const [state, setState] = useState<ShrinkState>(idle);
  const worker = useRef<ShrinkWorkerHandle | null>(null);

  const stop = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
  }, []);

  useEffect(() => stop, [stop]);

  const start = useCallback(
    (input: ShrinkInput) => {
      stop();
      // Messages from a worker that has since been replaced or stopped are ignored.
      const isCurrent = () => worker.current === handle;
      const finish = (next: ShrinkState) => {
        if (!isCurrent()) return;
        stop();
        setState(next);
      };
      const onMessage = (message: ShrinkReplyMessage) => {
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
            finish({
              status: 'cancelled',
              runs: message.runs,
              smallest: message.smallest,
              durationUs: input.durationUs,
            });
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
      const handle: ShrinkWorkerHandle = factory({
        onMessage,
        onError: (reason) => {
          finish({
            status: 'failed',
            message: `Shrinking stopped: the worker failed (${reason}). The run on screen is unchanged.`,
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
