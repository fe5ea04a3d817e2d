import { deflateSync, strToU8 } from 'fflate';
import fc from 'fast-check';
import { chaosScheduleFor } from '../../engine/chaos.ts';
import type { RunDescription } from '../../engine/types.ts';
import type { Scenario } from '../../scenarios/define.ts';
import type { ScenarioCatalogue } from '../runs.ts';
import {
  encodeShareLink,
  shareLinkBytesMax,
  shareLinkCharsMax,
  shareLinkVersion,
  toBase64Url,
  type DecodedLink,
  type LinkProblem,
} from '../shareLink.ts';

/*
 * fast-check generators of share links, good and bad, for the link fuzz test, the soak run
 * (`npm run soak`) and the Playwright spec that opens fuzzed links in the app: one set of
 * generators, so a seed that fails in one place means the same links in the others.
 */

/** What a fuzzed link must decode to: one outcome, or any outcome at all (still never a throw). */
export type ExpectedOutcome = 'ok' | LinkProblem['code'] | 'any';

/** A generated link, how it was made and what decoding it must give. */
export interface FuzzedLink {
  readonly kind: string;
  readonly link: string;
  readonly expected: ExpectedOutcome;
}

/** Every problem code a link can be reported with (the outcome counts of the soak list these). */
export const linkProblemCodes = [
  'too-long',
  'not-base64',
  'corrupt',
  'not-json',
  'bad-version',
  'invalid',
  'unknown-scenario',
  'version-mismatch',
] as const satisfies readonly LinkProblem['code'][];

/** Limits of the generated runs. */
export interface LinkArbitraryOptions {
  /** Furthest playback position of a valid link (the host replays to it, so keep it short). */
  readonly positionUsMax: number;
  /**
   * Whether to include links meant to decode to a run (valid ones, and those whose parameters or
   * position are clamped), not only bad ones.
   */
  readonly isIncludingValid: boolean;
}

const defaultOptions: LinkArbitraryOptions = { positionUsMax: 2_000_000, isIncludingValid: true };

/**
 * Names every plain object inherits: a link that uses one as a parameter or scenario name must
 * be treated like any other unknown name, not find the inherited function.
 */
export const inheritedNames = [
  'toString',
  'valueOf',
  'hasOwnProperty',
  'constructor',
  '__proto__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
] as const;

/** The payload of a link as JSON text, deflated and base64url-encoded. */
export function payloadOf(json: string): string {
  return toBase64Url(deflateSync(strToU8(json)));
}

/** A valid run of one of the catalogue's scenarios, with a chaos schedule as its command log. */
function validRunArbitrary(
  scenarios: readonly Scenario[],
  positionUsMax: number,
): fc.Arbitrary<{ run: RunDescription; positionUs: number }> {
  return fc
    .record({
      scenario: fc.constantFrom(...scenarios),
      seed: fc.nat({ max: 1_000_000 }),
      isBaseline: fc.boolean(),
      durationUs: fc.integer({ min: 500_000, max: 20_000_000 }),
      positionUs: fc.integer({ min: 0, max: positionUsMax }),
    })
    .map(({ scenario, seed, isBaseline, durationUs, positionUs }) => {
      const variant = isBaseline ? 'baseline' : 'pattern';
      const commands = chaosScheduleFor(scenario, seed, variant, {}, durationUs);
      const run: RunDescription = {
        scenarioId: scenario.id,
        scenarioVersion: scenario.version,
        seed,
        variant,
        params: {},
        commands,
      };
      return { run, positionUs };
    });
}

/** The forms a person might paste a link in. */
const linkForms = ['url', 'fragment', 'route', 'bare'] as const;
type LinkForm = (typeof linkForms)[number];

/** A payload as a full URL, a fragment, an app route, or bare. */
function inForm(payload: string, form: LinkForm): string {
  switch (form) {
    case 'url':
      return `https://distsim.example/app/#run=${payload}`;
    case 'fragment':
      return `#run=${payload}`;
    case 'route':
      return `#/leader-election?run=${payload}`;
    case 'bare':
      return payload;
  }
}

/** A link in any of the forms. */
function wrapped(payload: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(payload, fc.constantFrom(...linkForms)).map(([text, form]) => inForm(text, form));
}

/** The JSON object of a valid link, as a record whose fields the generators below spoil. */
function payloadObject(run: RunDescription, positionUs: number): Record<string, unknown> {
  return {
    v: shareLinkVersion,
    scenarioId: run.scenarioId,
    scenarioVersion: run.scenarioVersion,
    seed: run.seed,
    variant: run.variant,
    params: run.params,
    commands: run.commands,
    positionUs,
  };
}

/** A number no field of a run accepts as it is. */
const outOfRangeNumber = fc.constantFrom(
  -1,
  -1e308,
  1e308,
  0.5,
  Number.MAX_SAFE_INTEGER + 2,
  -0.000001,
);

/** Links made of noise: random bytes and strings. */
function noiseLinks(): fc.Arbitrary<FuzzedLink> {
  return fc.oneof(
    wrapped(fc.uint8Array({ maxLength: 600 }).map(toBase64Url)).map((link) => ({
      kind: 'random bytes',
      link,
      expected: 'any' as const,
    })),
    fc.string({ maxLength: 400, unit: 'binary' }).map((link) => ({
      kind: 'random text',
      link,
      expected: 'any' as const,
    })),
    wrapped(fc.jsonValue({ maxDepth: 4 }).map((value) => payloadOf(JSON.stringify(value)))).map(
      (link) => ({ kind: 'random JSON', link, expected: 'any' as const }),
    ),
  );
}

/** Links cut short or with characters changed, inserted or removed. */
function damagedLinks(valid: fc.Arbitrary<string>): fc.Arbitrary<FuzzedLink> {
  const truncated = fc
    .tuple(valid, fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([payload, fraction]) => {
      const keep = Math.floor(payload.length * fraction);
      return {
        kind: 'truncated',
        link: `#run=${payload.slice(0, keep)}`,
        expected: keep === payload.length ? ('ok' as const) : ('any' as const),
      };
    });
  const mutated = fc
    .tuple(
      valid,
      fc.array(
        fc.record({
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          action: fc.constantFrom('replace', 'insert', 'delete'),
          char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    )
    .map(([payload, edits]) => {
      let text = payload;
      for (const edit of edits) {
        const at = Math.min(text.length, Math.floor(edit.at * text.length));
        const after = edit.action === 'insert' ? at : at + 1;
        text = text.slice(0, at) + (edit.action === 'delete' ? '' : edit.char) + text.slice(after);
      }
      return { kind: 'mutated', link: `#run=${text}`, expected: 'any' as const };
    });
  return fc.oneof(truncated, mutated);
}

/** Payloads that are readable JSON but spoil one field, with the outcome that must follow. */
function spoiledPayloads(
  valid: fc.Arbitrary<{ run: RunDescription; positionUs: number }>,
  catalogue: ScenarioCatalogue,
  isIncludingValid: boolean,
): fc.Arbitrary<FuzzedLink> {
  const known = new Set(catalogue.scenarios.map((scenario) => scenario.id));
  const spoil = (
    kind: string,
    change: fc.Arbitrary<(payload: Record<string, unknown>) => ExpectedOutcome>,
  ): fc.Arbitrary<FuzzedLink> =>
    fc
      .tuple(valid, change, fc.constantFrom(...linkForms))
      .map(([{ run, positionUs }, apply, form]) => {
        const payload = payloadObject(run, positionUs);
        const expected = apply(payload);
        return { kind, link: inForm(payloadOf(JSON.stringify(payload)), form), expected };
      });
  const unknownId = fc
    .oneof(fc.string({ maxLength: 64 }), fc.constantFrom(...inheritedNames))
    .filter((id) => !known.has(id));
  const spoilingOneField = [
    spoil(
      'wrong format version',
      fc.jsonValue({ maxDepth: 2 }).map((version) => (payload) => {
        payload.v = version;
        return version === shareLinkVersion ? 'ok' : 'bad-version';
      }),
    ),
    spoil(
      'unknown scenario',
      unknownId.map((id) => (payload) => {
        payload.scenarioId = id;
        return 'unknown-scenario';
      }),
    ),
    spoil(
      'other scenario version',
      fc.integer({ min: 1, max: 1_000_000 }).map((later) => (payload) => {
        // A version after the scenario's own: an earlier one may still open, through
        // earlierVersions.ts (Ambassador's 1 and 2, Circuit Breaker's 1).
        payload.scenarioVersion = Number(payload.scenarioVersion) + later;
        return 'version-mismatch';
      }),
    ),
    spoil(
      'out-of-range seed',
      outOfRangeNumber.map((seed) => (payload) => {
        payload.seed = seed;
        return 'invalid';
      }),
    ),
    spoil(
      'spoiled field',
      fc
        .tuple(
          fc.constantFrom('scenarioId', 'seed', 'variant', 'params', 'commands'),
          fc.jsonValue({ maxDepth: 3 }),
        )
        .map(([field, value]) => (payload) => {
          payload[field] = value;
          return 'any';
        }),
    ),
    spoil(
      'spoiled command',
      fc
        .tuple(fc.nat({ max: 40 }), fc.jsonValue({ maxDepth: 3 }))
        .map(([index, value]) => (payload) => {
          const commands = [...(payload.commands as unknown[])];
          commands[Math.min(index, commands.length)] = value;
          payload.commands = commands;
          return 'any';
        }),
    ),
  ];
  const clamping = [
    spoil(
      'out-of-range parameters',
      fc
        .dictionary(
          fc.oneof(fc.string({ maxLength: 64 }), fc.constantFrom(...inheritedNames)),
          fc.oneof(outOfRangeNumber, fc.double({ noNaN: true, noDefaultInfinity: true })),
          { maxKeys: 6 },
        )
        .map((params) => (payload) => {
          payload.params = params;
          return 'ok';
        }),
    ),
    spoil(
      'odd position',
      fc.oneof(outOfRangeNumber, fc.jsonValue({ maxDepth: 1 })).map((position) => (payload) => {
        payload.positionUs = position;
        return 'ok';
      }),
    ),
  ];
  return fc.oneof(...spoilingOneField, ...(isIncludingValid ? clamping : []));
}

/** Oversized and deeply nested payloads. */
function hugeLinks(): fc.Arbitrary<FuzzedLink> {
  const base = '{"v":1,"scenarioId":"leader-election","seed":1,"variant":"pattern",';
  return fc.oneof(
    fc.integer({ min: shareLinkCharsMax + 1, max: shareLinkCharsMax + 5_000 }).map((length) => ({
      kind: 'too many characters',
      link: `#run=${'A'.repeat(length)}`,
      expected: 'too-long' as const,
    })),
    fc.integer({ min: shareLinkBytesMax + 1, max: shareLinkBytesMax * 4 }).map((length) => ({
      kind: 'decompression bomb',
      link: `#run=${payloadOf(`${base}"params":{},"commands":[]${' '.repeat(length)}}`)}`,
      expected: 'too-long' as const,
    })),
    fc.integer({ min: 100, max: 50_000 }).map((depth) => ({
      kind: 'deeply nested',
      link: `#run=${payloadOf(`${base}"params":${'['.repeat(depth)}${']'.repeat(depth)},"commands":[]}`)}`,
      expected: 'invalid' as const,
    })),
    fc.integer({ min: 10_001, max: 12_000 }).map((count) => ({
      kind: 'too many commands',
      link: `#run=${payloadOf(`${base}"params":{},"commands":[${Array.from({ length: count }, (_, i) => `{"atUs":${i},"command":{"type":"net.heal"}}`).join(',')}]}`)}`,
      expected: 'invalid' as const,
    })),
    fc.integer({ min: 65, max: 100_000 }).map((length) => ({
      kind: 'long scenario id',
      link: `#run=${payloadOf(`{"v":1,"scenarioId":"${'x'.repeat(length)}","seed":1,"variant":"pattern","params":{},"commands":[]}`)}`,
      expected: 'invalid' as const,
    })),
  );
}

/**
 * Share links of every kind the decoder must survive: noise, truncated and mutated valid links,
 * readable payloads with one field spoiled (wrong format version, unknown scenario, other
 * scenario version, out-of-range numbers, inherited property names), oversized and deeply
 * nested payloads, and (unless excluded) valid links.
 */
export function linkArbitrary(
  catalogue: ScenarioCatalogue,
  options: Partial<LinkArbitraryOptions> = {},
): fc.Arbitrary<FuzzedLink> {
  const { positionUsMax, isIncludingValid } = { ...defaultOptions, ...options };
  const valid = validRunArbitrary(catalogue.scenarios, positionUsMax);
  const validPayload = valid.map(({ run, positionUs }) =>
    encodeShareLink(run, positionUs).slice('run='.length),
  );
  const validLinks = wrapped(validPayload).map((link) => ({
    kind: 'valid',
    link,
    expected: 'ok' as const,
  }));
  const bad = [
    { weight: 3, arbitrary: noiseLinks() },
    { weight: 4, arbitrary: damagedLinks(validPayload) },
    { weight: 6, arbitrary: spoiledPayloads(valid, catalogue, isIncludingValid) },
    { weight: 1, arbitrary: hugeLinks() },
  ];
  return fc.oneof(...bad, ...(isIncludingValid ? [{ weight: 2, arbitrary: validLinks }] : []));
}

/**
 * Text a person should never read: a value that leaked out unformatted (the validator's own
 * "received undefined", meaning a missing field, is fine).
 */
const unclearText = /(?<!received )undefined|NaN|\[object /;

/**
 * What is wrong with a decoding outcome, or null when it is acceptable: a run that validates and
 * fits its scenario (parameters within bounds, a finite non-negative position), or a problem
 * with a known code and a readable message; and the outcome the generator expected.
 */
export function outcomeFault(
  decoded: DecodedLink,
  expected: ExpectedOutcome,
  catalogue: ScenarioCatalogue,
): string | null {
  const outcome = decoded.ok ? 'ok' : decoded.problem.code;
  if (expected !== 'any' && outcome !== expected)
    return `expected ${expected}, got ${outcome}${decoded.ok ? '' : `: ${decoded.problem.message}`}`;
  if (!decoded.ok) {
    const { code, message } = decoded.problem;
    if (!(linkProblemCodes as readonly string[]).includes(code)) return `unknown code ${code}`;
    if (message.length < 20 || unclearText.test(message)) return `unclear message: ${message}`;
    return null;
  }
  const { request, positionUs } = decoded.shared;
  if (!Number.isFinite(positionUs) || positionUs < 0) return `position ${positionUs}`;
  const scenario = catalogue.get(request.scenarioId);
  if (scenario === undefined) return `decoded an unknown scenario ${request.scenarioId}`;
  for (const [key, value] of Object.entries(request.params)) {
    const spec = Object.hasOwn(scenario.params, key) ? scenario.params[key] : undefined;
    if (spec === undefined) return `kept unknown parameter "${key}"`;
    if (!(value >= spec.min && value <= spec.max)) return `parameter ${key} = ${value}`;
  }
  const unclear = decoded.notes.find((note) => unclearText.test(note));
  return unclear === undefined ? null : `unclear note: ${unclear}`;
}
