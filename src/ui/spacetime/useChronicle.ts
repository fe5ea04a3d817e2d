import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSimStore } from '../state/store.ts';
import { buildChronicle, type Chronicle } from './messages.ts';

/** The diagram's reading of the store: the chronicle of the kept events up to the time shown. */
export interface ChronicleView {
  readonly chronicle: Chronicle;
  /** Lane names, in topology order. */
  readonly nodeIds: readonly string[];
  readonly nowUs: number;
  readonly isPlaying: boolean;
}

/**
 * Builds the chronicle from the store's kept events and the latest frame (its time and the
 * messages it has in flight), again only when one of them changes.
 */
export function useChronicle(): ChronicleView {
  const events = useSimStore((state) => state.events);
  const frame = useSimStore((state) => state.frame);
  const nodeIds = useSimStore(
    useShallow((state) => state.view?.topology.nodes.map((node) => node.id) ?? []),
  );
  const nowUs = frame?.timeUs ?? 0;
  const inFlight = frame?.inFlight;
  const inFlightTypes = frame?.inFlightTypes;
  const laneCount = nodeIds.length;
  const chronicle = useMemo(
    () =>
      buildChronicle({
        events,
        nowUs,
        nodeCount: laneCount,
        ...(inFlight === undefined ? {} : { inFlight }),
        ...(inFlightTypes === undefined ? {} : { inFlightTypes }),
      }),
    [events, nowUs, laneCount, inFlight, inFlightTypes],
  );
  return { chronicle, nodeIds, nowUs, isPlaying: frame?.isPlaying ?? false };
}
