/**
 * The engine's error catalogue. Every error a user can cause (through a command, a share link, a
 * fault file or a CLI argument) has a code and a message that says what happened and what to do.
 */
export const errorCatalogue = {
  'unknown-node': 'There is no node with that id in this run.',
  'unknown-scenario': 'There is no scenario with that id.',
  'unknown-param': 'This scenario has no parameter with that key.',
  'param-out-of-range': 'A parameter value is outside its bounds.',
  'param-not-live': 'This parameter cannot change during a run; reset the run with the new value.',
  'bad-link': 'A link setting is invalid.',
  'no-link': 'The two nodes are not linked in this topology.',
  'bad-command': 'A command is malformed.',
  'command-order': 'Recorded commands must be in the order they took effect.',
  'bad-seed': 'A seed must be a whole number between 0 and 2^53 − 1.',
  'bad-scenario': 'A scenario definition is invalid.',
  'unknown-fault': 'This scenario has no fault with that id.',
  'version-mismatch': 'The run was recorded with another version of this scenario.',
  'scenario-bug': 'A scenario behaviour failed; this is a bug in the scenario.',
  'behaviour-threw':
    'Scenario code threw while handling an event. This is a bug in the scenario; the link reproduces it.',
  'limit-exceeded': 'A safety limit of the engine was reached.',
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** An error with a catalogue code and a specific message. */
export class SimError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, detail: string) {
    super(`${errorCatalogue[code]} ${detail}`);
    this.name = 'SimError';
    this.code = code;
  }
}

/**
 * Scenario code (a behaviour, its summary, the monitor or an invariant) threw while the engine
 * handled an event. The message names the scenario, seed, node, event and the original error;
 * `eventsBefore` is how many events the run had fully processed before the failing one (null
 * when the run failed while it started), so a host can rewind to the last good state, from which
 * running on throws again, deterministically.
 */
export class BehaviourError extends SimError {
  readonly eventsBefore: number | null;

  constructor(detail: string, eventsBefore: number | null) {
    super('behaviour-threw', detail);
    this.name = 'BehaviourError';
    this.eventsBefore = eventsBefore;
  }
}
