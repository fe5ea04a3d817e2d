import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useThrottledStore } from '../charts/useThrottledStore.ts';
import type { TraceEvent } from '../../engine/trace.ts';
import type { Frame } from '../../worker/protocol.ts';
import { useSimStore, type SimStore } from '../state/store.ts';
import { buildChronicle, type Chronicle } from './messages.ts';
import type { RedrawPace } from './redrawPace.ts';

/** The diagram's reading of the store: the chronicle of the kept events up to the time shown. */
export interface ChronicleView {
  readonly chronicle: Chronicle;
  /** Lane names, in topology order. */
  readonly nodeIds: readonly string[];
  readonly nowUs: number;
  readonly isPlaying: boolean;
}

interface Source {
  readonly events: readonly TraceEvent[];
  readonly frame: Frame | null;
}

/**
 * Builds the chronicle from the store's kept events and the latest frame (its time and the
 * messages it has in flight), again only when one of them changes, and while the run plays no
 * more often than `pace` allows (a paused run's changes, from seeks and steps, come at once).
 */
export function useChronicle(pace: RedrawPace): ChronicleView {
  const [select] = useState(() => sourceSelector());
  const { events, frame } = useThrottledStore(select, () =>
    useSimStore.getState().frame?.isPlaying === true ? pace.waitMs() : 0,
  );
  const nodeIds = useSimStore(
    useShallow((state) => state.view?.topology.nodes.map((node) => node.id) ?? []),
  );
  const nowUs = frame?.timeUs ?? 0;
  const inFlight = frame?.inFlight;
  const inFlightTypes = frame?.inFlightTypes;
  const laneCount = nodeIds.length;
  const chronicle = useMemo(
    () =>
      pace.time('chronicle', () =>
        buildChronicle({
          events,
          nowUs,
          nodeCount: laneCount,
          ...(inFlight === undefined ? {} : { inFlight }),
          ...(inFlightTypes === undefined ? {} : { inFlightTypes }),
        }),
      ),
    [pace, events, nowUs, laneCount, inFlight, inFlightTypes],
  );
  return { chronicle, nodeIds, nowUs, isPlaying: frame?.isPlaying ?? false };
}

/** Selects the events and the frame together, as the same object while neither changes. */
function sourceSelector(): (state: SimStore) => Source {
  let last: Source = { events: [], frame: null };
  return (state) => {
    if (state.events !== last.events || state.frame !== last.frame) {
      last = { events: state.events, frame: state.frame };
    }
    return last;
  };
}
