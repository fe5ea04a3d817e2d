import { useId } from 'react';
import type { ArgChoice } from '../../engine/types.ts';

export interface ChoiceFieldProps {
  readonly label: string;
  readonly choices: readonly ArgChoice[];
  /** The chosen value, as text (the form keeps every argument as text). */
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** Extra description (the argument's help), read after the label. */
  readonly help?: string;
}

/**
 * An argument that stands for one of a few named things: two choices as a radio group (both in
 * view, one click), more as a select. The labels are what a person reads; the value sent is the
 * choice's number, as a recorded command carries it.
 */
export function ChoiceField({ label, choices, value, onChange, help }: ChoiceFieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const helpText =
    help === undefined ? null : (
      <span id={helpId} className="visually-hidden">
        {help}
      </span>
    );
  const describedBy = help === undefined ? undefined : helpId;
  if (choices.length === 2) {
    return (
      <fieldset className="field choice-field" aria-describedby={describedBy}>
        <legend>{label}</legend>
        {choices.map((choice) => (
          <label key={choice.value} className="check">
            <input
              type="radio"
              name={id}
              value={String(choice.value)}
              checked={value === String(choice.value)}
              onChange={() => {
                onChange(String(choice.value));
              }}
            />
            {choice.label}
          </label>
        ))}
        {helpText}
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-describedby={describedBy}
        onChange={(event) => {
          onChange(event.currentTarget.value);
        }}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={String(choice.value)}>
            {choice.label}
          </option>
        ))}
      </select>
      {helpText}
    </div>
  );
}
