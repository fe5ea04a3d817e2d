import { checkLinearizability } from '../src/consistency/check.ts';
import { generateRegisterHistory, injectStaleRead } from '../src/consistency/generate.ts';
import { buildHistory, type History, type Operation } from '../src/consistency/history.ts';
import { searchLinearization, type SearchStatus } from '../src/consistency/linearizability.ts';
import { registerModel } from '../src/consistency/models.ts';
import {
  type Contender,
  type RepetitionPlan,
  describeWallTimes,
  formatRatio,
  interleave,
  median,
} from './measure.ts';

/*
 * The consistency checkers' speed (issue 19): operations checked per second on a register
 * history of 10 clients over 20 keys, linearizable, and the same with one injected stale read.
 * Contenders, interleaved: the memoised search (`wgl`: per key, the verdict without a witness),
 * the whole verdict (`verdict`: the same plus shrinking the witness and its sentence), the peer
 * (`unmemoised`: the same search without its cache, as plain Wing–Gong), and the practical limit
 * (`sort`: splitting by key and sorting each key's calls and returns, which every checker does
 * before searching).
 */

export const consistencyFigureNames = ['consistency-linearizable', 'consistency-stale-read'];

interface Outcome {
  /** 'ok', 'violated', 'gave-up' (or 'sorted' for the limit), over all keys. */
  readonly status: string;
  readonly steps: number;
}

function combine(statuses: readonly SearchStatus[], steps: number): Outcome {
  const status = statuses.includes('violated')
    ? 'violated'
    : statuses.includes('gave-up')
      ? 'gave-up'
      : 'ok';
  return { status, steps };
}

function searchAll(parts: readonly Operation[][], memoise: boolean): Outcome {
  const model = registerModel();
  const statuses: SearchStatus[] = [];
  let steps = 0;
  for (const ops of parts) {
    const result = searchLinearization(ops, model, { memoise });
    statuses.push(result.status);
    steps += result.steps;
  }
  return combine(statuses, steps);
}

/** What every checker does first: per key, the calls and returns in time order. */
function sortOnly(history: History): Outcome {
  let checksum = 0;
  for (const ops of registerModel().partition(history.ops)) {
    const times: number[] = [];
    for (const op of ops) times.push(op.invokeUs, op.completeUs ?? Number.POSITIVE_INFINITY);
    times.sort((a, b) => a - b);
    checksum += times.length;
  }
  return { status: 'sorted', steps: checksum };
}

function rate(opCount: number, wallMs: readonly number[]): number {
  return opCount / (median(wallMs) / 1000);
}

function formatOps(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M ops/s`;
  return `${(perSecond / 1e3).toFixed(perSecond >= 1e5 ? 0 : 1)} k ops/s`;
}

/** One figure: its summary line, and whether the contenders disagreed (VOID). */
export function benchConsistency(
  name: string,
  opCount: number,
  plan: RepetitionPlan,
  print: (line: string) => void,
): { summary: string; isVoid: boolean } {
  const ops = generateRegisterHistory({ seed: 19, opCount, clientCount: 10, keyCount: 20 });
  const isStale = name === 'consistency-stale-read';
  const stale = isStale ? injectStaleRead(ops) : null;
  const history = buildHistory(stale?.ops ?? ops);
  const parts = registerModel().partition(history.ops);
  print(
    `${name}: ${opCount} register ops, 10 clients, 20 keys` +
      (stale === null ? ', linearizable' : `, op ${stale.readId} made a stale read`),
  );
  let witness = '';
  const contenders: Contender<Outcome>[] = [
    { name: 'wgl', run: () => searchAll(parts, true) },
    {
      name: 'verdict',
      run: () => {
        const verdict = checkLinearizability(history);
        witness = verdict.violations.map((violation) => violation.sentence).join(' ');
        return { status: verdict.status, steps: verdict.steps };
      },
    },
    { name: 'unmemoised', run: () => searchAll(parts, false) },
    { name: 'sort', run: () => sortOnly(history) },
  ];
  const voidReasons: string[] = [];
  const timings = interleave(contenders, plan, (round, results) => {
    const [wgl, verdict, plain] = results;
    const expected = isStale ? 'violated' : 'ok';
    const decided = [wgl, verdict, plain].filter((result) => result?.status !== 'gave-up');
    if (decided.some((result) => result?.status !== expected))
      voidReasons.push(
        `round ${round + 1}: expected ${expected}, got ${results.map((r) => r.status).join('/')}`,
      );
  });
  const rates = new Map<string, number>();
  for (const timing of timings) {
    const perSecond = rate(opCount, timing.wallMs);
    rates.set(timing.name, perSecond);
    const result = timing.results[0];
    print(
      `  ${timing.name.padEnd(10)} ${describeWallTimes(timing.wallMs)}  ${formatOps(perSecond)}` +
        `  ${result?.status ?? '-'}${timing.name === 'sort' ? '' : `, ${result?.steps ?? 0} steps`}`,
    );
  }
  if (witness !== '') print(`  witness: ${witness}`);
  const voidReason = voidReasons[0];
  if (voidReason !== undefined) {
    const summary = `${name}: VOID — ${voidReason}`;
    print(summary);
    return { summary, isVoid: true };
  }
  const of = (contender: string): number => rates.get(contender) ?? Number.NaN;
  const plainStatus = timings[2]?.results[0]?.status ?? '-';
  const summary =
    `${name}: wgl ${formatOps(of('wgl'))}, verdict ${formatOps(of('verdict'))}, ` +
    `unmemoised ${formatOps(of('unmemoised'))} (${plainStatus}), sort ${formatOps(of('sort'))} — ` +
    `wgl/unmemoised ${formatRatio(of('wgl') / of('unmemoised'))}, wgl/sort ${formatRatio(of('wgl') / of('sort'))}`;
  print(summary);
  return { summary, isVoid: false };
}
