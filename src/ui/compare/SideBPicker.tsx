import { useId, useState } from 'react';
import type { ParamSpec } from '../../engine/types.ts';
import { shownChoices } from '../panels/choiceOptions.ts';
import { useCompareStore } from './compareStore.ts';
import type { CompareCoordinator } from './coordinator.ts';
import { choiceOf, valueProblem, type SideBChoice } from './sideChoice.ts';

/**
 * Lets the person choose what side b runs: the baseline, or the pattern with one parameter at
 * another value. Applying rebuilds side b from side a's run (same seed and command log).
 */
export function SideBPicker({ coordinator }: { readonly coordinator: CompareCoordinator }) {
  const a = useCompareStore((state) => state.sides.a.info);
  const b = useCompareStore((state) => state.sides.b.info);
  if (a === null) return null;
  const current = b === null ? null : choiceOf(a.run, b.run);
  // Remount the form when side b changes, so its fields start from what b is now.
  const key = current === null ? 'other' : JSON.stringify(current);
  return (
    <PickerForm
      key={key}
      params={a.meta.params}
      aParams={a.run.params}
      baselineLabel={a.meta.baselineLabel}
      current={current}
      onApply={(choice) => {
        coordinator.rebuildSideB(choice);
      }}
    />
  );
}

interface PickerFormProps {
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly aParams: Readonly<Record<string, number>>;
  readonly baselineLabel: string;
  readonly current: SideBChoice | null;
  readonly onApply: (choice: SideBChoice) => void;
}

function PickerForm({ params, aParams, baselineLabel, current, onApply }: PickerFormProps) {
  const ids = { kind: useId(), param: useId(), value: useId(), problem: useId() };
  const keys = Object.keys(params);
  const [kind, setKind] = useState<SideBChoice['kind']>(current?.kind ?? 'baseline');
  const [key, setKey] = useState(current?.kind === 'param' ? current.key : (keys[0] ?? ''));
  const spec = params[key];
  const [text, setText] = useState(() =>
    String(current?.kind === 'param' ? current.value : (aParams[key] ?? spec?.default ?? 0)),
  );
  const problem = kind === 'param' ? valueProblem(text, spec) : null;
  const apply = () => {
    if (problem !== null) return;
    onApply(kind === 'baseline' ? { kind } : { kind, key, value: Number(text) });
  };
  return (
    <form
      className="side-b-picker"
      aria-label="What side b runs"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <label htmlFor={ids.kind}>Side b runs</label>
      <select
        id={ids.kind}
        value={kind}
        onChange={(event) => {
          setKind(event.currentTarget.value === 'param' ? 'param' : 'baseline');
        }}
      >
        <option value="baseline">the baseline ({baselineLabel})</option>
        <option value="param" disabled={keys.length === 0}>
          the pattern with one parameter changed
        </option>
      </select>
      {kind === 'param' ? (
        <>
          <label htmlFor={ids.param}>Parameter</label>
          <select
            id={ids.param}
            value={key}
            onChange={(event) => {
              const next = event.currentTarget.value;
              setKey(next);
              setText(String(aParams[next] ?? params[next]?.default ?? 0));
            }}
          >
            {keys.map((name) => (
              <option key={name} value={name}>
                {params[name]?.label ?? name}
              </option>
            ))}
          </select>
          <label htmlFor={ids.value}>Value{spec?.unit ? ` (${spec.unit})` : ''}</label>
          {spec?.choices === undefined ? (
            <input
              id={ids.value}
              type="number"
              inputMode="decimal"
              value={text}
              min={spec?.min}
              max={spec?.max}
              step={spec?.step}
              aria-invalid={problem !== null}
              aria-describedby={problem === null ? undefined : ids.problem}
              onChange={(event) => {
                setText(event.currentTarget.value);
              }}
            />
          ) : (
            // A value that names something is picked by its name; the run still gets the number.
            <select
              id={ids.value}
              value={text}
              onChange={(event) => {
                setText(event.currentTarget.value);
              }}
            >
              {shownChoices(spec.choices, text).map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          )}
        </>
      ) : null}
      <button type="submit" disabled={problem !== null}>
        Apply to side b
      </button>
      {problem === null ? null : (
        <span id={ids.problem} className="field-problem" role="status">
          {problem}
        </span>
      )}
    </form>
  );
}
