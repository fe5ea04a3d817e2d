// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Command, ScenarioFaultSpec } from '../../engine/types.ts';
import type { NodeInspection } from '../../worker/protocol.ts';
import { useSimStore, type Selection } from '../state/store.ts';
import {
  fixtureMeta,
  fixtureView,
  makeFrame,
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

  it('offers a numbered argument by its labels and sends the number', async () => {
    // Shaped like Strangler Fig's "Set a route": four named routes, shadow off or on.
    const setRoute: ScenarioFaultSpec = {
      id: 'set-route',
      kind: 'control',
      label: 'Set a route',
      help: 'Moves a share of a route.',
      roles: ['server'],
      args: {
        route: {
          label: 'Route',
          default: 1,
          min: 1,
          max: 4,
          step: 1,
          unit: '',
          help: 'Which route changes.',
          choices: ['catalog', 'orders', 'payments', 'accounts'].map((label, index) => ({
            value: index + 1,
            label,
          })),
        },
        shadow: {
          label: 'Shadow',
          default: 0,
          min: 0,
          max: 1,
          step: 1,
          unit: '',
          help: 'Also compare the new service’s answers.',
          choices: [
            { value: 0, label: 'off' },
            { value: 1, label: 'on' },
          ],
        },
      },
    };
    const meta = { ...fixtureMeta, faults: [setRoute] };
    seedStore({ view: { ...fixtureView, meta }, selection: { kind: 'node', node: 0 } });
    const fake = fakeController();
    renderWithController(<Inspector />, fake);
    await screen.findByText(/Local clock/);

    // Four choices: a select with the names, no number field.
    const route = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Route' });
    expect(Array.from(route.options).map((option) => option.textContent)).toEqual([
      'catalog',
      'orders',
      'payments',
      'accounts',
    ]);
    expect(route.value).toBe('1');
    expect(screen.queryByRole('spinbutton', { name: /^Route/ })).toBeNull();
    // Two choices: a radio group named by the argument, the default checked.
    const shadow = screen.getByRole('group', { name: 'Shadow' });
    expect(within(shadow).getByRole<HTMLInputElement>('radio', { name: 'off' }).checked).toBe(true);

    fireEvent.change(route, { target: { value: '3' } });
    fireEvent.click(within(shadow).getByRole('radio', { name: 'on' }));
    fireEvent.click(button('Set a route'));
    expect(fake.command).toHaveBeenCalledWith({
      type: 'scenario.fault',
      fault: 'set-route',
      node: 'n1',
      args: { route: 3, shadow: 1 },
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

  /** Renders the inspector on the link n1 → n2 of a store seeded with `overrides`. */
  function renderLink(overrides: Parameters<typeof seedStore>[0] = {}): void {
    seedStore({ selection: { kind: 'link', from: 0, to: 1 }, ...overrides });
    renderWithController(<Inspector />, fakeController());
  }

  /** The read-out under "Now": each row's name and value, in order. */
  function nowRows(): string[][] {
    const now = screen.getByRole('region', { name: 'Now' });
    return Array.from(now.querySelectorAll('dt')).map((term) => [
      term.textContent,
      term.nextElementSibling?.textContent ?? '',
    ]);
  }

  it('reads out what the link does now: the usual link, both ways alike', () => {
    renderLink();
    const now = screen.getByRole('region', { name: 'Now' });
    expect(now.textContent).toContain('n1 ↔ n2');
    // The fixture's usual link is uniform 0.8–1.2 ms: said as the form would make it.
    expect(nowRows()).toEqual([
      ['Latency', '1 ms ± 0.2 ms'],
      ['Loss', '0%'],
      ['Duplicates', '0%'],
    ]);
    expect(now.textContent).not.toMatch(/Cut|Held|Slowed/);
  });

  it('says a link is slowed by a fault and cut by a partition, one way only', () => {
    const usual = makeFrame().usualLink;
    const slowed = {
      ...usual,
      latency: { kind: 'uniform', minUs: 15_000, maxUs: 25_000 } as const,
      lossProbability: 0.1,
    };
    renderLink({
      frame: makeFrame({
        linkSettings: [{ from: 0, to: 1, config: slowed, changedFrom: usual }],
        cutLinks: Int32Array.from([1, 0]),
      }),
    });
    const now = screen.getByRole('region', { name: 'Now' });
    expect(nowRows()).toEqual([
      ['Latency', '20 ms ± 5 ms'],
      ['Loss', '10%'],
      ['Duplicates', '0%'],
      // The way back differs (cut, usual settings), so it gets its own list.
      ['Latency', '1 ms ± 0.2 ms'],
      ['Loss', '0%'],
      ['Duplicates', '0%'],
    ]);
    expect(now.textContent).toContain('n1 → n2');
    expect(now.textContent).toContain(
      'Slowed by a fault: usually 1 ms ± 0.2 ms, loss 0%, duplicates 0%. Heal network restores it.',
    );
    expect(now.textContent).toContain('n2 → n1');
    expect(now.textContent).toContain('Cut by a partition: every message on it is dropped.');
  });

  it('follows the frames: a heal shows as soon as its frame arrives', () => {
    const usual = makeFrame().usualLink;
    const lossy = { ...usual, lossProbability: 0.5 };
    renderLink({
      frame: makeFrame({ linkSettings: [{ from: 0, to: 1, config: lossy, changedFrom: usual }] }),
    });
    expect(nowRows()[1]).toEqual(['Loss', '50%']);
    expect(screen.getByText(/^Degraded by a fault/)).toBeTruthy();
    act(() => {
      useSimStore.setState({ frame: makeFrame() });
    });
    expect(nowRows()[1]).toEqual(['Loss', '0%']);
    expect(screen.queryByText(/^Degraded by a fault/)).toBeNull();
  });

  it('says a held link is held, not cut by a partition', () => {
    renderLink({
      frame: makeFrame({ cutLinks: Int32Array.from([0, 1]) }),
      commands: [{ atUs: 1, command: { type: 'link.hold', from: 'n1', to: 'n2' } }],
    });
    const now = screen.getByRole('region', { name: 'Now' });
    expect(now.textContent).toContain('Held: its messages wait, in order, until it is released.');
    expect(now.textContent).not.toContain('Cut by a partition');
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
