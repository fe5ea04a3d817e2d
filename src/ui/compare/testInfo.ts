import type { ScenarioFaultSpec } from '../../engine/types.ts';
import type { ScenarioMeta } from '../../worker/protocol.ts';
import type { SideInfo } from './protocol.ts';

const paramSpec = { default: 1, min: 0, max: 10, step: 1, unit: '', help: '' };

/** A fault for the service role only, as a scenario might declare it. */
export const slowFault: ScenarioFaultSpec = {
  id: 'slow',
  label: 'Make slow',
  help: '',
  roles: ['service'],
  args: {},
};

/**
 * A side's info for tests: a client–service–dependency chain (the baseline without the
 * dependency when `hasDependency` is false), one live and one fixed parameter, one metric.
 */
export function sideInfoFixture(
  variant: 'pattern' | 'baseline',
  hasDependency = true,
  params: Readonly<Record<string, number>> = { rate: 5, pool: 4 },
): SideInfo {
  const nodes = [
    { id: 'client', role: 'client', layout: null },
    { id: 'service', role: 'service', layout: null },
    ...(hasDependency ? [{ id: 'dependency', role: 'dependency', layout: null }] : []),
  ];
  const links: (readonly [number, number])[] = [
    [0, 1],
    [1, 0],
    ...(hasDependency
      ? ([
          [1, 2],
          [2, 1],
        ] as const)
      : []),
  ];
  const meta: ScenarioMeta = {
    id: 'fixture',
    version: 1,
    title: 'Fixture Pattern',
    summary: '',
    baselineLabel: 'direct calls',
    instrumentTitle: null,
    defaultSpeed: 1,
    baselineSummary: '',
    params: {
      rate: { ...paramSpec, label: 'Request rate', unit: 'req/s', isLive: true },
      pool: { ...paramSpec, label: 'Pool size' },
    },
    metrics: [
      { name: 'rejections', unit: 'requests', description: 'rejected', aggregate: 'sum' },
      ...(variant === 'pattern'
        ? [{ name: 'trips', unit: 'trips', description: 'trips', aggregate: 'sum' as const }]
        : []),
    ],
    invariants: [],
    faults: [slowFault],
    moments: [],
    tour: [],
  };
  return {
    meta,
    topology: { nodes, links },
    run: { scenarioId: 'fixture', scenarioVersion: 1, seed: 3, variant, params, commands: [] },
  };
}
