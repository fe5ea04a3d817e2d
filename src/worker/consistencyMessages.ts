import * as v from 'valibot';
import { checkConsistency, checkModels } from '../consistency/check.ts';
import { HistoryError, operationKinds, type Operation } from '../consistency/history.ts';
import type { Verdict } from '../consistency/verdict.ts';

/*
 * The page <-> consistency worker messages, and their handling apart from the worker global so
 * tests run it in-process. The page sends a history (recorded by a run, or opened from a file:
 * untrusted either way, hence the schema) and gets every verdict back, or the problems in words.
 * One request at a time per worker; `requestId` pairs a reply with its request.
 */

const label = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const finite = v.pipe(v.number(), v.finite());

const scalarSchema = v.union([
  v.null(),
  v.boolean(),
  finite,
  v.pipe(v.string(), v.maxLength(1024)),
]);

/** A value: a scalar, or a list of scalars (what a list read returns); no deeper nesting. */
const valueSchema = v.union([scalarSchema, v.pipe(v.array(scalarSchema), v.maxLength(100_000))]);

const operationSchema = v.strictObject({
  id: v.pipe(v.number(), v.safeInteger()),
  client: label,
  key: v.pipe(v.string(), v.maxLength(64)),
  kind: v.picklist(operationKinds),
  value: v.optional(valueSchema),
  result: v.optional(valueSchema),
  invokeUs: v.pipe(finite, v.minValue(0)),
  completeUs: v.nullable(v.pipe(finite, v.minValue(0))),
});

/** Operations per history accepted from outside. */
export const consistencyOpsMax = 100_000;

const requestSchema = v.strictObject({
  type: v.literal('check'),
  requestId: v.pipe(v.number(), v.safeInteger()),
  ops: v.pipe(v.array(operationSchema), v.maxLength(consistencyOpsMax)),
  options: v.optional(
    v.strictObject({
      model: v.optional(v.picklist(checkModels)),
      initial: v.optional(valueSchema),
      budget: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1e8))),
      shrink: v.optional(
        v.strictObject({
          maxChecks: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(10_000)),
          maxSteps: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(1e9)),
        }),
      ),
    }),
  ),
});

export type ConsistencyRequest = v.InferOutput<typeof requestSchema>;

export type ConsistencyReply =
  | { readonly type: 'verdicts'; readonly requestId: number; readonly verdicts: Verdict[] }
  /** The request or the history was refused; `requestId` is null when it could not be read. */
  | { readonly type: 'failed'; readonly requestId: number | null; readonly problems: string[] };

function requestIdOf(input: unknown): number | null {
  if (typeof input !== 'object' || input === null || !('requestId' in input)) return null;
  const { requestId } = input;
  return typeof requestId === 'number' && Number.isSafeInteger(requestId) ? requestId : null;
}

/** Checks the request, runs every check and answers: never throws. */
export function handleConsistencyRequest(input: unknown): ConsistencyReply {
  const parsed = v.safeParse(requestSchema, input);
  if (!parsed.success) {
    const problems = parsed.issues.slice(0, 5).map((issue) => {
      const path = v.getDotPath(issue);
      return path === null ? issue.message : `${path}: ${issue.message}`;
    });
    return { type: 'failed', requestId: requestIdOf(input), problems };
  }
  const { requestId, ops, options } = parsed.output;
  try {
    const verdicts = checkConsistency(ops as Operation[], {
      ...(options?.model === undefined ? {} : { model: options.model }),
      ...(options?.initial === undefined ? {} : { initial: options.initial }),
      ...(options?.budget === undefined ? {} : { budget: options.budget }),
      ...(options?.shrink === undefined ? {} : { shrink: options.shrink }),
    });
    return { type: 'verdicts', requestId, verdicts };
  } catch (error) {
    if (error instanceof HistoryError)
      return { type: 'failed', requestId, problems: [...error.problems] };
    const reason = error instanceof Error ? error.message : String(error);
    return { type: 'failed', requestId, problems: [`Checking failed: ${reason}`] };
  }
}
