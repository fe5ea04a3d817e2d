// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Operation } from '../../consistency/history.ts';
import type { Verdict } from '../../consistency/verdict.ts';
import type { RecordedCommand } from '../../engine/types.ts';
import type { ConsistencyTable } from '../../scenarios/viewHints.ts';
import type { ConsistencyRequest } from '../../worker/consistencyMessages.ts';
import type { RunHistory } from '../../worker/protocol.ts';
import { useSimStore } from '../state/store.ts';
import { renderWithController, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { ConsistencyPanel } from './ConsistencyPanel.tsx';
import type { ConsistencyWorkerEvents, ConsistencyWorkerFactory } from './consistencyWorker.ts';

/** A fake worker: records what the page posts and lets the test answer. */
function fakeWorkers() {
  const posted: ConsistencyRequest[] = [];
  const terminated: number[] = [];
  let events: ConsistencyWorkerEvents | null = null;
  let created = 0;
  const factory: ConsistencyWorkerFactory = (given) => {
    events = given;
    const id = ++created;
    return { post: (message) => posted.push(message), terminate: () => terminated.push(id) };
  };
  const worker = () => {
    if (events === null) throw new Error('no worker started');
    return events;
  };
  return { factory, posted, terminated, worker };
}

// Clients named as the fixture topology's nodes (n1, n2, n3), so a bar can select its node.
const write: Operation = {
  id: 1,
  client: 'n1',
  key: 'k1',
  kind: 'write',
  value: 5,
  invokeUs: 1_000_000,
  completeUs: 1_100_000,
};
const staleRead: Operation = {
  id: 2,
  client: 'n2',
  key: 'k1',
  kind: 'read',
  result: 0,
  invokeUs: 1_200_000,
  completeUs: 1_300_000,
};
const otherKey: Operation = {
  id: 3,
  client: 'n3',
  key: 'k2',
  kind: 'read',
  result: 0,
  invokeUs: 1_150_000,
  completeUs: 1_250_000,
};
// Far from the anomaly: recorded but not drawn.
const later: Operation[] = Array.from({ length: 50 }, (_, index) => ({
  id: 10 + index,
  client: 'n1',
  key: 'k1',
  kind: 'write',
  value: 100 + index,
  invokeUs: 5_000_000 + index * 100_000,
  completeUs: 5_000_000 + index * 100_000 + 50_000,
}));
const ops = [write, staleRead, otherKey, ...later];
// The stale read's messages are known; the write's are older than the kept trace.
const readTrail = { messages: [40, 41, 44, 45], nodes: [1, 2], lastUs: 1_300_000 };
const history: RunHistory = {
  ops,
  trails: ops.map((op) => (op === staleRead ? readTrail : null)),
  check: { model: 'register', initial: 0 },
  promises: ['linearizable'],
};

const sentence = "n2 read 0 at 1.200 s after n1's write of 5 had been acknowledged at 1.100 s.";
const verdict = (model: Verdict['model'], status: Verdict['status']): Verdict => ({
  model,
  status,
  violations: [],
  note: null,
  steps: 0,
});
const verdicts: Verdict[] = [
  {
    ...verdict('linearizable', 'violated'),
    violations: [
      { key: 'k1', ops: [1, 2], sentence, longestOrder: [1], unplaced: [2, 10, 11, 12] },
    ],
  },
  {
    ...verdict('sequential', 'gave-up'),
    note: 'Gave up on the history after 1000000 search steps: too many overlapping operations to decide within the budget.',
    steps: 1_000_000,
  },
  verdict('read-your-writes', 'ok'),
];

const commands: RecordedCommand[] = [
  { atUs: 1_150_000, command: { type: 'node.crash', node: 'n3' } },
  { atUs: 1_160_000, command: { type: 'param.set', key: 'heartbeatMs', value: 60 } },
];

const table: ConsistencyTable = {
  rows: [
    {
      label: 'pattern, defaults',
      seeds: [1, 2],
      cells: {
        linearizable: 'violated',
        sequential: 'undecided (seeds 1, 2)',
        'read-your-writes': 'violated (seed 2)',
        'monotonic-reads': 'holds',
        'monotonic-writes': 'holds',
        'writes-follow-reads': 'holds',
      },
    },
  ],
};

function renderPanel(factory: ConsistencyWorkerFactory, reply: Promise<RunHistory | null>) {
  const controller = {
    simClient: { history: vi.fn(() => reply) },
    seek: vi.fn<(timeUs: number) => Promise<void>>(() => Promise.resolve()),
  };
  seedStore({ commands });
  renderWithController(<ConsistencyPanel table={table} factory={factory} />, controller);
  return controller;
}

async function checkAndAnswer(fake: ReturnType<typeof fakeWorkers>) {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Check consistency' }));
    await Promise.resolve();
  });
  expect(screen.getByRole('status').textContent).toBe('Checking 53 operations…');
  act(() => {
    fake.worker().onMessage({ type: 'verdicts', requestId: 1, verdicts });
  });
}

describe('ConsistencyPanel', () => {
  afterEach(resetAfterTest);

  it('checks the run’s history in the worker and shows one row per model', async () => {
    const fake = fakeWorkers();
    const controller = renderPanel(fake.factory, Promise.resolve(history));
    await checkAndAnswer(fake);
    expect(controller.simClient.history).toHaveBeenCalledTimes(1);
    expect(fake.posted).toEqual([
      {
        type: 'check',
        requestId: expect.any(Number) as number,
        ops: history.ops,
        options: { model: 'register', initial: 0 },
      },
    ]);
    expect(fake.terminated).toEqual([1]);
    expect(screen.getByRole('status').textContent).toBe('Checked 53 operations: 1 model violated.');
    const rows = screen.getAllByRole('listitem');
    expect(rows[0]?.textContent).toContain('Linearizableviolatedpromised by these settings');
    expect(rows[1]?.textContent).toContain('Sequentially consistentgave upnot promised');
    expect(rows[2]?.textContent).toContain('Read your writesoknot promised');
    expect(screen.getByText(sentence)).toBeTruthy();
    // Gave up: said plainly, with the budget.
    expect(
      screen.getByText(/^Gave up on the history after 1000000 search steps: too many/),
    ).toBeTruthy();
    expect(
      screen.getByText(
        'The longest order found places 1 operation; it cannot place n2 read k1 returned 0, 1.200 s to 1.300 s; n1 write k1 100, 5.000 s to 5.050 s; n1 write k1 101, 5.100 s to 5.150 s and 1 more.',
      ),
    ).toBeTruthy();
  });

  it('draws the anomaly’s neighbourhood; a bar picks its messages and seeks to its answer', async () => {
    const fake = fakeWorkers();
    const controller = renderPanel(fake.factory, Promise.resolve(history));
    await checkAndAnswer(fake);
    // The witness and the op overlapping it, not the 50 later ones.
    expect(screen.getByText(/^showing 3 of 53 operations/)).toBeTruthy();
    const picture = screen.getByRole('group', {
      name: 'Operations by client over simulated time, breaking Linearizable',
    });
    const bars = within(picture).getAllByRole('button');
    expect(bars.map((bar) => bar.getAttribute('aria-label'))).toEqual([
      'n1 write k1 5, 1.000 s to 1.100 s, part of the anomaly',
      'n3 read k2 returned 0, 1.150 s to 1.250 s',
      'n2 read k1 returned 0, 1.200 s to 1.300 s, part of the anomaly, cannot be placed',
    ]);
    expect(bars.map((bar) => bar.textContent)).toEqual([
      expect.stringContaining('w k1←5') as string,
      expect.stringContaining('r k2→0') as string,
      expect.stringContaining('r k1→0') as string,
    ]);
    // The crash is marked on the axis; the parameter change is not a fault.
    const marks = picture.querySelectorAll('.history-fault');
    expect(marks).toHaveLength(1);
    expect(marks[0]?.textContent).toContain('crash n3');

    // The stale read: its messages and nodes are picked, and the run goes to its answer, where
    // the diagram holds the whole exchange.
    act(() => {
      useSimStore.getState().select({ kind: 'node', node: 2 });
    });
    fireEvent.click(bars[2] as Element);
    expect(controller.seek).toHaveBeenCalledWith(1_300_000);
    expect(useSimStore.getState().selection).toBeNull();
    expect(useSimStore.getState().trail).toEqual({
      name: 'n2 read k1 returned 0, 1.200 s to 1.300 s',
      messages: readTrail.messages,
      nodes: readTrail.nodes,
      fromUs: 1_200_000,
      toUs: 1_300_000,
    });
    expect(useSimStore.getState().highlighted).toEqual(readTrail.nodes);
    // The write's messages are no longer known: its invocation and its client, no trail.
    expect((bars[0] as HTMLElement).tabIndex).toBe(0);
    fireEvent.keyDown(bars[0] as Element, { key: 'Enter' });
    expect(controller.seek).toHaveBeenLastCalledWith(1_000_000);
    expect(useSimStore.getState().selection).toEqual({ kind: 'node', node: 0 });
    expect(useSimStore.getState().trail).toBeNull();
    expect(useSimStore.getState().highlighted).toEqual([]);
  });

  it('says a reason shared by consecutive models once, and "as above" after it', async () => {
    const fake = fakeWorkers();
    renderPanel(fake.factory, Promise.resolve(history));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check consistency' }));
      await Promise.resolve();
    });
    const reason = 'The session guarantees are about reads and the writes they saw.';
    const inapplicable = (model: Verdict['model']): Verdict => ({
      ...verdict(model, 'inapplicable'),
      note: reason,
    });
    act(() => {
      fake.worker().onMessage({
        type: 'verdicts',
        requestId: 1,
        verdicts: [
          verdict('linearizable', 'ok'),
          inapplicable('read-your-writes'),
          inapplicable('monotonic-reads'),
          inapplicable('monotonic-writes'),
        ],
      });
    });
    const rows = screen.getAllByRole('listitem');
    expect(screen.getAllByText(reason)).toHaveLength(1);
    expect(rows[1]?.textContent).toContain(reason);
    expect(rows[2]?.textContent).toContain('As above.');
    expect(rows[3]?.textContent).toContain('As above.');
  });

  it('says why when the history is refused or the worker dies, and offers the check again', async () => {
    const fake = fakeWorkers();
    renderPanel(fake.factory, Promise.resolve(history));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check consistency' }));
      await Promise.resolve();
    });
    act(() => {
      fake.worker().onMessage({ type: 'failed', requestId: 1, problems: ['op 2: id used twice'] });
    });
    expect(screen.getByRole('status').textContent).toBe(
      'The history was refused: op 2: id used twice',
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check consistency' }));
      await Promise.resolve();
    });
    act(() => {
      fake.worker().onError('out of memory');
    });
    expect(screen.getByRole('status').textContent).toBe(
      'Checking stopped: the worker failed (out of memory).',
    );
    expect(screen.getByRole('button', { name: 'Check consistency' })).toHaveProperty(
      'disabled',
      false,
    );
  });

  it('shows what the pattern guarantees, per setting and model', () => {
    renderPanel(fakeWorkers().factory, Promise.resolve(history));
    const guarantees = screen.getByRole('table', { name: 'What this pattern guarantees' });
    const row = within(guarantees).getByRole('row', { name: /pattern, defaults/ });
    expect(
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual([
      'violated',
      'undecided (seeds 1, 2)',
      'violated (seed 2)',
      'holds',
      'holds',
      'holds',
    ]);
  });
});
