import type { ParamChoice, ParamSpec } from './types.ts';

/** The named choice a value is, or undefined (no choices, or a value none of them names). */
export function choiceFor(spec: ParamSpec, value: number): ParamChoice | undefined {
  return spec.choices?.find((choice) => choice.value === value);
}

/**
 * A parameter's or argument's value in words: its choice's label ("range partitioning"), or
 * the number with its unit ("250 ms"). A value that has choices but is none of them (a hand-made
 * or old link) is shown as the number it is and said to be unnamed, never as a wrong label.
 */
export function valueText(spec: ParamSpec, value: number): string {
  const choice = choiceFor(spec, value);
  if (choice !== undefined) return choice.label;
  if (spec.choices !== undefined) return unnamedValueText(value);
  return spec.unit === '' ? String(value) : `${value} ${spec.unit}`;
}

/** A value of a parameter with choices that none of them names, said as the number it is. */
export function unnamedValueText(value: number | string): string {
  return `${value} (not one of the named choices)`;
}

/** The choices in one line, number first, for text where a number is typed: "0 off, 1 on". */
export function choicesText(choices: readonly ParamChoice[]): string {
  return choices.map((choice) => `${choice.value} ${choice.label}`).join(', ');
}
