import { getScenarioView } from '../../scenarios/viewRegistry.ts';
import { uniqueLinks } from '../topology/layout.ts';
import { pairKey, pairKeysOf } from '../topology/linkLayer.ts';
import {
  checkReplay,
  decodeRunFile,
  encodeRunFile,
  olderFormatNote,
  runFileCharsMax,
} from '../../worker/runFile.ts';
import type { SimController } from '../state/controller.ts';
import { useSimStore } from '../state/store.ts';
import { formatSimTime } from './format.ts';
import {
  downloadBlob,
  findTopologySvg,
  legendEntriesOf,
  serializeTopology,
  viewToPng,
  type SerializedView,
  type ViewPicture,
} from './viewExport.ts';

/*
 * What the export menu does, as functions over the controller (like runActions.ts): download the
 * run file, the trace and the view, and open a run file. Every failure becomes a notice; none
 * throws, so a click handler can call them with `void`.
 */

/** Device pixels per CSS pixel in a PNG: sharp on high-density screens, never huge. */
const pngScaleMax = 2;

function notify(tone: 'info' | 'warning' | 'error', text: string): void {
  useSimStore.getState().addNotice(tone, text);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A file name for the current run and moment: `leader-election-seed-7-at-2456ms`. */
export function exportBaseName(): string {
  const { view, frame } = useSimStore.getState();
  if (view === null) return 'distsim';
  const variant = view.run.variant === 'baseline' ? '-baseline' : '';
  const atMs = Math.floor((frame?.timeUs ?? 0) / 1000);
  return `${view.run.scenarioId}${variant}-seed-${view.run.seed}-at-${atMs}ms`;
}

/** Downloads the run file of the run as it stands (the worker computes its summary). */
export async function downloadRunFile(controller: SimController): Promise<void> {
  try {
    const file = await controller.simClient.exportRun();
    downloadBlob(
      new Blob([encodeRunFile(file)], { type: 'application/json' }),
      `${exportBaseName()}.run.json`,
    );
  } catch (error) {
    notify('error', `The run file could not be made: ${reasonOf(error)}`);
  }
}

/** Downloads the trace from the start to now as JSON lines (the worker replays the run). */
export async function downloadTrace(controller: SimController): Promise<void> {
  try {
    const trace = await controller.simClient.exportTrace();
    downloadBlob(
      new Blob([...trace.chunks], { type: 'application/x-ndjson' }),
      `${exportBaseName()}.trace.jsonl`,
    );
    if (trace.listed < trace.events) {
      notify(
        'warning',
        `The trace lists the first ${trace.listed} of ${trace.events} events; its last line says so and holds the hash of all of them.`,
      );
    }
  } catch (error) {
    notify('error', `The trace could not be made: ${reasonOf(error)}`);
  }
}

/**
 * The topology as it looks now, with the messages in flight, as standalone SVG; `overrides`
 * replace parts of the picture (the animation export sets its own heading and legend).
 */
export function currentView(overrides: Partial<ViewPicture> = {}): SerializedView | null {
  const svg = findTopologySvg();
  const { view, frame, selection } = useSimStore.getState();
  if (svg === null || view === null) return null;
  // The links are on a canvas under the SVG: the picture draws them as the canvas paints them.
  const cut = pairKeysOf(frame?.cutLinks ?? []);
  const selected = selection?.kind === 'link' ? pairKey(selection.from, selection.to) : null;
  return serializeTopology(svg, {
    frame,
    links: {
      pairs: uniqueLinks(view.topology.links),
      cut,
      omitted: selected !== null && cut.has(selected) ? selected : null,
    },
    messageColours: getScenarioView(view.meta.id)?.messageColours ?? {},
    title: `${view.meta.title}, seed ${view.run.seed}, ${formatSimTime(frame?.timeUs ?? 0)}`,
    heading: {
      title: `DistSim · ${view.meta.title}${view.run.variant === 'baseline' ? ` (baseline: ${view.meta.baselineLabel})` : ''}`,
      detail: `seed ${view.run.seed} · ${formatSimTime(frame?.timeUs ?? 0)} · run fingerprint ${frame?.traceHash ?? '—'}`,
    },
    legend: legendEntriesOf(),
    ...overrides,
  });
}

/** Downloads the topology view as an SVG file. */
export function downloadViewSvg(): void {
  const picture = currentView();
  if (picture === null) {
    notify('error', 'There is no topology on screen to save yet.');
    return;
  }
  downloadBlob(new Blob([picture.svg], { type: 'image/svg+xml' }), `${exportBaseName()}.svg`);
}

/** Downloads the topology view as a PNG image. */
export async function downloadViewPng(): Promise<void> {
  const picture = currentView();
  if (picture === null) {
    notify('error', 'There is no topology on screen to save yet.');
    return;
  }
  try {
    const scale = Math.min(pngScaleMax, Math.max(1, window.devicePixelRatio));
    downloadBlob(await viewToPng(picture, scale), `${exportBaseName()}.png`);
  } catch (error) {
    notify('error', `The picture could not be made: ${reasonOf(error)}`);
  }
}

/**
 * Opens a run file: checks it, loads its run through the controller, plays it to the file's
 * time and says whether the replay's trace hash matches the one the file records. A file that
 * cannot be used leaves the current run as it is.
 */
export async function openRunFile(controller: SimController, file: File): Promise<void> {
  const refuse = (why: string) => {
    notify('error', `${file.name} was not opened: ${why}`);
  };
  if (file.size > runFileCharsMax) {
    refuse(`it is larger than a run file can be (${runFileCharsMax} bytes).`);
    return;
  }
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    refuse(`it could not be read (${reasonOf(error)}).`);
    return;
  }
  const decoded = decodeRunFile(text);
  if (!decoded.ok) {
    refuse(decoded.problem.message);
    return;
  }
  const { run, untilUs, summary } = decoded.file;
  const { catalogue, view: before } = useSimStore.getState();
  if (catalogue.length > 0 && !catalogue.some((entry) => entry.id === run.scenarioId)) {
    refuse(`it is for a scenario this app does not have ("${run.scenarioId}").`);
    return;
  }
  await controller.load(run, untilUs);
  // A load the worker refused keeps the old run; the controller has already said why.
  if (useSimStore.getState().view === before) return;
  // Loads stop at the host's position cap; this goes the rest of the way (and is a no-op when
  // the load already reached the file's time).
  await controller.step({ kind: 'until', timeUs: untilUs });
  const frame = useSimStore.getState().frame;
  if (frame?.timeUs !== untilUs) {
    notify(
      'warning',
      `Opened ${file.name}, but the replay did not reach ${formatSimTime(untilUs)}, so its trace hash could not be checked.`,
    );
    return;
  }
  const check = checkReplay(decoded.file, frame);
  const older = olderFormatNote(decoded.file);
  const prefix = older === null ? '' : `${older} `;
  if (check.isMatch) {
    const what =
      check.basis === 'trace hash'
        ? `the trace hash ${summary.traceHash} matches the file's`
        : `it has the file's ${summary.eventCount} events`;
    notify(
      'info',
      `${prefix}Opened ${file.name} and replayed it to ${formatSimTime(untilUs)}: ${what}.`,
    );
  } else {
    const what =
      check.basis === 'trace hash'
        ? `the trace hash at ${formatSimTime(untilUs)} is ${frame.traceHash}, the file's is ${summary.traceHash}`
        : `it has ${frame.eventCount} events at ${formatSimTime(untilUs)}, the file says ${summary.eventCount}`;
    notify(
      'warning',
      `${prefix}Opened ${file.name}, but its replay differs: ${what}. This app may play the scenario differently from the one that saved the file.`,
    );
  }
}
