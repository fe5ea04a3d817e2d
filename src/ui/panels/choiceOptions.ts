import { unnamedValueText } from '../../engine/paramText.ts';
import type { ParamChoice } from '../../engine/types.ts';

/** A choice as a form control offers it: the value as the form keeps it (text), and its label. */
export interface ShownChoice {
  readonly value: string;
  readonly label: string;
}

/**
 * The choices as a control offers them. A value none of them names (an old or hand-made link)
 * is offered too, as the number it is, so the control shows the truth and picking it keeps it.
 */
export function shownChoices(choices: readonly ParamChoice[], value: string): ShownChoice[] {
  const shown = choices.map((choice) => ({ value: String(choice.value), label: choice.label }));
  if (value.trim() === '' || shown.some((choice) => choice.value === value)) return shown;
  return [...shown, { value, label: unnamedValueText(value) }];
}
