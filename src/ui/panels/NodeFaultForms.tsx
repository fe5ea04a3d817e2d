import { useId, useState } from 'react';
import { driftPpmMax, skewMsMax } from '../../engine/commandApply.ts';
import type { ScenarioFaultSpec } from '../../engine/types.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import { ChoiceField } from './ChoiceField.tsx';
import { hasUnreadableNumber, parseNumber } from './formValues.ts';
import type { NodeFacts } from './nodeFacts.ts';
import { NumberField } from './NumberField.tsx';

interface SkewFormProps {
  readonly nodeId: string;
}

/** Sets the node's clock offset and drift (its timers then fire early or late). */
export function SkewForm({ nodeId }: SkewFormProps) {
  const controller = useController();
  const [offsetMs, setOffsetMs] = useState('0');
  const [driftPpm, setDriftPpm] = useState('0');
  const [errors, setErrors] = useState<{ offset?: string; drift?: string }>({});
  const apply = (): void => {
    const offset = parseNumber(offsetMs, {
      label: 'Offset',
      min: -skewMsMax,
      max: skewMsMax,
      unit: 'ms',
    });
    const drift = parseNumber(driftPpm, {
      label: 'Drift',
      min: -driftPpmMax,
      max: driftPpmMax,
      unit: 'ppm',
    });
    setErrors({
      ...(offset.isValid ? {} : { offset: offset.error }),
      ...(drift.isValid ? {} : { drift: drift.error }),
    });
    if (!offset.isValid || !drift.isValid) return;
    void controller.command({
      type: 'node.skew',
      node: nodeId,
      offsetMs: offset.value,
      driftPpm: drift.value,
    });
  };
  return (
    <form
      noValidate
      className="subsection"
      onSubmit={(event) => {
        event.preventDefault();
        if (!hasUnreadableNumber(event.currentTarget)) apply();
      }}
    >
      <h3>Clock skew</h3>
      <div className="inline-form">
        <NumberField
          label="Offset"
          unit="ms"
          value={offsetMs}
          onChange={setOffsetMs}
          min={-skewMsMax}
          max={skewMsMax}
          step={1}
          error={errors.offset}
        />
        <NumberField
          label="Drift"
          unit="ppm"
          value={driftPpm}
          onChange={setDriftPpm}
          min={-driftPpmMax}
          max={driftPpmMax}
          step={100}
          error={errors.drift}
        />
        <button type="submit" title={`Set ${nodeId}'s clock offset and drift.`}>
          Apply skew
        </button>
      </div>
    </form>
  );
}

interface ScenarioFaultsProps {
  readonly facts: NodeFacts;
}

/** The scenario's own faults and operator controls that apply to this node's role. */
export function ScenarioFaults({ facts }: ScenarioFaultsProps) {
  const faults = useSimStore((state) => state.view?.meta.faults);
  const forRole = (faults ?? []).filter((fault) => fault.roles.includes(facts.role));
  const controls = forRole.filter((fault) => fault.kind === 'control');
  const breakers = forRole.filter((fault) => fault.kind !== 'control');
  return (
    <>
      {controls.length === 0 ? null : (
        <div className="subsection">
          <h3>Scenario controls</h3>
          {controls.map((fault) => (
            <ScenarioFaultForm key={fault.id} fault={fault} facts={facts} />
          ))}
        </div>
      )}
      {breakers.length === 0 ? null : (
        <div className="subsection">
          <h3>Scenario faults</h3>
          {breakers.map((fault) => (
            <ScenarioFaultForm key={fault.id} fault={fault} facts={facts} />
          ))}
        </div>
      )}
    </>
  );
}

interface ScenarioFaultFormProps {
  readonly fault: ScenarioFaultSpec;
  readonly facts: NodeFacts;
}

function ScenarioFaultForm({ fault, facts }: ScenarioFaultFormProps) {
  const controller = useController();
  const helpId = useId();
  const argSpecs = Object.entries(fault.args);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(argSpecs.map(([key, spec]) => [key, String(spec.default)])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const isUp = facts.status === 'up';
  const inject = (): void => {
    const args: Record<string, number> = {};
    const problems: Record<string, string> = {};
    for (const [key, spec] of argSpecs) {
      const parsed = parseNumber(values[key] ?? '', spec);
      if (parsed.isValid) args[key] = parsed.value;
      else problems[key] = parsed.error;
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    void controller.command({ type: 'scenario.fault', fault: fault.id, node: facts.id, args });
  };
  return (
    <form
      noValidate
      className="fault-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!hasUnreadableNumber(event.currentTarget)) inject();
      }}
    >
      {argSpecs.length === 0 ? null : (
        <div className="inline-form">
          {argSpecs.map(([key, spec]) => {
            const onChange = (value: string): void => {
              setValues((previous) => ({ ...previous, [key]: value }));
            };
            // A number that names something (a route, on/off) is picked by its name.
            return spec.choices === undefined ? (
              <NumberField
                key={key}
                label={spec.label}
                unit={spec.unit}
                value={values[key] ?? ''}
                onChange={onChange}
                min={spec.min}
                max={spec.max}
                step={spec.step}
                help={spec.help}
                error={errors[key]}
              />
            ) : (
              <ChoiceField
                key={key}
                label={spec.label}
                choices={spec.choices}
                value={values[key] ?? ''}
                onChange={onChange}
                help={spec.help}
              />
            );
          })}
        </div>
      )}
      <button
        type="submit"
        disabled={!isUp}
        title={isUp ? fault.help : `${facts.id} is not running, so it cannot receive this.`}
        aria-describedby={helpId}
      >
        {fault.label}
      </button>
      <p id={helpId} className="help muted">
        {fault.help}
      </p>
    </form>
  );
}
