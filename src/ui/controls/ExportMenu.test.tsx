// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunDescription } from '../../engine/types.ts';
import type { TraceExport } from '../../worker/protocol.ts';
import { type RunFile, decodeRunFile, encodeRunFile, makeRunFile } from '../../worker/runFile.ts';
import { useSimStore } from '../state/store.ts';
import { FixedSizeObserver } from '../testing/dom.ts';
import {
  fixtureView,
  makeFrame,
  renderWithController,
  resetAfterTest,
  seedStore,
} from '../testing/fixtures.ts';
import { TopologyView } from '../topology/TopologyView.tsx';
import { ExportMenu } from './ExportMenu.tsx';

/*
 * jsdom has no layout, ResizeObserver, matchMedia, 2D canvas or object URLs: the stubs below are
 * the least the menu and the topology view it pictures need. Downloads are caught at the anchor
 * click, where the page hands them to the browser.
 */
function matchNothing(query: string): MediaQueryList {
  return {
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  } as unknown as MediaQueryList;
}

interface Download {
  readonly name: string;
  readonly blob: Blob;
}

let downloads: Download[] = [];
const blobsByUrl = new Map<string, Blob>();

beforeAll(() => {
  vi.stubGlobal('ResizeObserver', FixedSizeObserver);
  vi.stubGlobal('matchMedia', matchNothing);
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => null);
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:test/${blobsByUrl.size}`;
    blobsByUrl.set(url, blob);
    return url;
  };
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    const blob = blobsByUrl.get(this.href);
    if (blob !== undefined) downloads.push({ name: this.download, blob });
  });
});

afterAll(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const run: RunDescription = { ...fixtureView.run, seed: 11 };
const sampleFile: RunFile = makeRunFile(run, 1_500_000, {
  eventCount: 340,
  traceHash: 'feedfacecafe0123',
  metrics: [{ name: 'leaders', unit: '', aggregate: 'max', value: 1, count: 15 }],
  invariants: [],
});

/**
 * The controller calls the menu makes. `load` and `step` behave like the real ones on success:
 * the store gets a new view, then a frame at the requested time with `replayHash`.
 */
function fakeController(
  replayHash = sampleFile.summary.traceHash,
  replayEvents = sampleFile.summary.eventCount,
) {
  const trace: TraceExport = {
    chunks: ['{"format":"distsim-trace"}\n{"index":0}\n', '{"end":true}\n'],
    events: 1,
    listed: 1,
    traceHash: 'feedfacecafe0123',
  };
  return {
    simClient: {
      exportRun: vi.fn(() => Promise.resolve(sampleFile)),
      exportTrace: vi.fn(() => Promise.resolve(trace)),
    },
    load: vi.fn((request: RunDescription) => {
      useSimStore.setState({ view: { ...fixtureView, run: request } });
      return Promise.resolve();
    }),
    step: vi.fn((mode: { kind: 'until'; timeUs: number }) => {
      useSimStore.setState({
        frame: makeFrame({ timeUs: mode.timeUs, traceHash: replayHash, eventCount: replayEvents }),
      });
      return Promise.resolve();
    }),
  };
}

function openMenu(): void {
  fireEvent.click(screen.getByRole('button', { name: 'Export / open' }));
}

function noticeTexts(): string[] {
  return useSimStore.getState().notices.map((notice) => `${notice.tone}: ${notice.text}`);
}

async function chooseFile(text: string, name = 'run.json'): Promise<void> {
  const input = screen.getByLabelText<HTMLInputElement>('Run file to open');
  const file = new File([text], name, { type: 'application/json' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await act(async () => {
    fireEvent.change(input);
    await Promise.resolve();
  });
}

describe('ExportMenu', () => {
  beforeEach(() => {
    downloads = [];
    seedStore({ catalogue: [{ id: 'fixture-cluster', title: 'Fixture cluster', summary: '' }] });
  });
  afterEach(resetAfterTest);

  it('opens a panel of named actions, and closes on Escape with focus back on its button', () => {
    renderWithController(<ExportMenu />, fakeController());
    const toggle = screen.getByRole('button', { name: 'Export / open' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('button', { name: 'Download run (JSON)' })).toBeNull();
    openMenu();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const names = [
      'Download run (JSON)',
      'Download trace (JSON lines)',
      'Download view as SVG',
      'Download view as PNG',
      'Animation…',
      'Open run file…',
    ];
    for (const name of names) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Download run (JSON)');
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
  });

  it('opens the animation dialog from "Animation…", and closes it again', async () => {
    // jsdom has <dialog> but not its modal methods: open and close it as a browser would.
    HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
    HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
      this.removeAttribute('open');
    };
    renderWithController(<ExportMenu />, fakeController());
    openMenu();
    fireEvent.click(screen.getByRole('button', { name: 'Animation…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export an animation' });
    expect(dialog).toHaveProperty('open', true);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('is disabled until a run is loaded', () => {
    seedStore({ view: null });
    renderWithController(<ExportMenu />, fakeController());
    expect(screen.getByRole('button', { name: 'Export / open' }).hasAttribute('disabled')).toBe(
      true,
    );
  });

  it('downloads the run file the worker made, named after the run and time', async () => {
    const fake = fakeController();
    renderWithController(<ExportMenu />, fake);
    openMenu();
    fireEvent.click(screen.getByRole('button', { name: 'Download run (JSON)' }));
    await waitFor(() => {
      expect(downloads).toHaveLength(1);
    });
    const [download] = downloads;
    expect(download?.name).toBe('fixture-cluster-seed-7-at-2456ms.run.json');
    const decoded = decodeRunFile((await download?.blob.text()) ?? '');
    expect(decoded.ok && decoded.file).toEqual(sampleFile);
  });

  it('downloads the trace as the JSON lines the worker made', async () => {
    renderWithController(<ExportMenu />, fakeController());
    openMenu();
    fireEvent.click(screen.getByRole('button', { name: 'Download trace (JSON lines)' }));
    await waitFor(() => {
      expect(downloads).toHaveLength(1);
    });
    expect(downloads[0]?.name).toBe('fixture-cluster-seed-7-at-2456ms.trace.jsonl');
    expect(await downloads[0]?.blob.text()).toBe(
      '{"format":"distsim-trace"}\n{"index":0}\n{"end":true}\n',
    );
  });

  it('says why when the worker cannot make the run file', async () => {
    const fake = fakeController();
    fake.simClient.exportRun.mockImplementation(() => Promise.reject(new Error('No run yet.')));
    renderWithController(<ExportMenu />, fake);
    openMenu();
    fireEvent.click(screen.getByRole('button', { name: 'Download run (JSON)' }));
    await waitFor(() => {
      expect(noticeTexts()).toEqual(['error: The run file could not be made: No run yet.']);
    });
    expect(downloads).toEqual([]);
  });

  it('saves the topology as standalone SVG with every node and the messages in flight', async () => {
    // One message from n1 to n2, half way there at the frame's time.
    const inFlight = new Float64Array([7, 0, 1, 1_000_000, 3_000_000]);
    seedStore({ frame: makeFrame({ timeUs: 2_000_000, inFlight, inFlightTypes: ['vote'] }) });
    renderWithController(
      <>
        <ExportMenu />
        <TopologyView />
      </>,
      fakeController(),
    );
    openMenu();
    fireEvent.click(screen.getByRole('button', { name: 'Download view as SVG' }));
    // The menu's actions load on first use.
    await waitFor(() => {
      expect(downloads.map((download) => download.name)).toEqual([
        'fixture-cluster-seed-7-at-2000ms.svg',
      ]);
    });
    const text = (await downloads[0]?.blob.text()) ?? '';
    const picture = new DOMParser().parseFromString(text, 'image/svg+xml');
    expect(picture.querySelector('parsererror')).toBeNull();
    const root = picture.documentElement;
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    // The topology (800 × 600) between a heading band (50) and a one-row legend band (34).
    expect(root.getAttribute('viewBox')).toBe('0 0 800 684');
    expect(picture.querySelector('.topology-stage')?.getAttribute('transform')).toBe(
      'translate(0,50)',
    );
    const heading = [...picture.querySelectorAll('.picture-heading text')].map(
      (text) => text.textContent,
    );
    expect(heading).toEqual([
      'DistSim · Fixture cluster',
      `seed 7 · t = 2.000 s · run fingerprint ${makeFrame().traceHash}`,
    ]);
    const legend = [...picture.querySelectorAll('.picture-legend text')].map(
      (text) => text.textContent,
    );
    expect(legend).toEqual(expect.arrayContaining(['duplicate', 'dropped']));
    expect(picture.querySelectorAll('[data-node-index]')).toHaveLength(3);
    expect(picture.querySelector('title')?.textContent).toBe(
      'Fixture cluster, seed 7, t = 2.000 s',
    );
    // Nothing of the live page's focus handling or inline style survives; the node names do.
    expect(picture.querySelectorAll('[tabindex], [role], [style]')).toHaveLength(0);
    expect(picture.querySelectorAll('[aria-label^="n1,"]')).toHaveLength(1);
    const dots = picture.querySelectorAll('.messages-in-flight circle');
    expect(dots).toHaveLength(1);
    // Half way between n1's and n2's centres (moved 3 px into its lane).
    const [n1, n2] = [0, 1].map((index) =>
      /translate\(([\d.]+),([\d.]+)\)/
        .exec(
          picture.querySelector(`[data-node-index="${index}"]`)?.getAttribute('transform') ?? '',
        )
        ?.slice(1)
        .map(Number),
    );
    const middleX = ((n1?.[0] ?? 0) + (n2?.[0] ?? 0)) / 2;
    expect(Math.abs(Number(dots[0]?.getAttribute('cx')) - middleX)).toBeLessThan(4);
  });

  it('says so when there is no topology to save', async () => {
    renderWithController(<ExportMenu />, fakeController());
    openMenu();
    fireEvent.click(screen.getByRole('button', { name: 'Download view as SVG' }));
    await waitFor(() => {
      expect(noticeTexts()).toEqual(['error: There is no topology on screen to save yet.']);
    });
    expect(downloads).toEqual([]);
  });

  it('opens a run file, replays it to its time and confirms the trace hash', async () => {
    const fake = fakeController();
    renderWithController(<ExportMenu />, fake);
    await chooseFile(encodeRunFile(sampleFile));
    await waitFor(() => {
      expect(noticeTexts()).toEqual([
        "info: Opened run.json and replayed it to t = 1.500 s: the trace hash feedfacecafe0123 matches the file's.",
      ]);
    });
    expect(fake.load).toHaveBeenCalledWith(sampleFile.run, 1_500_000);
    expect(fake.step).toHaveBeenCalledWith({ kind: 'until', timeUs: 1_500_000 });
  });

  it('warns when the replayed trace hash differs from the file', async () => {
    renderWithController(<ExportMenu />, fakeController('0000000000000000'));
    await chooseFile(encodeRunFile(sampleFile), 'old.json');
    await waitFor(() => {
      expect(noticeTexts()[0]).toMatch(
        /^warning: Opened old.json, but its replay differs: the trace hash at t = 1.500 s is 0000000000000000, the file's is feedfacecafe0123/,
      );
    });
  });

  it('opens a version 1 file, whose trace hash is of an earlier format, and checks its event count', async () => {
    const older = encodeRunFile({ ...sampleFile, version: 1 });
    renderWithController(<ExportMenu />, fakeController('0000000000000000'));
    await chooseFile(older, 'v1.json');
    await waitFor(() => {
      expect(noticeTexts()[0]).toMatch(
        /^info: The file was written with run file version 1, .*checked by its event count instead of its trace hash\. Opened v1\.json and replayed it to t = 1\.500 s: it has the file's 340 events\.$/,
      );
    });
  });

  it('warns when a version 1 file replays to another number of events', async () => {
    const older = encodeRunFile({ ...sampleFile, version: 1 });
    renderWithController(<ExportMenu />, fakeController('0000000000000000', 341));
    await chooseFile(older, 'v1.json');
    await waitFor(() => {
      expect(noticeTexts()[0]).toMatch(
        /^warning: The file was written with run file version 1, .*Opened v1\.json, but its replay differs: it has 341 events at t = 1\.500 s, the file says 340\./,
      );
    });
  });

  it('refuses a bad file with a notice and keeps the current run', async () => {
    const cases: [string, RegExp][] = [
      ['{"format": "distsim-run"', /not JSON/],
      ['{"format": "distsim-run", "version": 3}', /format version 3/],
      [
        encodeRunFile({ ...sampleFile, run: { ...sampleFile.run, scenarioId: 'warp-drive' } }),
        /a scenario this app does not have \("warp-drive"\)/,
      ],
    ];
    const fake = fakeController();
    renderWithController(<ExportMenu />, fake);
    for (const [text, message] of cases) {
      useSimStore.setState({ notices: [] });
      await chooseFile(text, 'bad.json');
      await waitFor(() => {
        expect(noticeTexts()[0]).toMatch(/^error: bad.json was not opened: /);
      });
      expect(noticeTexts()[0]).toMatch(message);
    }
    expect(fake.load).not.toHaveBeenCalled();
    expect(useSimStore.getState().view).toBe(fixtureView);
  });

  it('does not check a hash when the worker refused the run', async () => {
    const fake = fakeController();
    // The controller turns a refused load into its own notice and keeps the old view.
    fake.load.mockImplementation(() => Promise.resolve());
    renderWithController(<ExportMenu />, fake);
    await chooseFile(encodeRunFile(sampleFile));
    await waitFor(() => {
      expect(fake.load).toHaveBeenCalledTimes(1);
    });
    expect(fake.step).not.toHaveBeenCalled();
    expect(noticeTexts()).toEqual([]);
  });
});
