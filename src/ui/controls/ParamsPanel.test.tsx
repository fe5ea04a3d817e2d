// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ParamSpec, RecordedCommand } from '../../engine/types.ts';
import type { RunRequest } from '../../worker/protocol.ts';
import { useSimStore } from '../state/store.ts';
import {
  fixtureMeta,
  fixtureView,
  renderWithController,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
import { useParamDraftStore } from './paramDraftStore.ts';
import { ParamsPanel } from './ParamsPanel.tsx';

/** Two named values, applied on reset: radios. */
const windowKind: ParamSpec = {
  label: 'Window kind',
  default: 0,
  min: 0,
  max: 1,
  step: 1,
  unit: '',
  help: 'What the breaker judges.',
  choices: [
    { value: 0, label: 'count window' },
    { value: 1, label: 'time window' },
  ],
};

/** Three named values, live: a select. */
const balancer: ParamSpec = {
  label: 'Balancing',
  default: 0,
  min: 0,
  max: 2,
  step: 1,
  unit: '',
  help: 'How the ambassador picks an instance.',
  isLive: true,
  choices: [
    { value: 0, label: 'round robin' },
    { value: 1, label: 'least outstanding attempts' },
    { value: 2, label: 'power of two random choices' },
  ],
};

/** Loads the fixture run with the two named parameters beside the fixture's numeric ones. */
function seedWithChoices(runParams: Readonly<Record<string, number>> = {}): void {
  seedStore({
    view: {
      ...fixtureView,
      meta: { ...fixtureMeta, params: { ...fixtureMeta.params, windowKind, balancer } },
      run: { ...fixtureView.run, params: runParams },
    },
  });
}

/** The controller methods the panel calls; `setParam` settles when `settle` is called. */
function fakeController() {
  let settle = (): void => undefined;
  const fake = {
    setParam: vi.fn(
      () =>
        new Promise<void>((resolve) => {
          settle = resolve;
        }),
    ),
    load: vi.fn((request: RunRequest) => Promise.resolve(request)),
    reset: vi.fn(() => Promise.resolve()),
    settle: async () => {
      settle();
      // Let the panel's continuation after the change run.
      await act(() => Promise.resolve());
    },
  };
  return fake;
}

/** The log gains the `param.set` a live change records, as the worker's reply does. */
function landParamSet(key: string, value: number): void {
  const recorded: RecordedCommand = { atUs: 0, command: { type: 'param.set', key, value } };
  act(() => {
    useSimStore.setState({ commands: [...useSimStore.getState().commands, recorded] });
  });
}

function selectedLabel(select: HTMLElement): string {
  const element = select as HTMLSelectElement;
  return element.selectedOptions[0]?.textContent ?? '';
}

describe('ParamsPanel', () => {
  afterEach(() => {
    resetAfterTest();
    useParamDraftStore.setState({ drafts: {} });
  });

  it('shows a parameter with named values by its labels, never its numbers', () => {
    seedWithChoices();
    renderWithController(<ParamsPanel />, fakeController());
    const group = screen.getByRole('radiogroup', { name: 'Window kind' });
    const radios = within(group).getAllByRole('radio');
    expect(radios.map((radio) => radio.closest('label')?.textContent)).toEqual([
      'count window',
      'time window',
    ]);
    expect(within(group).getByRole('radio', { name: 'count window' })).toHaveProperty(
      'checked',
      true,
    );
    const select = screen.getByRole('combobox', { name: 'Balancing' });
    expect(
      within(select)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['round robin', 'least outstanding attempts', 'power of two random choices']);
    expect(selectedLabel(select)).toBe('round robin');
    // The help describes the control; no bounds ("0–2") stand beside the names.
    const helpId = select.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(helpId)?.textContent).toBe(balancer.help);
    const field = select.closest('.param-field');
    expect(field?.textContent).not.toMatch(/0\s*[–-]\s*2/);
    expect(within(field as HTMLElement).getByText('live')).toBeTruthy();
  });

  it('sends the number of a live pick at once and shows the pick until it lands', async () => {
    seedWithChoices();
    const fake = fakeController();
    renderWithController(<ParamsPanel />, fake);
    const select = screen.getByRole('combobox', { name: 'Balancing' });
    fireEvent.change(select, { target: { value: '1' } });
    expect(fake.setParam).toHaveBeenCalledExactlyOnceWith('balancer', 1);
    expect(selectedLabel(select)).toBe('least outstanding attempts');
    landParamSet('balancer', 1);
    await fake.settle();
    expect(selectedLabel(screen.getByRole('combobox', { name: 'Balancing' }))).toBe(
      'least outstanding attempts',
    );
    // Nothing waits for a restart: live values are not pending.
    expect(screen.queryByRole('button', { name: 'Apply and restart' })).toBeNull();
  });

  it('shows the value still in effect when a live change is called off', async () => {
    seedWithChoices();
    const fake = fakeController();
    renderWithController(<ParamsPanel />, fake);
    fireEvent.change(screen.getByRole('combobox', { name: 'Balancing' }), {
      target: { value: '2' },
    });
    // The person cancelled the question before acting in the past: no command was recorded.
    await fake.settle();
    expect(selectedLabel(screen.getByRole('combobox', { name: 'Balancing' }))).toBe('round robin');
    expect(useParamDraftStore.getState().drafts).toEqual({});
  });

  it('keeps a pick that needs a restart as a draft and restarts with its number', async () => {
    seedWithChoices({ windowKind: 0 });
    const fake = fakeController();
    renderWithController(<ParamsPanel />, fake);
    fireEvent.click(screen.getByRole('radio', { name: 'time window' }));
    expect(fake.setParam).not.toHaveBeenCalled();
    expect(screen.getByRole('radio', { name: 'time window' })).toHaveProperty('checked', true);
    fireEvent.click(screen.getByRole('button', { name: 'Apply and restart' }));
    await act(() => Promise.resolve());
    expect(fake.load).toHaveBeenCalledTimes(1);
    expect(fake.load.mock.calls[0]?.[0].params).toEqual({ windowKind: 1 });

    // Picking the value in effect again leaves nothing pending.
    fireEvent.click(screen.getByRole('radio', { name: 'count window' }));
    expect(screen.queryByRole('button', { name: 'Apply and restart' })).toBeNull();
  });

  it('shows a value none of the choices names as its number, and never sends it back', () => {
    // An old or hand-made link: in range, but between the named values.
    seedWithChoices({ windowKind: 0.5, balancer: 1.5 });
    const fake = fakeController();
    renderWithController(<ParamsPanel />, fake);
    const select = screen.getByRole('combobox', { name: 'Balancing' });
    expect(selectedLabel(select)).toBe('1.5 (not one of the named choices)');
    const unnamed = screen.getByRole('radio', { name: '0.5 (not one of the named choices)' });
    expect(unnamed).toHaveProperty('checked', true);

    fireEvent.change(select, { target: { value: '0' } });
    expect(fake.setParam).toHaveBeenCalledExactlyOnceWith('balancer', 0);
    fireEvent.change(select, { target: { value: '1.5' } });
    expect(fake.setParam).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: 'Apply and restart' })).toBeNull();
  });

  it('still applies a live number when it is committed', () => {
    seedWithChoices();
    const fake = fakeController();
    renderWithController(<ParamsPanel />, fake);
    const heartbeat = screen.getByRole('spinbutton', { name: 'Heartbeat interval' });
    fireEvent.input(heartbeat, { target: { value: '70' } });
    expect(fake.setParam).not.toHaveBeenCalled();
    fireEvent.change(heartbeat);
    expect(fake.setParam).toHaveBeenCalledExactlyOnceWith('heartbeatMs', 70);
  });
});
