import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExplorePlan } from '../../explore/plan.ts';
import { useSimStore } from '../state/store.ts';
import {
  ExplorePool,
  type ExploreWorkerFactory,
  type PoolProgress,
  poolSizeFor,
} from './explorePool.ts';

const idle: PoolProgress = { status: 'idle', plan: null, total: 0, outcomes: [] };

/** The explore pool's progress, plus start and cancel; the pool's workers end with the component. */
export function useExplorePool(factory: ExploreWorkerFactory): {
  readonly progress: PoolProgress;
  readonly start: (plan: ExplorePlan) => void;
  readonly cancel: () => void;
} {
  const [progress, setProgress] = useState<PoolProgress>(idle);
  const pool = useRef<ExplorePool | null>(null);
  useEffect(() => {
    const created = new ExplorePool({
      factory,
      size: poolSizeFor(navigator.hardwareConcurrency),
      onProgress: setProgress,
      onNotice: (text) => {
        useSimStore.getState().addNotice('error', text);
      },
    });
    pool.current = created;
    return () => {
      created.dispose();
      pool.current = null;
    };
  }, [factory]);
  const start = useCallback((plan: ExplorePlan) => {
    pool.current?.start(plan);
  }, []);
  const cancel = useCallback(() => {
    pool.current?.cancel();
  }, []);
  return { progress, start, cancel };
}
