/*
 * The embed's postMessage API. The host page sends commands to the embed's window; the embed
 * posts events to its parent. Commands are accepted from any origin, since the embed is a public
 * viewer with nothing to protect, but only in the shapes below; events carry nothing secret, so
 * they go out with targetOrigin '*'.
 */

/** What a host page may ask. `timeUs` is simulated time in microseconds. */
export type EmbedCommand =
  | { readonly type: 'distsim:play' }
  | { readonly type: 'distsim:pause' }
  | { readonly type: 'distsim:seek'; readonly timeUs: number };

/** What the embed tells its host. */
export type EmbedEvent =
  | {
      readonly type: 'distsim:ready';
      readonly scenarioId: string;
      readonly title: string;
      readonly instrument: string;
      readonly timeUs: number;
      readonly fromUs: number;
      readonly toUs: number | null;
    }
  | { readonly type: 'distsim:time'; readonly timeUs: number; readonly isPlaying: boolean }
  | {
      readonly type: 'distsim:moment';
      readonly timeUs: number;
      readonly kind: string;
      readonly label: string;
      readonly text: string;
    }
  | { readonly type: 'distsim:error'; readonly message: string };

export type ReadCommand =
  | { readonly ok: true; readonly command: EmbedCommand }
  /** A `distsim:` message in a shape the embed does not take: said back as an error event. */
  | { readonly ok: false; readonly message: string }
  /** Not for the embed at all (other scripts post messages too): ignored. */
  | null;

const eventTypes: ReadonlySet<string> = new Set<EmbedEvent['type']>([
  'distsim:ready',
  'distsim:time',
  'distsim:moment',
  'distsim:error',
]);

/** Checks a message's data against the commands; never throws, whatever arrives. */
export function readCommand(data: unknown): ReadCommand {
  if (typeof data !== 'object' || data === null) return null;
  const { type, timeUs } = data as { type?: unknown; timeUs?: unknown };
  if (typeof type !== 'string' || !type.startsWith('distsim:')) return null;
  // The embed's own events, should one come back (a page that relays everything): not commands.
  if (eventTypes.has(type)) return null;
  switch (type) {
    case 'distsim:play':
    case 'distsim:pause':
      return { ok: true, command: { type } };
    case 'distsim:seek':
      if (typeof timeUs !== 'number' || !Number.isFinite(timeUs) || timeUs < 0) {
        return {
          ok: false,
          message: `distsim:seek needs timeUs, a number of microseconds, 0 or more (got ${describe(timeUs)}).`,
        };
      }
      return { ok: true, command: { type, timeUs: Math.round(timeUs) } };
    default:
      return {
        ok: false,
        message: `Unknown command ${JSON.stringify(type)}: the embed takes distsim:play, distsim:pause and distsim:seek.`,
      };
  }
}

/** A value as an error message shows it, whatever a page sent (never throws, even on a BigInt). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return `a value of type ${typeof value}`;
}
