import { Fragment, useId, useState } from 'react';
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
import { isLinkCut, type LinkReadout, linkReadout, linkSettingsIn } from './linkReadout.ts';
import { NumberField } from './NumberField.tsx';

interface LinkInspectorProps {
  readonly from: number;
  readonly to: number;
}

type LinkErrors = Partial<Record<LinkField | 'form', string>>;

/** The selected link: what it does now, changing its latency, loss and duplication, holding it. */
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
      <LinkNow from={from} to={to} fromId={fromId} toId={toId} />
      <LinkSettingsForm fromId={fromId} toId={toId} values={values} onChange={setValues} />
      <HoldButtons fromId={fromId} toId={toId} isBothWays={values.isBothWays} />
    </div>
  );
}

interface LinkNowProps {
  readonly from: number;
  readonly to: number;
  readonly fromId: string;
  readonly toId: string;
}

/**
 * What the link does now, from the latest frame: its latency, loss and duplication, and whether
 * a partition cuts it, a hold stalls it or a change slowed it. Re-read with every frame, so a
 * fault or a heal shows as it happens. The way back is shown too when it does something else (a
 * one-way change or cut), since the form changes both directions by default.
 */
function LinkNow({ from, to, fromId, toId }: LinkNowProps) {
  const titleId = useId();
  // Each part as the frame holds it (one value per frame), combined below.
  const usualLink = useSimStore((state) => state.frame?.usualLink);
  const linkSettings = useSimStore((state) => state.frame?.linkSettings);
  const cutLinks = useSimStore((state) => state.frame?.cutLinks);
  const links = useSimStore((state) => state.view?.topology.links);
  const commands = useSimStore((state) => state.commands);
  if (usualLink === undefined || linkSettings === undefined || cutLinks === undefined) return null;
  const readoutOf = (a: number, b: number, aId: string, bId: string): LinkReadout =>
    linkReadout(linkSettingsIn({ usualLink, linkSettings }, a, b), {
      isCut: isLinkCut(cutLinks, a, b),
      isHeld: isLinkHeld(commands, aId, bId),
    });
  const forward = readoutOf(from, to, fromId, toId);
  const hasBack = (links ?? []).some(([a, b]) => a === to && b === from);
  const back = hasBack ? readoutOf(to, from, toId, fromId) : null;
  const isBackAlike = back === null || JSON.stringify(back) === JSON.stringify(forward);
  return (
    <section className="subsection" aria-labelledby={titleId}>
      <h3 id={titleId}>Now</h3>
      <ReadoutList
        caption={isBackAlike && back !== null ? `${fromId} ↔ ${toId}` : `${fromId} → ${toId}`}
        readout={forward}
      />
      {isBackAlike ? null : <ReadoutList caption={`${toId} → ${fromId}`} readout={back} />}
    </section>
  );
}

function ReadoutList({
  caption,
  readout,
}: {
  readonly caption: string;
  readonly readout: LinkReadout;
}) {
  return (
    <>
      <p className="help muted">{caption}</p>
      <dl className="facts">
        {readout.rows.map((row) => (
          <Fragment key={row.name}>
            <dt>{row.name}</dt>
            <dd>{row.value}</dd>
          </Fragment>
        ))}
      </dl>
      {readout.notes.map((note) => (
        <p key={note} className="help">
          {note}
        </p>
      ))}
    </>
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
