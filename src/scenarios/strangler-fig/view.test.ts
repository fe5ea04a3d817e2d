import { describe, expect, it } from 'vitest';
import { stranglerFig } from './model.ts';
import { messageTypes } from './protocol.ts';
import { defaultsWith, start } from './testKit.ts';
import { stranglerFigView } from './view.ts';

describe('view hints and declarations', () => {
  const metricNames = new Set(stranglerFig.metrics.map((spec) => spec.name));

  it('colour every message type, draw every role and label every metric', () => {
    for (const type of messageTypes) expect(stranglerFigView.messageColours[type]).toBeDefined();
    const roles = new Set(
      stranglerFig.topology(defaultsWith(), 'pattern').nodes.map((n) => n.role),
    );
    for (const role of roles) expect(stranglerFigView.roles[role]).toBeDefined();
    for (const name of metricNames) expect(stranglerFigView.metricLabels[name]).toBeDefined();
    for (const colour of Object.values(stranglerFigView.messageColours)) {
      expect(colour).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  it('chart only declared metrics in the stacked area and the bars', () => {
    const grouped = [
      ...(stranglerFigView.stackedAreas ?? []).flatMap((area) => area.layers),
      ...(stranglerFigView.barGroups ?? []).flatMap((group) => group.bars),
    ];
    expect(grouped.length).toBeGreaterThan(0);
    for (const { metric } of grouped) expect(metricNames.has(metric)).toBe(true);
  });

  it('colour every summary label the nodes take on in both variants', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      const sim = start(1, {
        variant,
        traceWindowMax: 500_000,
        commands: [
          { atUs: 500_000, command: { type: 'node.crash', node: 'new-payments' } },
          { atUs: 600_000, command: { type: 'node.restart', node: 'new-payments' } },
          {
            atUs: 1_000_000,
            command: {
              type: 'scenario.fault',
              fault: 'buggy-release',
              node: 'new-orders',
              args: { errorRatePct: 100, wrongRatePct: 0 },
            },
          },
          {
            atUs: 1_000_000,
            command: {
              type: 'scenario.fault',
              fault: 'move-route',
              node: 'facade',
              args: { route: 2 },
            },
          },
          {
            atUs: 5_000_000,
            command: { type: 'scenario.fault', fault: 'fix-release', node: 'new-orders' },
          },
          {
            atUs: 5_000_000,
            command: { type: 'scenario.fault', fault: 'move-all-routes', node: 'facade' },
          },
        ],
      });
      sim.runUntil(15_000_000);
      const labels = new Set(
        sim.trace
          .since(0)
          .filter((event) => event.type === 'node.state')
          .map((event) => event.label.split('|')[0] ?? ''),
      );
      for (const label of labels) {
        expect(stranglerFigView.stateColours[label], `${variant}: ${label}`).toBeDefined();
      }
      expect(labels.size).toBeGreaterThan(4);
    }
  });

  it('give every fault and control argument a default inside its bounds', () => {
    for (const fault of stranglerFig.faults) {
      for (const spec of Object.values(fault.args)) {
        expect(spec.default).toBeGreaterThanOrEqual(spec.min);
        expect(spec.default).toBeLessThanOrEqual(spec.max);
      }
    }
  });
});
