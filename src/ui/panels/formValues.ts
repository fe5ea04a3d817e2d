import { linkLimits } from '../../engine/network.ts';
import type { Command, RecordedCommand } from '../../engine/types.ts';

/**
 * Checking what people type into the panels' number fields, before anything is sent: a value
 * out of range gets an inline message and no command.
 */

export interface NumberBounds {
  /** Field name as the message uses it, e.g. "Pause duration". */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly unit?: string;
}

export type Parsed<T> =
  | { readonly isValid: true; readonly value: T }
  | { readonly isValid: false; readonly error: string };

function unitSuffix(unit: string | undefined): string {
  if (unit === undefined || unit === '') return '';
  return unit === '%' ? unit : ` ${unit}`;
}

/** A required number within bounds. */
export function parseNumber(text: string, bounds: NumberBounds): Parsed<number> {
  const trimmed = text.trim();
  if (trimmed === '') return { isValid: false, error: `Enter a number for ${bounds.label}.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    return { isValid: false, error: `${bounds.label}: "${trimmed}" is not a number.` };
  }
  if (value < bounds.min || value > bounds.max) {
    const range = `${bounds.min} to ${bounds.max}${unitSuffix(bounds.unit)}`;
    return { isValid: false, error: `${bounds.label} must be from ${range}.` };
  }
  return { isValid: true, value };
}

/** A number within bounds, or null when the field is left blank. */
export function parseOptionalNumber(text: string, bounds: NumberBounds): Parsed<number | null> {
  if (text.trim() === '') return { isValid: true, value: null };
  return parseNumber(text, bounds);
}

/**
 * Whether a form holds number inputs with text the browser cannot read as a number (their value
 * then reads as blank, which must not pass for "left blank"). NumberField shows the message.
 */
export function hasUnreadableNumber(form: HTMLFormElement): boolean {
  return [...form.querySelectorAll('input')].some((input) => input.validity.badInput);
}

// ---- Link settings ----------------------------------------------------------------------------

export interface LinkFormValues {
  readonly latencyMs: string;
  readonly jitterMs: string;
  readonly lossPercent: string;
  readonly duplicatePercent: string;
  readonly isBothWays: boolean;
}

export type LinkField = 'latencyMs' | 'jitterMs' | 'lossPercent' | 'duplicatePercent';

export type LinkSetCommand = Extract<Command, { type: 'link.set' }>;

export type LinkFormResult =
  | { readonly isValid: true; readonly command: LinkSetCommand }
  | { readonly isValid: false; readonly errors: Partial<Record<LinkField | 'form', string>> };

export const emptyLinkForm: LinkFormValues = {
  latencyMs: '',
  jitterMs: '',
  lossPercent: '',
  duplicatePercent: '',
  isBothWays: true,
};

const latencyMsMax = linkLimits.latencyUsMax / 1000;

const linkBounds: Readonly<Record<LinkField, NumberBounds>> = {
  latencyMs: { label: 'Latency', min: 0, max: latencyMsMax, unit: 'ms' },
  jitterMs: { label: 'Jitter', min: 0, max: latencyMsMax, unit: 'ms' },
  lossPercent: { label: 'Loss', min: 0, max: 100, unit: '%' },
  duplicatePercent: { label: 'Duplicates', min: 0, max: 100, unit: '%' },
};

/**
 * The `link.set` command a link form asks for. Blank fields leave that setting as it is; latency
 * mean ± jitter becomes a uniform distribution in microseconds, clamped at zero.
 */
export function linkSetCommand(from: string, to: string, values: LinkFormValues): LinkFormResult {
  const errors: Partial<Record<LinkField | 'form', string>> = {};
  const parsed: Partial<Record<LinkField, number | null>> = {};
  for (const field of Object.keys(linkBounds) as LinkField[]) {
    const result = parseOptionalNumber(values[field], linkBounds[field]);
    if (result.isValid) parsed[field] = result.value;
    else errors[field] = result.error;
  }
  const mean = parsed.latencyMs ?? null;
  const jitter = parsed.jitterMs ?? null;
  if (jitter !== null && mean === null && errors.latencyMs === undefined) {
    errors.latencyMs = 'Enter a latency for the jitter to apply to.';
  }
  if (mean !== null && (mean + (jitter ?? 0)) * 1000 > linkLimits.latencyUsMax) {
    errors.jitterMs = `Latency plus jitter must stay within ${latencyMsMax} ms.`;
  }
  const loss = parsed.lossPercent ?? null;
  const duplicate = parsed.duplicatePercent ?? null;
  if (Object.keys(errors).length === 0 && mean === null && loss === null && duplicate === null) {
    errors.form = 'Enter at least one setting to change.';
  }
  if (Object.keys(errors).length > 0) return { isValid: false, errors };
  const command: LinkSetCommand = {
    type: 'link.set',
    from,
    to,
    isBothWays: values.isBothWays,
    ...(mean === null
      ? {}
      : {
          latency: {
            kind: 'uniform',
            minUs: Math.max(0, Math.round((mean - (jitter ?? 0)) * 1000)),
            maxUs: Math.round((mean + (jitter ?? 0)) * 1000),
          },
        }),
    ...(loss === null ? {} : { lossProbability: loss / 100 }),
    ...(duplicate === null ? {} : { duplicateProbability: duplicate / 100 }),
  };
  return { isValid: true, command };
}

/**
 * Whether the link `from → to` is held after the command log: holds and releases toggle it and
 * a heal releases every held link. Every hold comes through a command, so the log is the truth.
 */
export function isLinkHeld(
  commands: readonly RecordedCommand[],
  from: string,
  to: string,
): boolean {
  let isHeld = false;
  for (const { command } of commands) {
    if (command.type === 'net.heal') isHeld = false;
    else if (
      (command.type === 'link.hold' || command.type === 'link.release') &&
      command.from === from &&
      command.to === to
    ) {
      isHeld = command.type === 'link.hold';
    }
  }
  return isHeld;
}
