import { describe, expect, it } from 'vitest';
import { eventSourcing } from './model.ts';
import { applicationMessageTypes } from './protocol.ts';
import { storeMessageTypes } from './storeProtocol.ts';
import { at, defaultsWith, fault, runFor, start } from './testKit.ts';
import { eventSourcingView } from './view.ts';

/*
 * The view hints cover the scenario: a colour for every message type, a shape for every role, a
 * fill for every summary label the nodes actually show (read from the trace of runs that go
 * through every state), and a title for every metric.
 */

describe('view hints', () => {
  it('colour every message type, and only those', () => {
    const types = [...applicationMessageTypes, ...storeMessageTypes].sort((a, b) =>
      a < b ? -1 : 1,
    );
    expect(Object.keys(eventSourcingView.messageColours).sort((a, b) => (a < b ? -1 : 1))).toEqual(
      types,
    );
  });

  it('draw every role of both variants', () => {
    for (const variant of ['pattern', 'baseline'] as const) {
      for (const node of eventSourcing.topology(defaultsWith(), variant).nodes) {
        expect(eventSourcingView.roles[node.role], node.role).toBeDefined();
      }
    }
  });

  it('fill every summary label the nodes show', () => {
    const labels = new Set<string>();
    for (const variant of ['pattern', 'baseline'] as const) {
      const store = variant === 'pattern' ? 'event-store' : 'crud-store';
      const commands = [
        at(1000, fault('slow-store', store, { factor: 30 })),
        at(2500, fault('recover-store', store)),
        at(3000, { type: 'node.crash', node: 'handler-1' }),
        ...(variant === 'pattern' ? [at(3500, fault('rebuild-projection', 'audit'))] : []),
      ];
      const sim = start(1, {
        variant,
        commands,
        params: { hotAccountPercent: 80 },
        traceWindowMax: 200_000,
      });
      runFor(sim, 5000);
      for (const event of sim.traceEvents(0)) {
        if (event.type === 'node.state') labels.add(event.label.split('|')[0] ?? '');
      }
      for (const node of sim.nodes) labels.add(node.summary.label);
    }
    for (const label of ['retrying', 'slow store', 'rebuilding', 'crud store', 'down'])
      expect(labels).toContain(label);
    for (const label of labels) expect(eventSourcingView.stateColours[label], label).toBeDefined();
  });

  it('title every metric', () => {
    expect(Object.keys(eventSourcingView.metricLabels)).toEqual(
      eventSourcing.metrics.map((spec) => spec.name),
    );
  });
});
