import { useId, useRef } from 'react';
import { useCopyText } from './useCopyText.ts';

interface CopyFieldProps {
  readonly label: string;
  readonly value: string;
  /** Several lines (a snippet): a text area instead of a one-line field. */
  readonly isMultiline?: boolean;
  /** Shown instead of the field's value while there is none to copy. */
  readonly isDisabled?: boolean;
}

/** A read-only field with its label and a Copy button that says how the copy went. */
export function CopyField({
  label,
  value,
  isMultiline = false,
  isDisabled = false,
}: CopyFieldProps) {
  const id = useId();
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const { status, copy } = useCopyText();
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-field-row">
        {isMultiline ? (
          <textarea id={id} ref={field} readOnly rows={3} value={value} spellCheck={false} />
        ) : (
          <input id={id} ref={field} type="text" readOnly value={value} spellCheck={false} />
        )}
        <button
          type="button"
          disabled={isDisabled}
          aria-label={`Copy ${label.toLowerCase()}`}
          onClick={() => {
            copy(value, () => field.current?.select());
          }}
        >
          Copy
        </button>
      </div>
      <span className="copy-field-status" role="status">
        {status}
      </span>
    </div>
  );
}
