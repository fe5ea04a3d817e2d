import * as v from 'valibot';
import type { Command, RecordedCommand } from '../engine/types.ts';
import type { RunRequest } from './protocol.ts';

/*
 * Schemas for everything that crosses a trust boundary: run requests from the page, share
 * links, and fault files given to the CLI. Valibot (rather than hand-written checks) gives
 * precise paths in error messages ("commands.3.command.node: expected string") for free and is
 * tree-shakable, so the page pays only for the validators it uses.
 */

const nodeId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
// Readonly outputs, as the engine's `Command` declares its arrays.
const nodeList = v.pipe(v.array(nodeId), v.maxLength(512), v.readonly());
const finite = v.pipe(v.number(), v.finite());
const probability = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const micros = v.pipe(v.number(), v.finite(), v.minValue(0));

const slowTail = v.exactOptional(
  v.strictObject({ probability, factor: v.pipe(v.number(), v.minValue(1), v.maxValue(1000)) }),
);

const latencySpec = v.variant('kind', [
  v.strictObject({ kind: v.literal('constant'), us: micros, slowTail }),
  v.strictObject({ kind: v.literal('uniform'), minUs: micros, maxUs: micros, slowTail }),
  v.strictObject({
    kind: v.literal('normal'),
    meanUs: micros,
    sdUs: micros,
    minUs: micros,
    slowTail,
  }),
  v.strictObject({ kind: v.literal('exponential'), minUs: micros, meanExtraUs: micros, slowTail }),
]);

/** Every engine command, checked (`schema.test.ts` checks at compile time that it matches `Command`). */
const commandSchema = v.variant('type', [
  v.strictObject({ type: v.literal('node.crash'), node: nodeId }),
  v.strictObject({ type: v.literal('node.restart'), node: nodeId }),
  v.strictObject({
    type: v.literal('node.pause'),
    node: nodeId,
    durationMs: v.exactOptional(v.pipe(v.number(), v.minValue(0))),
  }),
  v.strictObject({ type: v.literal('node.resume'), node: nodeId }),
  v.strictObject({
    type: v.literal('node.skew'),
    node: nodeId,
    offsetMs: finite,
    driftPpm: v.exactOptional(finite),
  }),
  v.strictObject({
    type: v.literal('net.partition'),
    groups: v.pipe(v.array(nodeList), v.minLength(1), v.maxLength(64), v.readonly()),
  }),
  v.strictObject({ type: v.literal('net.isolate'), node: nodeId }),
  v.strictObject({ type: v.literal('net.cut'), from: nodeList, to: nodeList }),
  v.strictObject({ type: v.literal('net.heal') }),
  v.strictObject({
    type: v.literal('link.set'),
    from: nodeId,
    to: nodeId,
    isBothWays: v.exactOptional(v.boolean()),
    latency: v.exactOptional(latencySpec),
    lossProbability: v.exactOptional(probability),
    duplicateProbability: v.exactOptional(probability),
  }),
  v.strictObject({ type: v.literal('link.hold'), from: nodeId, to: nodeId }),
  v.strictObject({ type: v.literal('link.release'), from: nodeId, to: nodeId }),
  v.strictObject({
    type: v.literal('scenario.fault'),
    fault: v.pipe(v.string(), v.maxLength(64)),
    node: nodeId,
    args: v.exactOptional(v.record(v.pipe(v.string(), v.maxLength(64)), finite)),
  }),
  v.strictObject({
    type: v.literal('param.set'),
    key: v.pipe(v.string(), v.maxLength(64)),
    value: finite,
  }),
]);

/**
 * A timed command. Recorded logs carry `atUs` and `event`; hand-written files may give `atMs`
 * instead of `atUs` and leave out `event`.
 */
const recordedCommandSchema = v.pipe(
  v.strictObject({
    atUs: v.exactOptional(micros),
    atMs: v.exactOptional(v.pipe(v.number(), v.finite(), v.minValue(0))),
    event: v.exactOptional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
    command: commandSchema,
  }),
  v.check(
    (record) => (record.atUs === undefined) !== (record.atMs === undefined),
    'give exactly one of atUs and atMs',
  ),
);

/** Commands per log accepted from outside. */
export const commandLogMax = 10_000;

const commandLogSchema = v.pipe(v.array(recordedCommandSchema), v.maxLength(commandLogMax));

const runRequestSchema = v.strictObject({
  scenarioId: v.pipe(v.string(), v.maxLength(64)),
  scenarioVersion: v.exactOptional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  seed: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  variant: v.picklist(['pattern', 'baseline']),
  params: v.record(v.pipe(v.string(), v.maxLength(64)), finite),
  commands: commandLogSchema,
});

/** What the command schema accepts, as a type: the engine's `Command`, exactly. */
export type CheckedCommand = v.InferOutput<typeof commandSchema>;

/** A validation outcome: the value, or a readable list of what was wrong. */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: string[] };

function problemsOf(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.slice(0, 5).map((issue) => {
    const path = v.getDotPath(issue);
    return path === null ? issue.message : `${path}: ${issue.message}`;
  });
}

function toRecorded(record: v.InferOutput<typeof recordedCommandSchema>): RecordedCommand {
  const atUs = record.atUs ?? Math.round((record.atMs ?? 0) * 1000);
  return {
    atUs,
    ...(record.event === undefined ? {} : { event: record.event }),
    command: record.command,
  };
}

/** Checks an untrusted command log (a fault file, a share link's commands). */
export function parseCommandLog(input: unknown): Parsed<RecordedCommand[]> {
  const result = v.safeParse(commandLogSchema, input);
  if (!result.success) return { ok: false, problems: problemsOf(result.issues) };
  return { ok: true, value: result.output.map(toRecorded) };
}

/** Checks an untrusted command. */
export function parseCommand(input: unknown): Parsed<Command> {
  const result = v.safeParse(commandSchema, input);
  if (!result.success) return { ok: false, problems: problemsOf(result.issues) };
  return { ok: true, value: result.output };
}

declare const checkedBrand: unique symbol;

/**
 * A run request that `parseRunRequest` has checked. Code past the worker border takes this type,
 * so a request is validated once where it enters and never again (only this module makes one).
 */
export type CheckedRunRequest = RunRequest & { readonly [checkedBrand]: true };

/** Checks an untrusted run request (from the page, a share link, or a saved run). */
export function parseRunRequest(input: unknown): Parsed<CheckedRunRequest> {
  const result = v.safeParse(runRequestSchema, input);
  if (!result.success) return { ok: false, problems: problemsOf(result.issues) };
  const { scenarioVersion, ...rest } = result.output;
  const request: RunRequest = {
    ...rest,
    ...(scenarioVersion === undefined ? {} : { scenarioVersion }),
    commands: result.output.commands.map(toRecorded),
  };
  return { ok: true, value: request as CheckedRunRequest };
}
