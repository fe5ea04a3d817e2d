import type { ParamSpec, RunDescription } from '../../engine/types.ts';
import type { RunRequest } from '../../worker/protocol.ts';
import { commandsByTime } from './compareUrl.ts';

/** What side b runs: the baseline, or the pattern with one parameter set to another value. */
export type SideBChoice =
  | { readonly kind: 'baseline' }
  | { readonly kind: 'param'; readonly key: string; readonly value: number };

/**
 * Side b's run for a choice, built from side a's run: same scenario, seed and command log, so
 * the only difference is the one chosen.
 */
export function sideBRequest(aRun: RunDescription, choice: SideBChoice): RunRequest {
  const base = {
    scenarioId: aRun.scenarioId,
    seed: aRun.seed,
    // Side b runs other events, so a's commands apply there by time, not by event count.
    commands: commandsByTime(aRun.commands),
    scenarioVersion: aRun.scenarioVersion,
  };
  return choice.kind === 'baseline'
    ? { ...base, variant: 'baseline', params: aRun.params }
    : { ...base, variant: aRun.variant, params: { ...aRun.params, [choice.key]: choice.value } };
}

/**
 * What side b is, read from both runs: the baseline, one parameter changed, or null when the
 * runs differ in some other way (a hand-made link).
 */
export function choiceOf(aRun: RunDescription, bRun: RunDescription): SideBChoice | null {
  if (aRun.scenarioId !== bRun.scenarioId || aRun.seed !== bRun.seed) return null;
  const changed = changedParams(aRun.params, bRun.params);
  if (aRun.variant === 'pattern' && bRun.variant === 'baseline') {
    return changed.length === 0 ? { kind: 'baseline' } : null;
  }
  if (aRun.variant !== bRun.variant || changed.length !== 1) return null;
  const key = changed[0] ?? '';
  const value = bRun.params[key];
  return value === undefined ? null : { kind: 'param', key, value };
}

/** The parameter a comparison varies, which commands must not overwrite on the other side. */
export function variedParam(choice: SideBChoice | null): string | null {
  return choice?.kind === 'param' ? choice.key : null;
}

function changedParams(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((key) => a[key] !== b[key]).sort((x, y) => x.localeCompare(y));
}

/** Why a typed value cannot be used, or null when it can. */
export function valueProblem(text: string, spec: ParamSpec | undefined): string | null {
  if (spec === undefined) return 'Choose a parameter.';
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) return 'Type a number.';
  if (value < spec.min || value > spec.max)
    return `${spec.label} goes from ${spec.min} to ${spec.max}.`;
  return null;
}
