// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeFrame, renderWithController, resetAfterTest, seedStore } from '../testing/fixtures.ts';
import { AnimationDialog } from './AnimationDialog.tsx';
import type * as ViewExportModule from '../controls/viewExport.ts';
import type * as ExportAnimationModule from './exportAnimation.ts';

/*
 * The dialog with the frame-taking replaced: each export waits until the test settles it, so the
 * test can look at the progress in between and cancel. The download is caught where the dialog
 * hands it to the browser.
 */
type Call = Parameters<typeof ExportAnimationModule.exportAnimation>;

const exports = vi.hoisted(() => ({
  calls: [] as Call[],
  settle: [] as { resolve: (bytes: Uint8Array) => void; reject: (error: unknown) => void }[],
}));
const downloads = vi.hoisted(() => [] as { blob: Blob; name: string }[]);

vi.mock('./exportAnimation.ts', async (importOriginal) => {
  const original = await importOriginal<typeof ExportAnimationModule>();
  return {
    ...original,
    exportAnimation: (...call: Call) => {
      exports.calls.push(call);
      const [request, , options] = call;
      return new Promise((resolve, reject) => {
        options.signal.addEventListener('abort', () => {
          reject(new original.ExportCancelled());
        });
        exports.settle.push({
          resolve: (bytes) => {
            resolve({ bytes, width: request.width, height: 480 });
          },
          reject,
        });
      });
    },
  };
});

vi.mock('../controls/viewExport.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof ViewExportModule>()),
  downloadBlob: (blob: Blob, name: string) => {
    downloads.push({ blob, name });
  },
}));

function renderDialog() {
  const onClose = vi.fn();
  renderWithController(createElement(AnimationDialog, { onClose }), {});
  return { onClose };
}

function progressOf(call: number): Call[2]['onProgress'] {
  const found = exports.calls[call];
  if (found === undefined) throw new Error(`no export ${call}`);
  return found[2].onProgress;
}

function type(label: string, value: string): void {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('AnimationDialog', () => {
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
    seedStore({ frame: makeFrame({ timeUs: 5_000_000, frontierUs: 20_000_000 }) });
    exports.calls.length = 0;
    exports.settle.length = 0;
    downloads.length = 0;
  });
  afterEach(resetAfterTest);

  it('opens on a window of a few seconds around now, with named fields, GIF without WebCodecs', () => {
    renderDialog();
    const dialog = screen.getByRole('dialog', { name: 'Export an animation' });
    expect(dialog).toHaveProperty('open', true);
    expect(screen.getByLabelText('From (s)')).toHaveProperty('value', '3');
    expect(screen.getByLabelText('To (s)')).toHaveProperty('value', '7');
    expect(screen.getByLabelText('Frame rate')).toHaveProperty('value', '10');
    expect(screen.getByLabelText('Width')).toHaveProperty('value', '960');
    const formats = screen.getByLabelText('Format');
    expect(Array.from(formats.querySelectorAll('option'), (option) => option.value)).toEqual([
      'gif',
    ]);
  });

  it('says what is wrong with the window and exports nothing', () => {
    renderDialog();
    type('From (s)', 'soon');
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'Give the window’s start and end in seconds, e.g. 2.5.',
    );
    type('From (s)', '1');
    type('To (s)', '25');
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(screen.getByRole('alert').textContent).toMatch(/must end by 20 s/);
    expect(screen.getByLabelText('To (s)').getAttribute('aria-describedby')).toBe(
      screen.getByRole('alert').id,
    );
    expect(exports.calls).toHaveLength(0);
    // What was typed stays, to be corrected.
    expect(screen.getByLabelText('To (s)')).toHaveProperty('value', '25');
  });

  it('shows frames done of the total while exporting, then downloads the file', async () => {
    renderDialog();
    type('From (s)', '1');
    type('To (s)', '2');
    fireEvent.change(screen.getByLabelText('Frame rate'), { target: { value: '5' } });
    fireEvent.change(screen.getByLabelText('Width'), { target: { value: '640' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => {
      expect(exports.calls).toHaveLength(1);
    });
    const [request] = exports.calls[0] ?? [];
    expect(request?.plan.timesUs).toEqual([1_000_000, 1_200_000, 1_400_000, 1_600_000, 1_800_000]);
    expect(request?.width).toBe(640);
    expect(request?.format).toBe('gif');
    expect(screen.getByText('0 of 5 frames')).toBeTruthy();
    act(() => {
      progressOf(0)(2, 5);
    });
    expect(screen.getByText('2 of 5 frames')).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Frames taken' })).toHaveProperty('value', 2);
    expect(screen.getByLabelText('From (s)').matches(':disabled')).toBe(true);
    await act(async () => {
      exports.settle[0]?.resolve(new Uint8Array(2048));
      await Promise.resolve();
    });
    expect(downloads.map((download) => download.name)).toEqual([
      'fixture-cluster-seed-7-1000-2000ms-5fps.gif',
    ]);
    expect(downloads[0]?.blob.type).toBe('image/gif');
    expect(screen.getByRole('status').textContent).toBe(
      'Saved fixture-cluster-seed-7-1000-2000ms-5fps.gif: 5 frames, 640×480, 2 kB.',
    );
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('cancels an export under way and keeps nothing', async () => {
    renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => {
      expect(exports.calls).toHaveLength(1);
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Cancel export' }));
      await Promise.resolve();
    });
    expect(exports.calls[0]?.[2].signal.aborted).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Export cancelled; nothing was saved.');
    expect(downloads).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Cancel export' })).toBeNull();
  });

  it('reports a failed export in the dialog', async () => {
    renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => {
      expect(exports.calls).toHaveLength(1);
    });
    await act(async () => {
      exports.settle[0]?.reject(new Error('The view changed size during the export.'));
      await Promise.resolve();
    });
    expect(screen.getByRole('alert').textContent).toBe(
      'The animation could not be made: The view changed size during the export.',
    );
    expect(downloads).toHaveLength(0);
  });

  it('closes on Escape, stopping an export under way', async () => {
    const { onClose } = renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => {
      expect(exports.calls).toHaveLength(1);
    });
    fireEvent(screen.getByRole('dialog'), new Event('cancel', { cancelable: true }));
    expect(onClose).toHaveBeenCalledOnce();
    expect(exports.calls[0]?.[2].signal.aborted).toBe(true);
  });
});
