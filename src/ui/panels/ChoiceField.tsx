import { useId } from 'react';
import type { ParamChoice } from '../../engine/types.ts';
import { shownChoices, type ShownChoice } from './choiceOptions.ts';

export interface ChoiceFieldProps {
  readonly label: string;
  readonly choices: readonly ParamChoice[];
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
  const options = shownChoices(choices, value);
  if (isRadioGroup(choices)) {
    return (
      <fieldset className="field choice-field" aria-describedby={describedBy}>
        <legend>{label}</legend>
        <ChoiceRadios name={id} options={options} value={value} onChange={onChange} />
        {helpText}
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <ChoiceSelect
        id={id}
        options={options}
        value={value}
        onChange={onChange}
        describedBy={describedBy}
      />
      {helpText}
    </div>
  );
}

export interface ChoiceInputProps {
  /** The element that names the control (a label row the caller lays out itself). */
  readonly labelId: string;
  readonly choices: readonly ParamChoice[];
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** Ids of visible descriptions (help, an error), read after the name. */
  readonly describedBy?: string;
}

/**
 * The same control without a label of its own, for a form that lays out its labels (the
 * parameters panel, whose label row also says whether a value applies live or on reset).
 */
export function ChoiceInput({ labelId, choices, value, onChange, describedBy }: ChoiceInputProps) {
  const id = useId();
  const options = shownChoices(choices, value);
  if (isRadioGroup(choices)) {
    return (
      <div
        role="radiogroup"
        className="field choice-field"
        aria-labelledby={labelId}
        aria-describedby={describedBy}
      >
        <ChoiceRadios name={id} options={options} value={value} onChange={onChange} />
      </div>
    );
  }
  return (
    <ChoiceSelect
      id={id}
      labelledBy={labelId}
      options={options}
      value={value}
      onChange={onChange}
      describedBy={describedBy}
    />
  );
}

/** Two named choices fit side by side as radios; more go in a select. */
function isRadioGroup(choices: readonly ParamChoice[]): boolean {
  return choices.length === 2;
}

interface ChoiceRadiosProps {
  readonly name: string;
  readonly options: readonly ShownChoice[];
  readonly value: string;
  readonly onChange: (value: string) => void;
}

function ChoiceRadios({ name, options, value, onChange }: ChoiceRadiosProps) {
  return options.map((choice) => (
    <label key={choice.value} className="check">
      <input
        type="radio"
        name={name}
        value={choice.value}
        checked={value === choice.value}
        onChange={() => {
          onChange(choice.value);
        }}
      />
      {choice.label}
    </label>
  ));
}

interface ChoiceSelectProps {
  readonly id: string;
  readonly labelledBy?: string;
  readonly options: readonly ShownChoice[];
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly describedBy: string | undefined;
}

function ChoiceSelect({
  id,
  labelledBy,
  options,
  value,
  onChange,
  describedBy,
}: ChoiceSelectProps) {
  return (
    <select
      id={id}
      value={value}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onChange={(event) => {
        onChange(event.currentTarget.value);
      }}
    >
      {options.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}
