import * as v from 'valibot';
import type { InvariantResult } from '../engine/invariants.ts';
import type { MetricFinal } from '../engine/metrics.ts';
import type { MetricAggregate, RunDescription } from '../engine/types.ts';
import { parseRunRequest } from './schema.ts';

/*
 * The run file: a run description, how far it was played, and what it came to (events, trace
 * hash, metrics, invariants). The page downloads and opens it, and the CLI reads and writes the
 * same file, so a run found in one can be replayed, and its fingerprint checked, in the other.
 * Opening treats the file as untrusted: a size cap, valibot for the envelope and the summary,
 * and schema.ts's run-request checks for the run itself.
 */

/** What every run file says it is, so that an unrelated JSON file is named as such. */
export const runFileFormat = 'distsim-run';
/**
 * Format version; bump on any change an older app or CLI could misread. Version 2 holds trace
 * hashes of trace format 2 (a compositional message hash, engine/contentHash.ts); version 1
 * files are still read, and their runs replay as recorded, but a format 1 trace hash cannot be
 * compared with one computed now, so their replay is checked by its event count instead.
 */
export const runFileVersion = 2;
/** Every version this app reads. */
export const runFileVersionsRead = [1, 2] as const;
export type RunFileVersion = (typeof runFileVersionsRead)[number];
/** Largest run file read (a full command log of 10,000 entries is about 1.5 MB). */
export const runFileCharsMax = 5_000_000;
/** Longest run a file may describe: one simulated day, as the CLI's `--duration-ms`. */
export const runFileUntilUsMax = 86_400_000_000;

/** What a run came to at `untilUs`: the figures a replay is checked against. */
export interface RunSummary {
  /** Events the engine processed. */
  readonly eventCount: number;
  /** The run's fingerprint over every trace event (16 hex digits). */
  readonly traceHash: string;
  readonly metrics: readonly MetricFinal[];
  readonly invariants: readonly InvariantResult[];
}

/** A run file's contents. */
export interface RunFile {
  readonly format: typeof runFileFormat;
  /** The version the file was written with (written files always have `runFileVersion`). */
  readonly version: RunFileVersion;
  readonly run: RunDescription;
  /** Simulated time the run was played to; replaying to it must give `summary.traceHash`. */
  readonly untilUs: number;
  readonly summary: RunSummary;
}

/** Why a text is not a run file this app can open. */
export interface RunFileProblem {
  readonly code: 'too-big' | 'not-json' | 'not-a-run-file' | 'bad-version' | 'invalid';
  readonly message: string;
}

export type DecodedRunFile =
  | { readonly ok: true; readonly file: RunFile }
  | { readonly ok: false; readonly problem: RunFileProblem };

/** Builds a run file from a run and what it came to. */
export function makeRunFile(
  run: RunDescription,
  untilUs: number,
  summary: RunSummary,
  version: RunFileVersion = runFileVersion,
): RunFile {
  return { format: runFileFormat, version, run, untilUs, summary };
}

/** How a replay of a run file compares with what the file records. */
export interface ReplayCheck {
  readonly isMatch: boolean;
  /**
   * What was compared: the trace hash, or (for a file whose trace hash is of an older trace
   * format) the number of events, which the hash format does not change.
   */
  readonly basis: 'trace hash' | 'event count';
}

/** Compares a replay with the summary a run file records. */
export function checkReplay(
  file: Pick<RunFile, 'version' | 'summary'>,
  replay: { readonly traceHash: string; readonly eventCount: number },
): ReplayCheck {
  if (file.version === runFileVersion) {
    return { isMatch: replay.traceHash === file.summary.traceHash, basis: 'trace hash' };
  }
  return { isMatch: replay.eventCount === file.summary.eventCount, basis: 'event count' };
}

/** One sentence on an older file's trace hash, or null for a file of the current version. */
export function olderFormatNote(file: Pick<RunFile, 'version'>): string | null {
  if (file.version === runFileVersion) return null;
  return `The file was written with run file version ${file.version}, whose trace hash used an earlier message hash: the run replays as recorded, and is checked by its event count instead of its trace hash.`;
}

/** The file's text: indented JSON, so that it reads and diffs well. */
export function encodeRunFile(file: RunFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

const text64 = v.pipe(v.string(), v.maxLength(64));
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

const aggregates = [
  'last',
  'sum',
  'mean',
  'max',
  'p50',
  'p99',
  'count',
] as const satisfies readonly MetricAggregate[];

const metricSchema = v.strictObject({
  name: text64,
  unit: text64,
  aggregate: v.picklist(aggregates),
  value: v.nullable(v.pipe(v.number(), v.finite())),
  count,
});

const invariantSchema = v.strictObject({
  id: text64,
  kind: v.picklist(['safety', 'liveness']),
  description: v.pipe(v.string(), v.maxLength(1000)),
  status: v.picklist(['ok', 'pending', 'violated']),
  violations: count,
  firstViolation: v.nullable(
    v.strictObject({
      timeUs: count,
      event: count,
      message: v.pipe(v.string(), v.maxLength(1000)),
      nodes: v.pipe(v.array(text64), v.maxLength(512)),
    }),
  ),
});

/** The envelope and summary; the run is checked by schema.ts's run-request schema. */
const runFileSchema = v.strictObject({
  format: v.literal(runFileFormat),
  version: v.picklist(runFileVersionsRead),
  run: v.unknown(),
  untilUs: v.pipe(count, v.maxValue(runFileUntilUsMax)),
  summary: v.strictObject({
    eventCount: count,
    traceHash: v.pipe(v.string(), v.regex(/^[0-9a-f]{16}$/, 'expected 16 hex digits')),
    metrics: v.pipe(v.array(metricSchema), v.maxLength(256)),
    invariants: v.pipe(v.array(invariantSchema), v.maxLength(256)),
  }),
});

/**
 * Reads a run file's text. Never throws: a text that is too big, not JSON, not a run file, of
 * another format version or with an invalid run comes back as a problem that says which.
 */
export function decodeRunFile(text: string): DecodedRunFile {
  const fail = (code: RunFileProblem['code'], message: string): DecodedRunFile => ({
    ok: false,
    problem: { code, message },
  });
  if (text.length > runFileCharsMax) {
    return fail('too-big', `The file is larger than a run file can be (${runFileCharsMax} bytes).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail('not-json', 'The file is not JSON, so it is not a DistSim run file.');
  }
  if (typeof data !== 'object' || data === null || !('format' in data)) {
    return fail('not-a-run-file', 'The file is JSON but not a DistSim run file.');
  }
  const { format, version } = data as { format: unknown; version?: unknown };
  if (format !== runFileFormat) {
    return fail(
      'not-a-run-file',
      `The file is not a DistSim run file (its format is ${JSON.stringify(format)}).`,
    );
  }
  if (!runFileVersionsRead.some((each) => each === version)) {
    return fail(
      'bad-version',
      `The run file has format version ${version === undefined ? 'none' : JSON.stringify(version)}; this app reads versions ${runFileVersionsRead.join(' and ')}.`,
    );
  }
  const envelope = v.safeParse(runFileSchema, data);
  if (!envelope.success)
    return fail('invalid', `The run file is invalid: ${issueText(envelope.issues)}.`);
  const parsed = parseRunRequest(envelope.output.run);
  if (!parsed.ok) {
    return fail('invalid', `The run file's run is invalid: ${parsed.problems.join('; ')}.`);
  }
  const { scenarioVersion, ...request } = parsed.value;
  if (scenarioVersion === undefined) {
    return fail('invalid', "The run file's run is invalid: run.scenarioVersion is missing.");
  }
  const { summary, untilUs } = envelope.output;
  return {
    ok: true,
    file: makeRunFile({ ...request, scenarioVersion }, untilUs, summary, envelope.output.version),
  };
}

function issueText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = v.getDotPath(issue);
      return path === null ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
