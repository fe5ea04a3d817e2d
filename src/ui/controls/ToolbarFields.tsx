import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Variant } from '../../engine/types.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { formatAchieved } from './achievedSpeed.ts';
import { formatSpeed, sliderMax, sliderMin, sliderToSpeed, speedToSlider } from './speedScale.ts';
import { parseSeed, seedMax } from './validation.ts';

interface SpeedControlProps {
  readonly speed: number;
  /**
   * The speed the run reaches when it falls clearly short of `speed` while playing (see
   * `useAchievedSpeed`), or null: the control then says both ("1000× asked, 340× running").
   */
  readonly running?: number | null;
  readonly onChange: (speed: number) => void;
}

/**
 * Playback speed on a log-scale slider, 0.01× to 1000× real time. When the run cannot keep up,
 * the text beside it gives the speed reached too; that text is the slider's description, read
 * with it on focus and not announced as it changes (it is no live region).
 */
export function SpeedControl({ speed, running = null, onChange }: SpeedControlProps) {
  const id = useId();
  const label = formatSpeed(speed);
  const text = running === null ? label : `${label} asked, ${formatAchieved(running)} running`;
  const valueId = `${id}-value`;
  return (
    <div className="toolbar-field speed-control">
      <label htmlFor={id}>Speed</label>
      <input
        id={id}
        type="range"
        min={sliderMin}
        max={sliderMax}
        step={1}
        value={speedToSlider(speed)}
        aria-valuetext={`${label} real time`}
        aria-describedby={running === null ? undefined : valueId}
        aria-keyshortcuts="+ -"
        onChange={(event) => {
          onChange(sliderToSpeed(Number(event.currentTarget.value)));
        }}
      />
      <span
        id={valueId}
        className={running === null ? 'speed-value' : 'speed-value is-lagging'}
        data-testid="speed-value"
      >
        {text}
      </span>
    </div>
  );
}

interface SeedInputProps {
  /** The run's seed; the field starts from it (the parent remounts the field when it changes). */
  readonly seed: number;
  readonly isDisabled: boolean;
}

/** The run's seed; a new one applies on Enter or when the field loses focus. */
export function SeedInput({ seed, isDisabled }: SeedInputProps) {
  const controller = useController();
  const id = useId();
  const [text, setText] = useState(String(seed));
  const [error, setError] = useState<string | null>(null);
  // Enter then blur would otherwise load the same seed twice.
  const submitted = useRef(seed);

  const apply = (input: HTMLInputElement) => {
    // A number field reports an unparseable entry ("1e") as an empty value plus badInput.
    const parsed = parseSeed(input.validity.badInput ? 'not a number' : input.value);
    if (!parsed.isValid) {
      setError(parsed.error);
      return;
    }
    setError(null);
    if (parsed.value === submitted.current) return;
    submitted.current = parsed.value;
    void controller.setSeed(parsed.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') apply(event.currentTarget);
    if (event.key === 'Escape') {
      setText(String(seed));
      setError(null);
    }
  };

  const errorId = `${id}-error`;
  return (
    <div className="toolbar-field seed-field">
      <label htmlFor={id}>Seed</label>
      <input
        id={id}
        className="seed-input"
        type="number"
        inputMode="numeric"
        min={0}
        max={seedMax}
        step={1}
        value={text}
        disabled={isDisabled}
        aria-invalid={error !== null}
        aria-describedby={error === null ? undefined : errorId}
        onChange={(event) => {
          setText(event.currentTarget.value);
          setError(null);
        }}
        onBlur={(event) => {
          apply(event.currentTarget);
        }}
        onKeyDown={onKeyDown}
      />
      {error === null ? null : (
        <span id={errorId} className="control-error toolbar-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** Switches between the pattern and its naive baseline (same seed and faults). */
export function VariantToggle({ isDisabled }: { readonly isDisabled: boolean }) {
  const controller = useController();
  const variant = useSimStore((state) => state.view?.run.variant ?? 'pattern');
  const baselineLabel = useSimStore((state) => state.view?.meta.baselineLabel ?? '');
  const baselineSummary = useSimStore((state) => state.view?.meta.baselineSummary ?? '');
  const choose = (next: Variant) => {
    if (next !== variant) void controller.setVariant(next);
  };
  return (
    <div className="segmented" role="group" aria-label="Variant">
      <button
        type="button"
        aria-pressed={variant === 'pattern'}
        disabled={isDisabled}
        onClick={() => {
          choose('pattern');
        }}
      >
        Pattern
      </button>
      <button
        type="button"
        aria-pressed={variant === 'baseline'}
        disabled={isDisabled}
        title={baselineSummary === '' ? undefined : baselineSummary}
        onClick={() => {
          choose('baseline');
        }}
      >
        Baseline{baselineLabel === '' ? '' : `: ${baselineLabel}`}
      </button>
    </div>
  );
}
