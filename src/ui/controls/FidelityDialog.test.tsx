// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getScenarioView } from '../../scenarios/viewRegistry.ts';
import { linkedExperiment } from '../experiments/experimentText.ts';
import {
  fixtureView,
  renderWithController,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
import { ScenarioPicker } from './ScenarioPicker.tsx';

/*
 * "How true is this?" under the scenario on screen: the dialog shows every sentence of the
 * scenario's fidelity hints, marks each result reproduced or not, runs a reproduced result's
 * experiment by link, and closes with its button and with Escape.
 */

function seedScenario(id: string, title: string) {
  seedStore({
    catalogue: [{ id, title, summary: 'A pattern.' }],
    view: { ...fixtureView, meta: { ...fixtureView.meta, id, title } },
  });
}

describe('How true is this?', () => {
  beforeAll(() => {
    // jsdom has <dialog> but not its modal methods: open and close it as a browser would.
    HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
    HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
  });
  afterEach(resetAfterTest);

  it('shows what the scenario models, leaves out and reproduces, with its experiments', () => {
    const fidelity = getScenarioView('sharding')?.fidelity;
    if (fidelity === undefined) throw new Error('sharding has no fidelity hints');
    seedScenario('sharding', 'Sharding');
    renderWithController(<ScenarioPicker />, {});
    const opener = screen.getByRole('button', { name: 'How true is this?' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'How true is this? Sharding' });
    for (const line of [...fidelity.follows, ...fidelity.modelled, ...fidelity.leftOut]) {
      expect(within(dialog).getByText(line)).toBeTruthy();
    }
    const results = within(dialog).getAllByRole('listitem').slice(-fidelity.results.length);
    fidelity.results.forEach((result, index) => {
      const item = results[index] as HTMLElement;
      expect(item.textContent).toContain(result.claim);
      expect(item.textContent).toContain(result.isReproduced ? '✓ Reproduced' : '✗ Not reproduced');
      const link = within(item).queryByRole('link', { name: 'Run the experiment' });
      if (result.experiment === undefined) {
        expect(link).toBeNull();
        return;
      }
      const search = new URL(link?.getAttribute('href') ?? '').search;
      expect(linkedExperiment(search)).toEqual({ id: result.experiment, seeds: 5 });
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('closes on Escape, and is not offered for a scenario without the hints', () => {
    seedScenario('leader-election', 'Leader Election');
    renderWithController(<ScenarioPicker />, {});
    fireEvent.click(screen.getByRole('button', { name: 'How true is this?' }));
    const dialog = screen.getByRole('dialog', { name: 'How true is this? Leader Election' });
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('dialog')).toBeNull();
    resetAfterTest();
    seedScenario('fixture-cluster', 'Fixture cluster');
    renderWithController(<ScenarioPicker />, {});
    expect(screen.queryByRole('button', { name: 'How true is this?' })).toBeNull();
  });
});
