import type { ParamSpec, RecordedCommand, RunDescription } from '../../engine/types.ts';
import type { RunRequest } from '../../worker/protocol.ts';
import { parseParam } from './validation.ts';

/**
 * Parameter values as the panel shows them: the run's loaded values, then every `param.set`
 * command in the command log, in order (the last one wins, as in the simulation).
 */
export function currentParams(
  specs: Readonly<Record<string, ParamSpec>>,
  run: RunDescription,
  commands: readonly RecordedCommand[],
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const [key, spec] of Object.entries(specs)) values[key] = run.params[key] ?? spec.default;
  for (const recorded of commands) {
    const command = recorded.command;
    if (command.type === 'param.set' && command.key in specs) values[command.key] = command.value;
  }
  return values;
}

/** A value being edited, with the current value it was started from. */
export interface ParamDraft {
  readonly text: string;
  /** When the current value moves away from this (a reload, a removed command), drop the draft. */
  readonly base: number;
}

/** The draft that still applies to a field, if any. */
export function liveDraft(draft: ParamDraft | undefined, current: number): ParamDraft | undefined {
  return draft !== undefined && draft.base === current ? draft : undefined;
}

/**
 * Changed values of parameters that need a restart, or null when one of them is invalid. An
 * empty object means nothing is pending.
 */
export function pendingRestartValues(
  specs: Readonly<Record<string, ParamSpec>>,
  current: Readonly<Record<string, number>>,
  drafts: Readonly<Record<string, ParamDraft>>,
): Record<string, number> | null {
  const changes: Record<string, number> = {};
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.isLive === true) continue;
    const value = current[key] ?? spec.default;
    const draft = liveDraft(drafts[key], value);
    if (draft === undefined) continue;
    const parsed = parseParam(draft.text, spec);
    if (!parsed.isValid) return null;
    if (parsed.value !== value) changes[key] = parsed.value;
  }
  return changes;
}

/** The request that restarts `run` with `changes` applied, faults kept. */
export function restartRequest(
  run: RunDescription,
  commands: readonly RecordedCommand[],
  changes: Readonly<Record<string, number>>,
): RunRequest {
  return {
    scenarioId: run.scenarioId,
    scenarioVersion: run.scenarioVersion,
    seed: run.seed,
    variant: run.variant,
    params: { ...run.params, ...changes },
    commands,
  };
}
