/** The soak's parts, in the order they run. */
export const partNames = ['links', 'chaos', 'determinism', 'memory', 'responsiveness'] as const;
export type PartName = (typeof partNames)[number];

/** What a soak run does; every count has a default that meets the figures. */
export interface SoakOptions {
  readonly parts: readonly PartName[];
  /** Share-link fuzz cases. */
  readonly cases: number;
  /** fast-check seed of the link fuzz (printed, so a failure reproduces). */
  readonly fuzzSeed: number;
  /** Chaos seeds per scenario, pattern variant. */
  readonly seeds: number;
  /** Chaos seeds per scenario, baseline variant (its safety violations are reported, not failed). */
  readonly baselineSeeds: number;
  /** Processes that share the chaos runs. */
  readonly workers: number;
  /** Seeds per scenario and variant compared between Node and Chromium. */
  readonly detSeeds: number;
  /** Events of the long run. */
  readonly events: number;
  /** Wall seconds the page runs flat out while its main thread is watched. */
  readonly seconds: number;
  /** Port of the preview server on 127.0.0.1. */
  readonly port: number;
}

export const defaultSoakOptions: SoakOptions = {
  parts: partNames,
  cases: 10_000,
  fuzzSeed: 20_261_124,
  seeds: 1_000,
  baselineSeeds: 200,
  workers: 2,
  detSeeds: 20,
  events: 10_000_000,
  seconds: 10,
  port: 4186,
};

type NumericOption = Exclude<keyof SoakOptions, 'parts'>;

/** Numeric flags: the option they set and the range accepted. */
const numericFlags: Readonly<Record<string, { key: NumericOption; min: number; max: number }>> = {
  '--cases': { key: 'cases', min: 1, max: 10_000_000 },
  '--fuzz-seed': { key: 'fuzzSeed', min: 0, max: 2_147_483_647 },
  '--seeds': { key: 'seeds', min: 1, max: 100_000 },
  '--baseline-seeds': { key: 'baselineSeeds', min: 0, max: 100_000 },
  '--workers': { key: 'workers', min: 1, max: 16 },
  '--det-seeds': { key: 'detSeeds', min: 1, max: 10_000 },
  '--events': { key: 'events', min: 1_000_000, max: 1_000_000_000 },
  '--seconds': { key: 'seconds', min: 1, max: 600 },
  '--port': { key: 'port', min: 1024, max: 65_535 },
};

export const soakUsage = `Usage: npm run soak -- [--part NAME]… [options]
  --part NAME         run only this part (repeatable): ${partNames.join(', ')}
  --cases N           share-link fuzz cases (default ${defaultSoakOptions.cases})
  --fuzz-seed N       fast-check seed of the fuzz (default ${defaultSoakOptions.fuzzSeed})
  --seeds N           chaos seeds per scenario, pattern (default ${defaultSoakOptions.seeds})
  --baseline-seeds N  chaos seeds per scenario, baseline; 0 skips (default ${defaultSoakOptions.baselineSeeds})
  --workers N         processes for the chaos runs (default ${defaultSoakOptions.workers})
  --det-seeds N       seeds per scenario and variant, Node vs Chromium (default ${defaultSoakOptions.detSeeds})
  --events N          events of the long run, at least 1000000 (default ${defaultSoakOptions.events})
  --seconds N         seconds the page runs flat out (default ${defaultSoakOptions.seconds})
  --port N            preview server port on 127.0.0.1 (default ${defaultSoakOptions.port})`;

/** Parses the command line; a string is a one-line error for the person. */
export function parseSoakOptions(args: readonly string[]): SoakOptions | string {
  const options: { -readonly [K in keyof SoakOptions]: SoakOptions[K] } = { ...defaultSoakOptions };
  const parts: PartName[] = [];
  for (let i = 0; i < args.length; i++) {
    const raw = args[i] ?? '';
    const eq = raw.indexOf('=');
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    const value = eq > 0 ? raw.slice(eq + 1) : args[++i];
    if (name === '--part') {
      const part = partNames.find((each) => each === value);
      if (part === undefined)
        return `--part needs one of ${partNames.join(', ')}; got ${value ?? 'nothing'}.`;
      parts.push(part);
      continue;
    }
    const flag = numericFlags[name];
    if (flag === undefined) return `Unknown option ${name}; see --help.`;
    const number = Number(value);
    if (
      value === undefined ||
      !Number.isSafeInteger(number) ||
      number < flag.min ||
      number > flag.max
    )
      return `${name} needs a whole number from ${flag.min} to ${flag.max}; got ${value ?? 'nothing'}.`;
    options[flag.key] = number;
  }
  return { ...options, parts: parts.length === 0 ? partNames : parts };
}
