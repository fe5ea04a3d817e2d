// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Moment } from '../../engine/types.ts';
import { parseEmbedFragment } from '../../embed/params.ts';
import {
  fixtureMeta,
  makeFrame,
  renderWithController,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
import { ShareButton } from './ShareDialog.tsx';

const appUrl = 'http://127.0.0.1:4310/#/fixture-cluster?run=now';

const moments: readonly Moment[] = [
  { timeUs: 1_500_000, eventCount: 20, kind: 'leader-elected', text: 'n1 leads term 1', nodes: [] },
  { timeUs: 6_000_000, eventCount: 90, kind: 'leader-lost', text: 'n1 crashed', nodes: [] },
];

function fakeController() {
  return { shareUrl: vi.fn(() => appUrl) };
}

/** The clipboard as a browser on a secure origin has it, recording what was written. */
function fakeClipboard(): string[] {
  const written: string[] = [];
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      writeText: (text: string) => {
        written.push(text);
        return Promise.resolve();
      },
    },
  });
  return written;
}

function openDialog() {
  renderWithController(<ShareButton />, fakeController());
  const opener = screen.getByRole('button', { name: 'Share…' });
  opener.focus();
  fireEvent.click(opener);
  return { opener, dialog: screen.getByRole('dialog', { name: 'Share this run' }) };
}

/** A text field or area of the dialog (both have a `value`). */
function field(name: string): HTMLInputElement {
  return screen.getByRole<HTMLInputElement>('textbox', { name });
}

/** The embed options the dialog's embed URL carries. */
function embedOptions() {
  const parsed = parseEmbedFragment(new URL(field('Embed URL').value).hash);
  if (!parsed.ok) throw new Error(parsed.problems.join(' '));
  return parsed.options;
}

describe('ShareDialog', () => {
  beforeAll(() => {
    // jsdom has <dialog> but not its modal methods: open and close it as a browser would.
    HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
    HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
  });
  beforeEach(() => {
    seedStore({
      frame: makeFrame({ timeUs: 4_000_000, speed: 0.5 }),
      moments,
      view: {
        ...seedView(),
      },
    });
  });
  afterEach(resetAfterTest);

  it('shows the run link and an embed of a window around the time shown', () => {
    const { dialog } = openDialog();
    expect(dialog).toHaveProperty('open', true);
    expect(field('Link to this run').value).toBe(appUrl);
    expect(
      field('Embed URL').value.startsWith('http://127.0.0.1:4310/embed.html#/fixture-cluster?run='),
    ).toBe(true);
    expect(embedOptions()).toMatchObject({
      fromUs: 2_000_000,
      toUs: 7_000_000,
      loop: true,
      speed: 0.5,
      caption: '',
    });
    expect(field('Iframe snippet').value).toMatch(
      /^<iframe src="http:\/\/127\.0\.0\.1:4310\/embed\.html#/,
    );
    expect(field('Iframe snippet').value).toContain('title="DistSim: Fixture cluster"');
    expect(field('Web component snippet').value.split('\n')[0]).toBe(
      '<script type="module" src="http://127.0.0.1:4310/distsim-run.js"></script>',
    );
  });

  it('follows the fields, and a bad time says why and offers nothing to copy', () => {
    openDialog();
    fireEvent.change(field('Caption'), { target: { value: 'The leader goes' } });
    fireEvent.change(field('To (s)'), { target: { value: '9.5' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Loop' }));
    expect(embedOptions()).toMatchObject({
      toUs: 9_500_000,
      loop: false,
      caption: 'The leader goes',
    });
    expect(field('Iframe snippet').value).toContain('title="The leader goes"');

    fireEvent.change(field('From (s)'), { target: { value: 'later' } });
    expect(screen.getByRole('alert').textContent).toBe(
      '"from" must be a time in seconds, 0 or more (e.g. from=2.5); got "later".',
    );
    expect(field('From (s)').getAttribute('aria-invalid')).toBe('true');
    expect(field('To (s)').getAttribute('aria-invalid')).toBeNull();
    expect(field('Embed URL').value).toBe('');
    expect(screen.getByRole('button', { name: 'Copy embed url' })).toHaveProperty('disabled', true);
    // Nothing typed is lost: fixing the field brings the links back.
    fireEvent.change(field('From (s)'), { target: { value: '3' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(embedOptions()).toMatchObject({ fromUs: 3_000_000, caption: 'The leader goes' });
  });

  it('copies a field and says so', async () => {
    const written = fakeClipboard();
    openDialog();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy embed url' }));
      await Promise.resolve();
    });
    expect(written).toEqual([field('Embed URL').value]);
    expect(screen.getAllByRole('status').some((status) => status.textContent === 'Copied')).toBe(
      true,
    );
  });

  it('copies one slide link per picked moment, around the moment, captioned with its label', async () => {
    const written = fakeClipboard();
    openDialog();
    const list = screen.getByRole('list', { name: 'Moments of the run' });
    const copySlides = screen.getByRole('button', { name: 'Copy slide links' });
    expect(copySlides).toHaveProperty('disabled', true);
    const boxes = within(list).getAllByRole('checkbox');
    expect(boxes).toHaveLength(2);
    fireEvent.click(within(list).getByRole('checkbox', { name: /Leader lost: n1 crashed/ }));
    fireEvent.click(
      within(list).getByRole('checkbox', { name: /Leader elected: n1 leads term 1/ }),
    );
    await act(async () => {
      fireEvent.click(copySlides);
      await Promise.resolve();
    });
    const links = (written[0] ?? '').split('\n');
    const windows = links.map((link) => {
      const parsed = parseEmbedFragment(new URL(link).hash);
      return parsed.ok ? parsed.options : null;
    });
    expect(windows).toMatchObject([
      { fromUs: 500_000, toUs: 3_500_000, loop: true, caption: 'Leader elected' },
      { fromUs: 5_000_000, toUs: 8_000_000, loop: true, caption: 'Leader lost' },
    ]);
  });

  it('closes on Escape and gives the focus back to Share…', () => {
    const { opener, dialog } = openDialog();
    expect(document.activeElement).toBe(field('Link to this run'));
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

function seedView() {
  return {
    meta: {
      ...fixtureMeta,
      moments: [
        { id: 'leader-elected', label: 'Leader elected' },
        { id: 'leader-lost', label: 'Leader lost' },
      ],
    },
    topology: { nodes: [], links: [] },
    run: {
      scenarioId: 'fixture-cluster',
      scenarioVersion: 1,
      seed: 7,
      variant: 'pattern' as const,
      params: {},
      commands: [],
    },
  };
}
