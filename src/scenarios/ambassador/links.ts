import type { LinkConfig } from '../../engine/network.ts';
import { paramOf, perDirectionLoss } from './protocol.ts';

/** The two kinds of link in the topology: the co-located hop and the WAN. */

/** [1] The co-located hop: same host, a fraction of a millisecond, nothing lost. */
export const localLink: LinkConfig = {
  latency: { kind: 'uniform', minUs: 50, maxUs: 150 },
  lossProbability: 0,
  duplicateProbability: 0,
};

/**
 * The WAN: the mean latency plus or minus the jitter, uniformly, and the round-trip loss split
 * evenly between the two directions (protocol.ts, note [1]).
 */
export function wanLinkOf(params: Readonly<Record<string, number>>): LinkConfig {
  const meanUs = paramOf({ params }, 'wanLatencyMs') * 1000;
  const jitterUs = paramOf({ params }, 'wanJitterMs') * 1000;
  return {
    latency: {
      kind: 'uniform',
      minUs: Math.round(Math.max(0, meanUs - jitterUs)),
      maxUs: Math.round(meanUs + jitterUs),
    },
    lossProbability: perDirectionLoss(paramOf({ params }, 'wanLossPercent') / 100),
    duplicateProbability: 0,
  };
}

/*
 * [1] Co-location is the pattern's premise: the app reaches its ambassador over loopback or a
 *     shared pod network, so moving the hard network logic there costs almost nothing. The link
 *     is an ordinary link all the same: the generic controls can still break it.
 */
