import { useId, useState } from 'react';
import type { Command } from '../../engine/types.ts';
import { useController } from '../state/context.ts';
import { useSimStore } from '../state/store.ts';
import {
  emptyLinkForm,
  hasUnreadableNumber,
  isLinkHeld,
  type LinkField,
  type LinkFormValues,
  linkSetCommand,
} from './formValues.ts';
import { NumberField } from './NumberField.tsx';

interface LinkInspectorProps {
  readonly from: number;
  readonly to: number;
}

type LinkErrors = Partial<Record<LinkField | 'form', string>>;

/** The selected link: its latency, loss and duplication, and holding its messages. */
export function LinkInspector({ from, to }: LinkInspectorProps) {
  const fromId = useSimStore((state) => state.view?.topology.nodes[from]?.id);
  const toId = useSimStore((state) => state.view?.topology.nodes[to]?.id);
  const [values, setValues] = useState<LinkFormValues>(emptyLinkForm);
  if (fromId === undefined || toId === undefined) {
    return <p className="muted">That link is not part of this run.</p>;
  }
  const arrow = values.isBothWays ? '↔' : '→';
  return (
    <div className="inspector-body">
      <p className="link-title">
        Link <strong>{fromId}</strong> {arrow} <strong>{toId}</strong>
      </p>
      <LinkSettingsForm fromId={fromId} toId={toId} values={values} onChange={setValues} />
      <HoldButtons fromId={fromId} toId={toId} isBothWays={values.isBothWays} />
    </div>
  );
}

interface LinkSettingsFormProps {
  readonly fromId: string;
  readonly toId: string;
  readonly values: LinkFormValues;
  readonly onChange: (values: LinkFormValues) => void;
}

function LinkSettingsForm({ fromId, toId, values, onChange }: LinkSettingsFormProps) {
  const controller = useController();
  const formErrorId = useId();
  const [errors, setErrors] = useState<LinkErrors>({});
  const field = (key: LinkField) => (value: string) => {
    onChange({ ...values, [key]: value });
  };
  const apply = (): void => {
    const result = linkSetCommand(fromId, toId, values);
    if (!result.isValid) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    void controller.command(result.command);
  };
  return (
    <form
      noValidate
      className="link-form"
      aria-describedby={errors.form === undefined ? undefined : formErrorId}
      onSubmit={(event) => {
        event.preventDefault();
        if (!hasUnreadableNumber(event.currentTarget)) apply();
      }}
    >
      <p className="help muted">Blank fields keep the link’s current setting.</p>
      <div className="inline-form">
        <NumberField
          label="Latency"
          unit="ms"
          value={values.latencyMs}
          onChange={field('latencyMs')}
          min={0}
          step={1}
          placeholder="unchanged"
          error={errors.latencyMs}
        />
        <NumberField
          label="Jitter ±"
          unit="ms"
          value={values.jitterMs}
          onChange={field('jitterMs')}
          min={0}
          step={1}
          placeholder="0"
          help="Each message takes the latency plus or minus up to this much, uniformly."
          error={errors.jitterMs}
        />
      </div>
      <div className="inline-form">
        <NumberField
          label="Loss"
          unit="%"
          value={values.lossPercent}
          onChange={field('lossPercent')}
          min={0}
          max={100}
          step={1}
          placeholder="unchanged"
          error={errors.lossPercent}
        />
        <NumberField
          label="Duplicates"
          unit="%"
          value={values.duplicatePercent}
          onChange={field('duplicatePercent')}
          min={0}
          max={100}
          step={1}
          placeholder="unchanged"
          error={errors.duplicatePercent}
        />
      </div>
      <div className="button-row">
        <label className="check">
          <input
            type="checkbox"
            checked={values.isBothWays}
            onChange={(event) => {
              onChange({ ...values, isBothWays: event.currentTarget.checked });
            }}
          />
          Both directions
        </label>
        <button type="submit" className="primary">
          Apply
        </button>
      </div>
      {errors.form === undefined ? null : (
        <p id={formErrorId} className="field-error">
          {errors.form}
        </p>
      )}
    </form>
  );
}

interface HoldButtonsProps {
  readonly fromId: string;
  readonly toId: string;
  readonly isBothWays: boolean;
}

/** Hold: messages on the link wait (in order) until released, like a stalled connection. */
function HoldButtons({ fromId, toId, isBothWays }: HoldButtonsProps) {
  const controller = useController();
  const commands = useSimStore((state) => state.commands);
  const heldForward = isLinkHeld(commands, fromId, toId);
  const heldBackward = isLinkHeld(commands, toId, fromId);
  const send = async (type: 'link.hold' | 'link.release'): Promise<void> => {
    const list: Command[] = [{ type, from: fromId, to: toId }];
    if (isBothWays) list.push({ type, from: toId, to: fromId });
    for (const command of list) await controller.command(command);
  };
  const held = [
    heldForward ? `${fromId} → ${toId}` : null,
    heldBackward ? `${toId} → ${fromId}` : null,
  ].filter((text): text is string => text !== null);
  return (
    <div className="subsection">
      <h3>Hold messages</h3>
      <p className="help muted">
        {held.length === 0
          ? 'Not held: messages flow. Holding keeps them waiting, in order, until released.'
          : `Held: ${held.join(' and ')}. Messages wait until released.`}
      </p>
      <div className="button-row">
        <button type="button" onClick={() => void send('link.hold')}>
          Hold link
        </button>
        <button type="button" onClick={() => void send('link.release')}>
          Release link
        </button>
      </div>
    </div>
  );
}
