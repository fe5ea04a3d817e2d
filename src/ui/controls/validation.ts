import type { ParamSpec } from '../../engine/types.ts';

/** A parsed form value or the message to show beside the field. */
export type Parsed = { readonly isValid: true; readonly value: number } | ParseError;

interface ParseError {
  readonly isValid: false;
  readonly error: string;
}

/** Seeds are whole numbers that a double holds exactly, so a share link replays them exactly. */
export const seedMax = Number.MAX_SAFE_INTEGER;

/** Reads a seed typed by a person: a whole number from 0 to 2^53 − 1. */
export function parseSeed(text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return invalid('Enter a seed: a whole number from 0 up.');
  if (!/^\d+$/.test(trimmed)) return invalid('The seed must be a whole number of 0 or more.');
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value)) {
    return invalid(`The seed must be at most ${String(seedMax)} (2^53 − 1).`);
  }
  return { isValid: true, value };
}

/**
 * Reads a parameter value against its spec: a number inside the bounds, on the step grid, and
 * one of the named choices when the spec lists them (the panel offers only those, plus the value
 * in effect, which it never parses as a change).
 */
export function parseParam(text: string, spec: ParamSpec): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return invalid(`Enter a value from ${rangeText(spec)}.`);
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return invalid(`Enter a number from ${rangeText(spec)}.`);
  if (value < spec.min || value > spec.max) {
    return invalid(`Out of range: use ${rangeText(spec)}.`);
  }
  if (!isOnStep(value, spec)) {
    return invalid(`Use a multiple of ${String(spec.step)} from ${String(spec.min)}.`);
  }
  const choices = spec.choices;
  if (choices !== undefined && !choices.some((choice) => choice.value === value)) {
    return invalid(`Pick one of: ${choices.map((choice) => choice.label).join(', ')}.`);
  }
  return { isValid: true, value };
}

function isOnStep(value: number, spec: ParamSpec): boolean {
  if (spec.step <= 0) return true;
  const steps = (value - spec.min) / spec.step;
  // Decimal steps (0.1) are not exact in binary; allow a rounding error far below a step.
  return Math.abs(steps - Math.round(steps)) < 1e-9;
}

function rangeText(spec: ParamSpec): string {
  const unit = spec.unit === '' ? '' : ` ${spec.unit}`;
  return `${String(spec.min)} to ${String(spec.max)}${unit}`;
}

function invalid(error: string): ParseError {
  return { isValid: false, error };
}
