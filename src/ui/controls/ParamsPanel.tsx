import { useEffect, useEffectEvent, useId, useMemo, useRef, type KeyboardEvent } from 'react';
import type { ParamChoice, ParamSpec } from '../../engine/types.ts';
import { ChoiceInput } from '../panels/ChoiceField.tsx';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import './controls.css';
import { formatBounds } from './format.ts';
import { useParamDraftStore } from './paramDraftStore.ts';
import { currentParams, liveDraft, pendingRestartValues, type ParamDraft } from './params.ts';
import { restartWithPendingParams } from './runActions.ts';
import { parseParam } from './validation.ts';

/**
 * The scenario's parameters. Live ones apply as soon as a valid value is committed (Enter, leaving
 * the field, or the spin buttons; a pick, for a parameter with named choices) and land in the
 * command log; the others apply on a restart.
 */
export function ParamsPanel() {
  const controller = useController();
  const view = useSimStore((state) => state.view);
  const commands = useSimStore((state) => state.commands);
  const drafts = useParamDraftStore((state) => state.drafts);
  const clearAll = useParamDraftStore((state) => state.clearAll);
  const scenarioId = view?.meta.id;

  // Drafts belong to one scenario; another scenario may reuse a key with another meaning.
  useEffect(() => {
    clearAll();
  }, [scenarioId, clearAll]);

  const current = useMemo(
    () => (view === null ? {} : currentParams(view.meta.params, view.run, commands)),
    [view, commands],
  );

  const specs = view === null ? [] : Object.entries(view.meta.params);
  const pending = view === null ? {} : pendingRestartValues(view.meta.params, current, drafts);
  const hasPending = pending === null || Object.keys(pending).length > 0;

  return (
    <section className="panel params-panel" aria-labelledby="params-panel-title">
      <h2 id="params-panel-title">Parameters</h2>
      {specs.length === 0 ? <p className="muted">This scenario has no parameters.</p> : null}
      {specs.map(([key, spec]) => {
        const value = current[key] ?? spec.default;
        const props: ParamFieldProps = {
          paramKey: key,
          spec,
          value,
          draft: liveDraft(drafts[key], value),
          onCommit: (next) => controller.setParam(key, next),
        };
        const fieldKey = `${scenarioId ?? ''}/${key}`;
        // A number that stands for something (a strategy, on/off) is picked by its name.
        return spec.choices === undefined ? (
          <ParamField key={fieldKey} {...props} />
        ) : (
          <ChoiceParamField key={fieldKey} {...props} choices={spec.choices} />
        );
      })}
      {hasPending ? (
        <div className="params-restart">
          <button
            type="button"
            className="primary"
            disabled={pending === null}
            onClick={() => {
              void restartWithPendingParams(controller);
            }}
          >
            Apply and restart
          </button>
          <span className="muted">
            {pending === null
              ? 'Fix the values marked in red first.'
              : 'Restarts the run with the same seed and faults.'}
          </span>
        </div>
      ) : null}
    </section>
  );
}

interface ParamFieldProps {
  readonly paramKey: string;
  readonly spec: ParamSpec;
  /** The value in effect now. */
  readonly value: number;
  /** What the person has typed, when it differs from `value`. */
  readonly draft: ParamDraft | undefined;
  /** Applies a valid live value; settles once the change is made or called off. */
  readonly onCommit: (value: number) => Promise<void>;
}

function ParamField({ paramKey, spec, value, draft, onCommit }: ParamFieldProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const setDraft = useParamDraftStore((state) => state.setDraft);
  const clearDraft = useParamDraftStore((state) => state.clearDraft);
  const isLive = spec.isLive === true;
  const text = draft?.text ?? String(value);
  const parsed = parseParam(text, spec);
  const error = draft === undefined || parsed.isValid ? null : parsed.error;
  // The value sent last, so Enter followed by leaving the field does not send it twice.
  const sent = useRef<number | null>(null);
  useEffect(() => {
    sent.current = null;
  }, [value]);

  // React's onChange fires on every keystroke; the native change event fires on commit only.
  const commit = useEffectEvent(() => {
    if (!isLive || !parsed.isValid || parsed.value === value || parsed.value === sent.current) {
      return;
    }
    sent.current = parsed.value;
    void onCommit(parsed.value);
  });
  useEffect(() => {
    const element = input.current;
    if (element === null) return;
    const listener = () => {
      commit();
    };
    element.addEventListener('change', listener);
    return () => {
      element.removeEventListener('change', listener);
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') clearDraft(paramKey);
  };

  const describedBy = [`${id}-help`, `${id}-bounds`, error === null ? '' : `${id}-error`];
  return (
    <div className="param-field">
      <div className="param-label-row">
        <label htmlFor={id}>{spec.label}</label>
        <ApplyTag isLive={isLive} />
      </div>
      <div className="param-input-row">
        <input
          ref={input}
          id={id}
          type="number"
          min={spec.min}
          max={spec.max}
          step={spec.step}
          value={text}
          aria-invalid={error !== null}
          aria-describedby={describedBy.filter((part) => part !== '').join(' ')}
          onChange={(event) => {
            setDraft(paramKey, { text: event.currentTarget.value, base: value });
          }}
          onKeyDown={onKeyDown}
        />
        <span className="param-unit">{spec.unit}</span>
        <span className="param-bounds muted" id={`${id}-bounds`}>
          {formatBounds(spec.min, spec.max, spec.unit)}
        </span>
      </div>
      <ParamNotes idBase={id} error={error} help={spec.help} />
    </div>
  );
}

/** A field's error (when its draft is invalid) and its help, as its `aria-describedby` names them. */
function ParamNotes(props: {
  readonly idBase: string;
  readonly error: string | null;
  readonly help: string;
}) {
  return (
    <>
      {props.error === null ? null : (
        <p className="control-error" id={`${props.idBase}-error`}>
          {props.error}
        </p>
      )}
      <p className="param-help" id={`${props.idBase}-help`}>
        {props.help}
      </p>
    </>
  );
}

/** Whether a parameter's new value applies at once or on the next reset. */
function ApplyTag({ isLive }: { readonly isLive: boolean }) {
  return (
    <span className={isLive ? 'param-tag' : 'param-tag param-tag-reset'}>
      {isLive ? 'live' : 'applies on reset'}
    </span>
  );
}

/**
 * A parameter whose values are named: picked by label (radios for two, else a select), while the
 * run, the draft and the command carry the number. A live pick is sent at once; the field shows
 * it until the change lands, and the value in effect again if the change is called off. A value
 * none of the choices names (an old link) is shown as its number, and stays until another pick.
 */
function ChoiceParamField({
  paramKey,
  spec,
  value,
  draft,
  onCommit,
  choices,
}: ParamFieldProps & { readonly choices: readonly ParamChoice[] }) {
  const labelId = useId();
  const setDraft = useParamDraftStore((state) => state.setDraft);
  const clearDraft = useParamDraftStore((state) => state.clearDraft);
  const isLive = spec.isLive === true;
  const text = draft?.text ?? String(value);
  const parsed = parseParam(text, spec);
  const error = draft === undefined || parsed.isValid ? null : parsed.error;

  const onChange = (next: string): void => {
    if (next === String(value)) {
      clearDraft(paramKey);
      return;
    }
    const picked: ParamDraft = { text: next, base: value };
    setDraft(paramKey, picked);
    const pickedValue = parseParam(next, spec);
    if (!isLive || !pickedValue.isValid) return;
    // Once the change is made the draft no longer applies (its base moved); if it was called
    // off (the act-in-the-past question), dropping it shows the value still in effect.
    const settle = (): void => {
      if (useParamDraftStore.getState().drafts[paramKey] === picked) clearDraft(paramKey);
    };
    void onCommit(pickedValue.value).then(settle, settle);
  };

  const describedBy = [`${labelId}-help`, error === null ? '' : `${labelId}-error`];
  return (
    <div className="param-field">
      <div className="param-label-row">
        <label id={labelId}>{spec.label}</label>
        <ApplyTag isLive={isLive} />
      </div>
      <div className="param-choices">
        <ChoiceInput
          labelId={labelId}
          choices={choices}
          value={text}
          onChange={onChange}
          describedBy={describedBy.filter((part) => part !== '').join(' ')}
        />
      </div>
      <ParamNotes idBase={labelId} error={error} help={spec.help} />
    </div>
  );
}
