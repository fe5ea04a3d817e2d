// @vitest-environment jsdom
import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Command, ScenarioFaultSpec } from '../../engine/types.ts';
import type { NodeInspection } from '../../worker/protocol.ts';
import { useSimStore, type Selection } from '../state/store.ts';
import {
  fixtureMeta,
  fixtureView,
  renderWithController,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
import { Inspector } from './Inspector.tsx';

/** The controller methods the inspector calls: commands, and reading a node's state. */
function fakeController() {
  return {
    command: vi.fn<(command: Command) => Promise<void>>(() => Promise.resolve()),
    inspect: vi.fn((node: number): Promise<NodeInspection | null> => {
      const meta = fixtureView.topology.nodes[node];
      const status = useSimStore.getState().frame?.nodes[node]?.status ?? 'up';
      if (meta === undefined) return Promise.resolve(null);
      return Promise.resolve({
        id: meta.id,
        role: meta.role,
        status,
        state: status === 'crashed' ? undefined : { term: 2 },
        durable: { votedFor: 'n1' },
        localTimeUs: 1_500,
      });
    }),
  };
}

type FakeController = ReturnType<typeof fakeController>;

/** Renders the inspector on `selection` and waits for the node state it fetches. */
async function renderInspector(selection: Selection): Promise<FakeController> {
  seedStore({ selection });
  const fake = fakeController();
  renderWithController(<Inspector />, fake);
  if (selection?.kind === 'node') await screen.findByText(/Local clock/);
  return fake;
}

function button(name: string): HTMLButtonElement {
  return screen.getByRole<HTMLButtonElement>('button', { name });
}

describe('Inspector with a node selected', () => {
  afterEach(resetAfterTest);

  it('kills an up node', async () => {
    const fake = await renderInspector({ kind: 'node', node: 0 });
    expect(fake.inspect).toHaveBeenCalledWith(0);
    expect(screen.getByText('up')).toBeTruthy();
    expect(button('Kill node').disabled).toBe(false);
    expect(button('Restart node').disabled).toBe(true);
    fireEvent.click(button('Kill node'));
    expect(fake.command).toHaveBeenCalledTimes(1);
    expect(fake.command).toHaveBeenCalledWith({ type: 'node.crash', node: 'n1' });
  });

  it('restarts a crashed node and does not offer to kill it', async () => {
    const fake = await renderInspector({ kind: 'node', node: 2 });
    expect(screen.getByText('down (crashed)')).toBeTruthy();
    expect(button('Kill node').disabled).toBe(true);
    fireEvent.click(button('Kill node'));
    expect(fake.command).not.toHaveBeenCalled();
    expect(button('Restart node').disabled).toBe(false);
    fireEvent.click(button('Restart node'));
    expect(fake.command).toHaveBeenCalledTimes(1);
    expect(fake.command).toHaveBeenCalledWith({ type: 'node.restart', node: 'n3' });
  });

  it("offers only the scenario faults for the node's role", async () => {
    const clientOnly: ScenarioFaultSpec = {
      id: 'lose-session',
      label: 'Lose session',
      help: 'The client forgets its session.',
      roles: ['client'],
      args: {},
    };
    const meta = { ...fixtureMeta, faults: [...fixtureMeta.faults, clientOnly] };
    seedStore({ view: { ...fixtureView, meta }, selection: { kind: 'node', node: 0 } });
    renderWithController(<Inspector />, fakeController());
    await screen.findByText(/Local clock/);
    expect(screen.getByRole('heading', { name: 'Scenario faults' })).toBeTruthy();
    expect(button('Slow disk').disabled).toBe(false);
    expect(screen.getByText('Every write to disk takes this long.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Lose session' })).toBeNull();
  });

  it('lists operator controls apart from faults, under their own heading', async () => {
    const addShard: ScenarioFaultSpec = {
      id: 'add-shard',
      kind: 'control',
      label: 'Add a shard',
      help: 'Brings a spare node into the ring.',
      roles: ['server'],
      args: {},
    };
    const meta = { ...fixtureMeta, faults: [...fixtureMeta.faults, addShard] };
    seedStore({ view: { ...fixtureView, meta }, selection: { kind: 'node', node: 0 } });
    const fake = fakeController();
    renderWithController(<Inspector />, fake);
    const controls = await screen.findByRole('heading', { name: 'Scenario controls' });
    const faults = screen.getByRole('heading', { name: 'Scenario faults' });
    expect(controls.parentElement?.textContent).toContain('Add a shard');
    expect(controls.parentElement?.textContent).not.toContain('Slow disk');
    expect(faults.parentElement?.textContent).toContain('Slow disk');
    fireEvent.click(button('Add a shard'));
    expect(fake.command).toHaveBeenCalledWith({
      type: 'scenario.fault',
      fault: 'add-shard',
      node: 'n1',
      args: {},
    });
  });

  it('refuses an out-of-range fault argument inline, then injects a valid one', async () => {
    const fake = await renderInspector({ kind: 'node', node: 0 });
    const delay = screen.getByRole('spinbutton', { name: /^Delay/ });
    expect(delay).toHaveProperty('value', '50');
    fireEvent.change(delay, { target: { value: '5000' } });
    fireEvent.click(button('Slow disk'));
    expect(screen.getByText('Delay must be from 1 to 1000 ms.')).toBeTruthy();
    expect(delay.getAttribute('aria-invalid')).toBe('true');
    expect(fake.command).not.toHaveBeenCalled();

    fireEvent.change(delay, { target: { value: '200' } });
    fireEvent.click(button('Slow disk'));
    expect(screen.queryByText('Delay must be from 1 to 1000 ms.')).toBeNull();
    expect(fake.command).toHaveBeenCalledTimes(1);
    expect(fake.command).toHaveBeenCalledWith({
      type: 'scenario.fault',
      fault: 'slow-disk',
      node: 'n1',
      args: { delayMs: 200 },
    });
  });
});

describe('Inspector with a link selected', () => {
  afterEach(resetAfterTest);

  function linkField(name: RegExp): HTMLElement {
    return screen.getByRole('spinbutton', { name });
  }

  it('refuses a loss outside 0–100% inline', async () => {
    const fake = await renderInspector({ kind: 'link', from: 0, to: 1 });
    expect(screen.getByText('n1')).toBeTruthy();
    fireEvent.change(linkField(/^Loss/), { target: { value: '150' } });
    fireEvent.click(button('Apply'));
    expect(screen.getByText('Loss must be from 0 to 100%.')).toBeTruthy();
    expect(fake.command).not.toHaveBeenCalled();
  });

  it('sends a link.set with latency ± jitter as a uniform spec in microseconds', async () => {
    const fake = await renderInspector({ kind: 'link', from: 0, to: 1 });
    fireEvent.change(linkField(/^Latency/), { target: { value: '20' } });
    fireEvent.change(linkField(/^Jitter/), { target: { value: '5' } });
    fireEvent.change(linkField(/^Loss/), { target: { value: '10' } });
    fireEvent.click(button('Apply'));
    expect(fake.command).toHaveBeenCalledTimes(1);
    expect(fake.command).toHaveBeenCalledWith({
      type: 'link.set',
      from: 'n1',
      to: 'n2',
      isBothWays: true,
      latency: { kind: 'uniform', minUs: 15_000, maxUs: 25_000 },
      lossProbability: 0.1,
    });
  });

  it('holds the link both ways by default', async () => {
    const fake = await renderInspector({ kind: 'link', from: 0, to: 1 });
    fireEvent.click(button('Hold link'));
    await vi.waitFor(() => {
      expect(fake.command).toHaveBeenCalledTimes(2);
    });
    expect(fake.command).toHaveBeenNthCalledWith(1, { type: 'link.hold', from: 'n1', to: 'n2' });
    expect(fake.command).toHaveBeenNthCalledWith(2, { type: 'link.hold', from: 'n2', to: 'n1' });
  });
});
