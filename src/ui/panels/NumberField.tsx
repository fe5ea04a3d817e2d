import { useId, useState } from 'react';

export interface NumberFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number | 'any';
  readonly placeholder?: string;
  /** An inline message under the field; marks the field invalid. */
  readonly error?: string | undefined;
  /** Extra description (e.g. a parameter's help), read after the label. */
  readonly help?: string;
}

/**
 * A labelled number input with its unit in the label and its error under it, tied together for
 * assistive technology (aria-invalid, aria-describedby).
 */
export function NumberField(props: NumberFieldProps) {
  const inputId = useId();
  const errorId = useId();
  const helpId = useId();
  // A number input reports text it cannot read ("1e", "--") as an empty value; say so here.
  const [isBadInput, setBadInput] = useState(false);
  const error = isBadInput ? `${props.label}: that is not a number.` : props.error;
  const described = [
    props.help === undefined ? null : helpId,
    error === undefined ? null : errorId,
  ].filter((id): id is string => id !== null);
  return (
    <div className="field">
      <label htmlFor={inputId}>
        {props.label}
        {props.unit === undefined || props.unit === '' ? null : (
          <span className="field-unit"> ({props.unit})</span>
        )}
      </label>
      <input
        id={inputId}
        type="number"
        inputMode="decimal"
        value={props.value}
        min={props.min}
        max={props.max}
        step={props.step ?? 'any'}
        placeholder={props.placeholder}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={described.length === 0 ? undefined : described.join(' ')}
        onChange={(event) => {
          setBadInput(event.currentTarget.validity.badInput);
          props.onChange(event.currentTarget.value);
        }}
      />
      {props.help === undefined ? null : (
        <span id={helpId} className="visually-hidden">
          {props.help}
        </span>
      )}
      {error === undefined ? null : (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
