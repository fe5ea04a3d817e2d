import { useCallback, useEffect, useRef, useState } from 'react';
import type { Verdict } from '../../consistency/verdict.ts';
import type { ConsistencyReply, ConsistencyRequest } from '../../worker/consistencyMessages.ts';
import type { RunHistory } from '../../worker/protocol.ts';
import type { ConsistencyWorkerFactory, ConsistencyWorkerHandle } from './consistencyWorker.ts';

export type CheckState =
  | { readonly status: 'idle' }
  | { readonly status: 'fetching' }
  | { readonly status: 'checking'; readonly operations: number }
  | { readonly status: 'done'; readonly history: RunHistory; readonly verdicts: readonly Verdict[] }
  /** The scenario records no history (the panel is not offered then; a race may still get here). */
  | { readonly status: 'none' }
  | { readonly status: 'failed'; readonly message: string };

const idle: CheckState = { status: 'idle' };

/**
 * One check at a time: ask the run for its history (`fetchHistory`, the sim worker's `history`
 * request), then check it in a consistency worker of its own, which ends with the answer, a new
 * check, `reset` or the component. Answers to a check since replaced are dropped.
 */
export function useConsistencyCheck(
  factory: ConsistencyWorkerFactory,
  fetchHistory: () => Promise<RunHistory | null>,
): { readonly state: CheckState; readonly check: () => void; readonly reset: () => void } {
  const [state, setState] = useState<CheckState>(idle);
  const worker = useRef<ConsistencyWorkerHandle | null>(null);
  const generation = useRef(0);

  const stop = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
  }, []);

  useEffect(
    () => () => {
      generation.current += 1;
      stop();
    },
    [stop],
  );

  const reset = useCallback(() => {
    generation.current += 1;
    stop();
    setState(idle);
  }, [stop]);

  const check = useCallback(() => {
    generation.current += 1;
    const mine = generation.current;
    const isCurrent = () => generation.current === mine;
    stop();
    setState({ status: 'fetching' });
    const checkIt = (history: RunHistory) => {
      const finish = (next: CheckState) => {
        if (!isCurrent()) return;
        stop();
        setState(next);
      };
      const onMessage = (reply: ConsistencyReply) => {
        if (reply.type === 'verdicts')
          finish({ status: 'done', history, verdicts: reply.verdicts });
        else
          finish({
            status: 'failed',
            message: `The history was refused: ${reply.problems.join('; ')}`,
          });
      };
      worker.current = factory({
        onMessage,
        onError: (reason) => {
          finish({ status: 'failed', message: `Checking stopped: the worker failed (${reason}).` });
        },
      });
      setState({ status: 'checking', operations: history.ops.length });
      // The worker's schema types values as mutable JSON; it checks what it gets anyway.
      worker.current.post({
        type: 'check',
        requestId: mine,
        ops: history.ops as ConsistencyRequest['ops'],
        options: history.check as ConsistencyRequest['options'],
      });
    };
    fetchHistory().then(
      (history) => {
        if (!isCurrent()) return;
        if (history === null) setState({ status: 'none' });
        else checkIt(history);
      },
      (error: unknown) => {
        if (!isCurrent()) return;
        const reason = error instanceof Error ? error.message : String(error);
        setState({ status: 'failed', message: `The run's history could not be read: ${reason}` });
      },
    );
  }, [factory, fetchHistory, stop]);

  return { state, check, reset };
}
